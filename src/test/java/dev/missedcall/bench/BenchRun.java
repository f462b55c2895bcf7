package dev.missedcall.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.missedcall.simulator.CheckMobiSimulator;
import dev.missedcall.simulator.Faults;
import dev.missedcall.simulator.RecordedCall;
import dev.missedcall.testing.KafkaTestBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The benchmark harness (issue 6). Drives verifications through the real pipeline (a real Kafka broker, the CheckMobi
 * simulator over HTTP, the packaged application as its own process) and, side by side, through a minimal hand-written
 * {@link PeerPipeline}; measures saturation throughput, caller-ID-to-outcome latency, HANGUP lateness, memory with
 * many verifications pending, recovery after a restart and start-up time; profiles the application with JFR; writes
 * {@code results.md} and {@code results.json}. See bench/README.md.
 *
 * <pre>mvn -Pbench                                 (the full run, about 15 minutes)
 * mvn -Pbench -Dbench.args="--smoke"           (a few seconds per phase)</pre>
 */
public final class BenchRun {

    static final String SECRET = "bench-secret-key-5d2e";
    static final String MEMORY = "bundle-memory";
    static final String POSTGRES = "bundle-postgres";
    static final String PEER = "peer";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What the run is asked to do; every field has a command-line option of the same name (kebab-case). */
    record Options(Path out, Path work, Path projectDir, List<String> targets, List<Integer> rates,
                   List<Integer> realisticRates, int realisticLatencyMs, int stepSeconds, int warmupSeconds,
                   int latencySeconds, List<String> latencyAt, int timeoutEvery, int hangupTimeoutSeconds,
                   int pending, List<String> pendingTargets, int recoverySample, int lostWaitSeconds, int pendingMaxSeconds, Set<String> skip, int partitions,
                   String broker, String appHeap, List<String> appJvmOptions, List<String> profileTargets,
                   String command) {

        static Options parse(String[] args) {
            Map<String, String> given = new LinkedHashMap<>();
            boolean smoke = false;
            for (int i = 0; i < args.length; i++) {
                String key = args[i].replaceFirst("^--", "");
                if (key.equals("smoke")) {
                    smoke = true;
                } else if (i + 1 < args.length) {
                    given.put(key, args[++i]);
                } else {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
            }
            Map<String, String> d = new HashMap<>();
            d.put("out", "bench");
            d.put("work", "target/bench");
            d.put("project-dir", ".");
            d.put("targets", MEMORY + "," + POSTGRES + "," + PEER);
            d.put("rates", "25,50,100,200,400,700,1000,1400,2000,2800");
            d.put("realistic-rates", "10,20,40,80,160,320,640");
            d.put("realistic-latency-ms", "150");
            d.put("step-seconds", "12");
            d.put("warmup-seconds", "45");
            d.put("latency-seconds", "20");
            d.put("latency-at", "half,200");
            d.put("timeout-every", "20");
            d.put("hangup-timeout-seconds", "2");
            d.put("pending", "100000");
            d.put("pending-targets", MEMORY + "," + POSTGRES);
            d.put("recovery-sample", "200");
            d.put("lost-wait-seconds", "30");
            d.put("pending-max-seconds", "900");
            d.put("skip", "");
            d.put("partitions", "6");
            d.put("broker", "process");
            d.put("app-heap", "1g");
            d.put("app-jvm-options", "");
            d.put("profile-targets", MEMORY + "," + POSTGRES);
            if (smoke) {
                d.put("out", "target/bench-smoke");
                d.put("work", "target/bench-smoke");
                d.put("rates", "20");
                d.put("step-seconds", "3");
                d.put("warmup-seconds", "2");
                d.put("latency-seconds", "3");
                d.put("latency-at", "half");
                d.put("timeout-every", "5");
                d.put("hangup-timeout-seconds", "1");
                d.put("pending", "150");
                d.put("pending-targets", MEMORY);
                d.put("recovery-sample", "20");
                d.put("lost-wait-seconds", "5");
                d.put("targets", MEMORY + "," + PEER);
                d.put("skip", "realistic,profile");
                d.put("broker", "inprocess");
                d.put("partitions", "3");
            }
            for (String key : given.keySet()) {
                if (!d.containsKey(key)) {
                    throw new IllegalArgumentException("unknown option --" + key + "; options: " + new TreeMap<>(d).keySet());
                }
            }
            d.putAll(given);
            StringBuilder command = new StringBuilder(System.getProperty("bench.command", "mvn -Pbench"));
            if (args.length > 0) {
                command.append(" -Dbench.args=\"").append(String.join(" ", args)).append('"');
            }
            return new Options(Path.of(d.get("out")), Path.of(d.get("work")), Path.of(d.get("project-dir")),
                    list(d.get("targets")), ints(d.get("rates")), ints(d.get("realistic-rates")),
                    Integer.parseInt(d.get("realistic-latency-ms")), Integer.parseInt(d.get("step-seconds")),
                    Integer.parseInt(d.get("warmup-seconds")), Integer.parseInt(d.get("latency-seconds")),
                    list(d.get("latency-at")), Integer.parseInt(d.get("timeout-every")),
                    Integer.parseInt(d.get("hangup-timeout-seconds")), Integer.parseInt(d.get("pending")),
                    list(d.get("pending-targets")), Integer.parseInt(d.get("recovery-sample")),
                    Integer.parseInt(d.get("lost-wait-seconds")), Integer.parseInt(d.get("pending-max-seconds")),
                    new LinkedHashSet<>(list(d.get("skip"))), Integer.parseInt(d.get("partitions")), d.get("broker"),
                    d.get("app-heap"), Arrays.stream(d.get("app-jvm-options").split(" ")).filter(o -> !o.isBlank()).toList(),
                    list(d.get("profile-targets")), command.toString());
        }

        private static List<String> list(String value) {
            return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        private static List<Integer> ints(String value) {
            return list(value).stream().map(Integer::parseInt).toList();
        }
    }

    private final Options options;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private String bootstrapServers;
    private JvmProcess brokerProcess;
    private KafkaTestBroker inProcessBroker;
    private CheckMobiSimulator simulator;
    private EmbeddedPostgres postgres;
    private long postmasterPid = -1;
    private int databases;

    private BenchRun(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        quietSimulatorLogs();
        Map<String, Object> results = run(options);
        System.out.println("Benchmark written to " + options.out().resolve("results.md") + " and results.json");
        System.exit(results.containsKey("error") ? 1 : 0);
    }

    /** Runs everything the options ask for and writes the results; returns them (for the smoke test). */
    public static Map<String, Object> run(Options options) throws Exception {
        BenchRun run = new BenchRun(options);
        try {
            run.execute();
        } catch (Exception | Error e) {
            run.results.put("error", e.toString());
            e.printStackTrace();
        } finally {
            run.shutdown();
            run.results.put("loadAfter", Proc.loadAverage());
            run.results.put("finishedAt", Instant.now().toString());
            Report.write(options, run.results);
        }
        return run.results;
    }

    /** The simulator logs every call at INFO: thousands of lines a second would bench the log, not the code. */
    private static void quietSimulatorLogs() {
        try {
            org.apache.logging.log4j.core.config.Configurator.setLevel("dev.missedcall.simulator",
                    org.apache.logging.log4j.Level.WARN);
            org.apache.logging.log4j.core.config.Configurator.setLevel("kafka", org.apache.logging.log4j.Level.WARN);
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.kafka",
                    org.apache.logging.log4j.Level.WARN);
        } catch (Throwable e) {
            // another logging backend: leave it
        }
    }

    private void execute() throws Exception {
        Instant began = Instant.now();
        results.put("startedAt", began.toString());
        results.put("command", options.command());
        results.put("loadBefore", Proc.loadAverage());
        results.put("machine", machine());
        results.put("options", optionsAsMap());
        Files.createDirectories(options.work());
        Path jar = options.projectDir().resolve("target/missed-call-verification.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package first (mvn -Pbench does)");
        }
        startInfrastructure();

        Map<String, Object> zero = new LinkedHashMap<>();
        results.put("zeroLatency", zero);
        for (String target : options.targets()) {
            log("=== " + target + ", simulator without latency ===");
            zero.put(target, measureThroughputAndLatency(target, options.rates(), "zero",
                    !options.skip().contains("profile") && options.profileTargets().contains(target), true));
            partial(began);
        }
        if (!options.skip().contains("realistic")) {
            Map<String, Object> realistic = new LinkedHashMap<>();
            realistic.put("latencyPerCallMs", options.realisticLatencyMs());
            results.put("realisticLatency", realistic);
            simulator.setFaults(new Faults(Duration.ofMillis(options.realisticLatencyMs()), 0, 0));
            try {
                for (String target : options.targets()) {
                    log("=== " + target + ", simulator with " + options.realisticLatencyMs() + " ms per call ===");
                    realistic.put(target, measureThroughputAndLatency(target, options.realisticRates(), "realistic",
                            false, false));
                    partial(began);
                }
            } finally {
                simulator.setFaults(Faults.NONE);
            }
        }
        if (!options.skip().contains("pending")) {
            Map<String, Object> pending = new LinkedHashMap<>();
            results.put("pending", pending);
            for (String target : options.pendingTargets()) {
                log("=== " + target + ": " + options.pending() + " pending verifications ===");
                pending.put(target, measurePending(target));
                partial(began);
            }
        }
        results.put("elapsedSeconds", Duration.between(began, Instant.now()).toSeconds());
        results.put("targets", Report.targets(results));
    }

    /** Writes what is measured so far, so that an interrupted run still leaves figures. */
    private void partial(Instant began) throws Exception {
        results.put("elapsedSeconds", Duration.between(began, Instant.now()).toSeconds());
        results.put("finishedAt", "(run in progress)");
        results.put("targets", Report.targets(results));
        Report.write(options, results);
    }

    // ---------------------------------------------------------------- infrastructure

    private void startInfrastructure() throws Exception {
        if (options.broker().equals("process")) {
            String classpath = System.getProperty("bench.classpath", System.getProperty("java.class.path"));
            brokerProcess = JvmProcess.start("kafka-broker", List.of("-Xmx1g",
                            "-Dlog4j2.configurationFile=" + options.projectDir().resolve("bench/log4j2-broker.properties")),
                    List.of("-cp", classpath, BrokerMain.class.getName()), Map.of(), options.work(), true);
            String line = brokerProcess.awaitLine("BOOTSTRAP ", 120_000);
            bootstrapServers = line.substring("BOOTSTRAP ".length()).trim();
        } else {
            inProcessBroker = KafkaTestBroker.start();
            bootstrapServers = inProcessBroker.bootstrapServers();
        }
        log("Kafka broker at " + bootstrapServers + " (" + options.broker() + ")");
        simulator = CheckMobiSimulator.start("127.0.0.1", 0, SECRET);
    }

    private String newDatabase() throws Exception {
        if (postgres == null) {
            postgres = EmbeddedPostgres.builder().start();
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                try (ResultSet version = statement.executeQuery("show server_version")) {
                    version.next();
                    @SuppressWarnings("unchecked")
                    Map<String, Object> machine = (Map<String, Object>) results.get("machine");
                    machine.put("postgresql", version.getString(1) + " (embedded, io.zonky)");
                }
                try (ResultSet directory = statement.executeQuery("show data_directory")) {
                    directory.next();
                    String pidFile = Files.readAllLines(Path.of(directory.getString(1), "postmaster.pid")).get(0);
                    postmasterPid = Long.parseLong(pidFile.trim());
                }
            }
        }
        String name = "bench_" + (++databases);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    private void shutdown() {
        try {
            if (simulator != null) {
                simulator.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            if (inProcessBroker != null) {
                inProcessBroker.close();
            }
            if (brokerProcess != null) {
                brokerProcess.process.getOutputStream().close();
                if (!brokerProcess.process.waitFor(20, TimeUnit.SECONDS)) {
                    brokerProcess.stop(10);
                }
            }
        } catch (Exception e) {
            log("shutdown: " + e);
        }
    }

    // ---------------------------------------------------------------- systems under test

    /** One started system under test: the packaged application or the peer, as its own process. */
    final class Sut implements AutoCloseable {
        final String target;
        final Map<String, String> environment;
        final int managementPort;
        JvmProcess process;
        long startupMillis;

        Sut(String target, Map<String, String> environment, int managementPort) {
            this.target = target;
            this.environment = environment;
            this.managementPort = managementPort;
        }

        /** Starts the process and waits until it is ready; returns the start-up time in ms. */
        long start(String name) throws Exception {
            List<String> jvm = new ArrayList<>(List.of("-Xmx" + options.appHeap()));
            jvm.addAll(options.appJvmOptions());
            if (target.equals(PEER)) {
                Path dir = options.projectDir().toAbsolutePath();
                String classpath = dir.resolve("target/test-classes") + java.io.File.pathSeparator
                        + dir.resolve("target/lib") + java.io.File.separator + "*";
                process = JvmProcess.start(name, jvm, List.of("-cp", classpath, PeerPipeline.class.getName()),
                        environment, options.work().resolve("logs"), false);
                process.awaitLine(PeerPipeline.READY, 120_000);
            } else {
                process = JvmProcess.start(name, jvm, List.of("-jar",
                                options.projectDir().resolve("target/missed-call-verification.jar").toString()),
                        environment, options.work().resolve("logs"), false);
                awaitReady(process, managementPort);
            }
            startupMillis = (System.nanoTime() - process.startedNanos) / 1_000_000;
            log(target + " ready " + startupMillis + " ms after its process started (pid " + process.pid() + ")");
            return startupMillis;
        }

        @Override
        public void close() throws Exception {
            if (process != null) {
                process.stop(20);
            }
        }
    }

    private static void awaitReady(JvmProcess process, int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long until = System.currentTimeMillis() + 180_000;
        while (true) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            if (!process.isAlive() || System.currentTimeMillis() > until) {
                throw new IllegalStateException(process.name + " never became ready; its log " + process.log + ":\n"
                        + JvmProcess.tail(process.output(), 4000));
            }
            Thread.sleep(25);
        }
    }

    private Sut newSut(String target, Driver driver, String storeUrl) throws Exception {
        Map<String, String> env = new HashMap<>();
        int port = freePort();
        env.put("KAFKA_BROKERS", bootstrapServers);
        env.put("KAFKA_GROUP_ID", "bench-" + driver.commands.substring("verification.commands.".length()));
        env.put("KAFKA_TOPIC_COMMANDS", driver.commands);
        env.put("KAFKA_TOPIC_CALLERID", driver.callerId);
        env.put("KAFKA_TOPIC_EVENTS", driver.events);
        env.put("KAFKA_TOPIC_OUTCOMES", driver.outcomes);
        env.put("KAFKA_TOPIC_DLQ", driver.dlq);
        env.put("CHECKMOBI_BASE_URL", simulator.baseUrl());
        env.put("CHECKMOBI_SECRET_KEY", SECRET);
        env.put("MANAGEMENT_PORT", Integer.toString(port));
        // one instance alone: a consumer thread per partition (the default, 3, suits instances sharing partitions)
        env.put("KAFKA_CONSUMERS", Integer.toString(options.partitions()));
        // the throttle arriving in main: off, the harness sets the rate
        env.put("VERIFICATION_POLICY_MAX_REQUESTS_PER_SECOND", "0");
        // short deadlines for the HANGUP lateness probe, long ones for the pending phase
        env.put("VERIFICATION_TIMEOUT_MIN", "1");
        env.put("VERIFICATION_TIMEOUT_MAX", "7200");
        if (storeUrl != null) {
            env.put("VERIFICATION_STORE_URL", storeUrl);
            env.put("VERIFICATION_STORE_USER", "postgres");
            env.put("VERIFICATION_STORE_PASSWORD", "postgres");
        }
        return new Sut(target, env, port);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    // ---------------------------------------------------------------- throughput and latency

    private Map<String, Object> measureThroughputAndLatency(String target, List<Integer> rates, String mode,
                                                            boolean profile, boolean latencyAt200) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("loadAtStart", Proc.loadAverage());
        try (Driver driver = new Driver(bootstrapServers, simulator, target + "." + mode, options.partitions())) {
            Sut sut = newSut(target, driver, target.equals(POSTGRES) ? newDatabase() : null);
            try (sut) {
                result.put("startupMillis", sut.start(target + "-" + mode));
                driver.awaitReady();
                // warm-up (JIT, connection pools, consumer fetch sessions): as fast as the system takes them, with at
                // most 100 verifications open, so that a slow system is not flooded before the ladder starts
                long warmUntil = System.currentTimeMillis() + options.warmupSeconds() * 1000L;
                while (System.currentTimeMillis() < warmUntil) {
                    if (driver.outstanding() < 100) {
                        driver.start(600, true);
                    } else {
                        Thread.sleep(1);
                    }
                }
                result.put("warmupVerifications", driver.sent.get());
                driver.drain(30_000);
                driver.forgetCompleted();

                Path recording = options.work().resolve("jfr").resolve(target + "-" + mode + ".jfr");
                if (profile) {
                    Files.createDirectories(recording.getParent());
                    Files.deleteIfExists(recording);
                    sut.process.jcmd("JFR.start", "name=bench", "settings=default",
                            "filename=" + recording.toAbsolutePath());
                }
                List<Map<String, Object>> steps = new ArrayList<>();
                int saturation = 0;
                for (int rate : rates) {
                    Map<String, Object> step = step(driver, sut, rate);
                    steps.add(step);
                    log(target + " " + step);
                    if (!Boolean.TRUE.equals(step.get("keptUp"))) {
                        break;
                    }
                    saturation = rate;
                }
                if (profile) {
                    sut.process.jcmd("JFR.stop", "name=bench");
                    result.put("profile", JfrSummary.summarise(recording, 15));
                    result.put("profileFile", recording.toString());
                }
                result.put("steps", steps);
                result.put("saturationOfferedPerSecond", saturation);
                result.put("saturatedAtTopRate", saturation == rates.get(rates.size() - 1));
                double peak = steps.stream().mapToDouble(s -> ((Number) s.get("verifiedPerSecond")).doubleValue())
                        .max().orElse(0);
                result.put("peakVerifiedPerSecond", round(peak));

                // the step that fell behind may have left a backlog: the latency phases start from an empty pipeline
                result.put("leftBeforeLatencyPhases", driver.drain(120_000));
                driver.forgetCompleted();
                Map<String, Object> latency = new LinkedHashMap<>();
                for (String at : options.latencyAt()) {
                    double rate;
                    if (at.equals("half")) {
                        rate = saturation > 0 ? saturation / 2.0 : rates.get(0) / 2.0;
                    } else {
                        rate = Double.parseDouble(at);
                        if (!latencyAt200 || rate > saturation) {
                            continue;
                        }
                    }
                    latency.put(at.equals("half") ? "halfSaturation" : "at" + at,
                            latencyPhase(driver, sut, rate));
                }
                result.put("latency", latency);
                result.put("statuses", counts(driver));
                result.put("unexpected", driver.unexpected.get());
                result.put("rssKbAtEnd", sut.process.rssKb());
            }
        }
        return result;
    }

    private Map<String, Object> step(Driver driver, Sut sut, int rate) throws Exception {
        Cpu before = cpu(sut);
        long c0 = driver.completed.get();
        long v0 = driver.verified.get();
        long s0 = driver.sent.get();
        long millis = options.stepSeconds() * 1000L;
        List<Driver.Tracked> mine = new ArrayList<>(driver.offer(rate, millis / 2, 600, 0, 0));
        long outstandingMid = driver.outstanding();
        mine.addAll(driver.offer(rate, millis - millis / 2, 600, 0, 0));
        Cpu after = cpu(sut);
        long sent = driver.sent.get() - s0;
        long completed = driver.completed.get() - c0;
        long verified = driver.verified.get() - v0;
        long outstandingEnd = driver.outstanding();
        double seconds = (after.wallNanos - before.wallNanos) / 1e9;
        // kept up: at most 5 % of the step's STARTs (or what is normally in flight) still open at its end, and the
        // backlog not growing during the step's second half
        double inFlight = rate * inFlightSeconds();
        boolean keptUp = outstandingEnd <= Math.max(0.05 * sent, inFlight)
                && outstandingEnd - outstandingMid <= Math.max(0.02 * sent, inFlight / 2);
        long left = driver.drain(keptUp ? 30_000 : 10_000);
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("offeredPerSecond", rate);
        step.put("sentPerSecond", round(sent / seconds));
        step.put("completedPerSecond", round(completed / seconds));
        step.put("verifiedPerSecond", round(verified / seconds));
        step.put("outstandingAtMid", outstandingMid);
        step.put("outstandingAtEnd", outstandingEnd);
        step.put("keptUp", keptUp && left == 0);
        step.put("leftAfterDrain", left);
        step.put("callerIdToOutcomeMs", Stats.of(latencies(mine)));
        step.put("cpuCores", after.minus(before));
        step.put("load", Proc.loadAverage());
        driver.forgetCompleted();
        return step;
    }

    /** How long a verification is normally in flight: 1 s, plus request and verify at the simulator's latency. */
    private double inFlightSeconds() {
        return 1.0 + 2 * simulator.faults().extraLatency().toMillis() / 1000.0;
    }

    /** Offers a rate with a share of short-deadline verifications; latency of the answered, lateness of the others. */
    private Map<String, Object> latencyPhase(Driver driver, Sut sut, double rate) throws Exception {
        log(sut.target + ": latency at " + round(rate) + "/s");
        simulator.clearCalls();
        Cpu before = cpu(sut);
        List<Driver.Tracked> mine = driver.offer(rate, options.latencySeconds() * 1000L, 600, options.timeoutEvery(),
                options.hangupTimeoutSeconds());
        Cpu after = cpu(sut);
        long left = driver.drain(options.hangupTimeoutSeconds() * 1000L + 20_000);
        Map<String, Instant> hangupAt = new HashMap<>();
        for (RecordedCall call : simulator.calls()) {
            if (call.path().equals("/v1/validation/verify") && call.body() != null
                    && "HANGUP".equals(call.body().get("pin"))) {
                hangupAt.putIfAbsent((String) call.body().get("id"), call.receivedAt());
            }
        }
        simulator.clearCalls();
        List<Double> lateness = new ArrayList<>();
        long timedOut = 0;
        for (Driver.Tracked t : mine) {
            if (t.answer || t.validationId == null || t.expiresAt == null) {
                continue;
            }
            if ("TIMED_OUT".equals(t.status)) {
                timedOut++;
            }
            Instant hangup = hangupAt.get(t.validationId);
            if (hangup != null) {
                lateness.add(Duration.between(t.expiresAt, hangup).toNanos() / 1e6);
            }
        }
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("offeredPerSecond", round(rate));
        phase.put("sent", mine.size());
        phase.put("leftAfterDrain", left);
        phase.put("callerIdToOutcomeMs", Stats.of(latencies(mine)));
        phase.put("startToCallRequestedMs", Stats.of(mine.stream().filter(t -> t.callRequestedNanos != 0)
                .map(t -> (t.callRequestedNanos - t.sentNanos) / 1e6).toList()));
        phase.put("timedOutOutcomes", timedOut);
        phase.put("hangupLatenessMs", Stats.of(lateness));
        phase.put("cpuCores", after.minus(before));
        phase.put("load", Proc.loadAverage());
        driver.forgetCompleted();
        return phase;
    }

    private static List<Double> latencies(List<Driver.Tracked> tracked) {
        List<Double> values = new ArrayList<>();
        for (Driver.Tracked t : tracked) {
            if (t.answer && t.callerIdSentNanos != 0 && t.outcomeNanos != 0) {
                values.add((t.outcomeNanos - t.callerIdSentNanos) / 1e6);
            }
        }
        return values;
    }

    private static Map<String, Long> counts(Driver driver) {
        Map<String, Long> counts = new TreeMap<>();
        driver.statuses.forEach((status, count) -> counts.put(status, count.get()));
        return counts;
    }

    // ---------------------------------------------------------------- pending verifications and restart

    private Map<String, Object> measurePending(String target) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("loadAtStart", Proc.loadAverage());
        int count = options.pending();
        try (Driver driver = new Driver(bootstrapServers, simulator, target + ".pending", options.partitions())) {
            Sut sut = newSut(target, driver, target.equals(POSTGRES) ? newDatabase() : null);
            try (sut) {
                result.put("startupMillis", sut.start(target + "-pending"));
                driver.awaitReady();
                long baselineKb = sut.process.heapUsedAfterGcKb();
                result.put("heapUsedAfterGcMiBBefore", round(baselineKb / 1024.0));
                long begin = System.nanoTime();
                List<Driver.Tracked> all = new ArrayList<>(count);
                long deadline = System.currentTimeMillis() + options.pendingMaxSeconds() * 1000L;
                while (all.size() < count && System.currentTimeMillis() < deadline) {
                    // at most 2,000 not yet CALL_REQUESTED: as fast as the system takes them, without a flood
                    if (driver.sent.get() - driver.callRequested.get() < 2000) {
                        for (int i = 0; i < 100 && all.size() < count; i++) {
                            all.add(driver.start(7200, false));
                        }
                    } else {
                        Thread.sleep(2);
                    }
                }
                while (driver.callRequested.get() < count && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                double seconds = (System.nanoTime() - begin) / 1e9;
                result.put("pending", driver.callRequested.get());
                result.put("pendingAsked", count);
                result.put("secondsToCallRequestedAll", round(seconds));
                result.put("startsPerSecond", round(driver.callRequested.get() / seconds));
                Thread.sleep(2000);
                long heapKb = sut.process.heapUsedAfterGcKb();
                result.put("heapUsedAfterGcMiB", round(heapKb / 1024.0));
                long reached = driver.callRequested.get();
                if (reached > 0) {
                    double perPending = (heapKb - baselineKb) * 1024.0 / reached;
                    result.put("heapBytesPerPending", Math.round(perPending));
                    result.put("heapMiBProjectedFor100k", round((baselineKb * 1024.0 + perPending * 100_000) / (1024 * 1024)));
                }
                result.put("rssMiB", round(sut.process.rssKb() / 1024.0));
                result.put("maxHeap", options.appHeap());
                result.put("heapInfo", sut.process.jcmd("GC.heap_info").trim());
                log(target + " pending " + result);

                // restart: what survives, and how long until the old verifications complete again
                long stopBegin = System.nanoTime();
                boolean graceful = sut.process.stop(60);
                result.put("stopMillis", (System.nanoTime() - stopBegin) / 1_000_000);
                result.put("stoppedGracefully", graceful);
                long restartBegin = System.nanoTime();
                result.put("restartReadyMillis", sut.start(target + "-pending-restarted"));
                List<Driver.Tracked> sample = new ArrayList<>(all);
                Collections.shuffle(sample, new Random(42));
                sample = sample.subList(0, Math.min(options.recoverySample(), sample.size()));
                for (Driver.Tracked t : sample) {
                    driver.answerNow(t);
                }
                long wait = target.equals(POSTGRES) ? 300_000 : options.lostWaitSeconds() * 1000L;
                long until = System.currentTimeMillis() + wait;
                List<Driver.Tracked> finalSample = sample;
                while (System.currentTimeMillis() < until
                        && finalSample.stream().anyMatch(t -> !"VERIFIED".equals(t.status))) {
                    Thread.sleep(50);
                }
                long verified = sample.stream().filter(t -> "VERIFIED".equals(t.status)).count();
                long lastOutcome = sample.stream().mapToLong(t -> t.outcomeNanos).max().orElse(0);
                result.put("recoverySample", sample.size());
                result.put("recoverySampleVerified", verified);
                result.put("recoverySampleOtherOutcomes", sample.stream()
                        .filter(t -> t.status != null && !"VERIFIED".equals(t.status)).count());
                if (verified == sample.size() && lastOutcome > restartBegin) {
                    result.put("recoveredMillisAfterRestart", (lastOutcome - restartBegin) / 1_000_000);
                }
                result.put("rssMiBAfterRestart", round(sut.process.rssKb() / 1024.0));
                result.put("heapUsedAfterGcMiBAfterRestart", round(sut.process.heapUsedAfterGcKb() / 1024.0));
                result.put("verdict", verified == sample.size()
                        ? "pending verifications survive a restart"
                        : verified == 0 ? "pending verifications are lost on restart (in memory by design)"
                        : "only " + verified + " of " + sample.size() + " sampled pending verifications completed after the restart");
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- CPU accounting

    /** CPU seconds used so far by each part of the run, and the machine's busy share. */
    record Cpu(long wallNanos, Map<String, Double> seconds, long busyJiffies, long totalJiffies) {

        Map<String, Object> minus(Cpu earlier) {
            double wall = (wallNanos - earlier.wallNanos) / 1e9;
            Map<String, Object> cores = new LinkedHashMap<>();
            seconds.forEach((part, value) -> {
                Double before = earlier.seconds.get(part);
                if (before != null && value >= 0 && before >= 0) {
                    cores.put(part, round(Math.max(0, value - before) / wall));
                }
            });
            long total = totalJiffies - earlier.totalJiffies;
            cores.put("machineBusyPercent", total == 0 ? 0 : round(100.0 * (busyJiffies - earlier.busyJiffies) / total));
            return cores;
        }
    }

    private Cpu cpu(Sut sut) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put(sut.target.equals(PEER) ? "peer" : "app", sut.process.cpuSeconds());
        Map<String, Double> threads = Proc.threadCpuByGroup(BenchRun::threadPart);
        double harnessTotal = Proc.cpuSeconds(ProcessHandle.current().pid(), false);
        double simulatorCpu = threads.getOrDefault("simulator", 0.0);
        double brokerInProcess = threads.getOrDefault("broker", 0.0);
        if (brokerProcess != null) {
            seconds.put("broker", brokerProcess.cpuSeconds());
        } else {
            seconds.put("broker", brokerInProcess);
        }
        seconds.put("simulator", simulatorCpu);
        seconds.put("driver", harnessTotal - simulatorCpu - brokerInProcess);
        if (postmasterPid > 0 && sut.target.equals(POSTGRES)) {
            seconds.put("postgres", Proc.treeCpuSeconds(postmasterPid));
        }
        long[] jiffies = Proc.machineJiffies();
        return new Cpu(System.nanoTime(), seconds, jiffies[0], jiffies[1]);
    }

    private static String threadPart(String name) {
        if (name.startsWith("checkmobi-simulator") || name.startsWith("HTTP-Dispatcher")) {
            return "simulator";
        }
        if (name.startsWith("kafka-producer-network-thread") || name.startsWith("bench-driver")
                || name.startsWith("kafka-coordinator-heartbeat")) {
            return "driver";
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("kafka") || lower.contains("broker") || lower.contains("controller")
                || lower.contains("raft") || lower.contains("quorum") || lower.contains("log-cleaner")
                || lower.contains("group-coordinator") || lower.contains("transaction")) {
            return "broker";
        }
        return "driver";
    }

    // ---------------------------------------------------------------- machine and helpers

    private Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("cpuModel", Proc.firstMatching(Path.of("/proc/cpuinfo"), "model name"));
        machine.put("memory", Proc.firstMatching(Path.of("/proc/meminfo"), "MemTotal"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        machine.put("kafka", org.apache.kafka.common.utils.AppInfoParser.getVersion()
                + " (broker: KRaft test kit, " + options.broker() + ")");
        machine.put("camel", camelVersion());
        machine.put("gitCommit", git("rev-parse", "HEAD") + (git("status", "--porcelain").isBlank() ? "" : " (with uncommitted changes)"));
        machine.put("gitBranch", git("rev-parse", "--abbrev-ref", "HEAD"));
        machine.put("appJvm", "java -Xmx" + options.appHeap() + " " + String.join(" ", options.appJvmOptions()) + " -jar target/missed-call-verification.jar (JDK defaults otherwise: G1, "
                + "heap initial 1/64 of RAM)");
        return machine;
    }

    private String camelVersion() {
        String property = System.getProperty("bench.camelVersion");
        if (property != null && !property.isBlank()) {
            return property;
        }
        try (var files = Files.list(options.projectDir().resolve("target/lib"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("camel-api-"))
                    .map(n -> n.substring("camel-api-".length(), n.length() - ".jar".length())).findFirst().orElse("unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }

    private String git(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("git", "-C", options.projectDir().toString()));
            command.addAll(List.of(args));
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            git.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return "unknown";
        }
    }

    private Map<String, Object> optionsAsMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("targets", options.targets());
        map.put("rates", options.rates());
        map.put("realisticRates", options.realisticRates());
        map.put("realisticLatencyMs", options.realisticLatencyMs());
        map.put("stepSeconds", options.stepSeconds());
        map.put("warmupSeconds", options.warmupSeconds());
        map.put("latencySeconds", options.latencySeconds());
        map.put("latencyAt", options.latencyAt());
        map.put("timeoutEvery", options.timeoutEvery());
        map.put("hangupTimeoutSeconds", options.hangupTimeoutSeconds());
        map.put("pending", options.pending());
        map.put("pendingTargets", options.pendingTargets());
        map.put("pendingMaxSeconds", options.pendingMaxSeconds());
        map.put("skip", options.skip());
        map.put("partitions", options.partitions());
        map.put("broker", options.broker());
        map.put("appHeap", options.appHeap());
        map.put("appJvmOptions", options.appJvmOptions());
        return map;
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    static void log(String message) {
        System.out.println(Instant.now().toString().substring(11, 19) + " [bench] " + message);
        System.out.flush();
    }

    static String json(Object value) throws Exception {
        return JSON.writeValueAsString(value);
    }
}
