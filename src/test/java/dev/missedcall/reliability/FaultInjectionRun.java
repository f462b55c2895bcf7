package dev.missedcall.reliability;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.missedcall.simulator.CheckMobiSimulator;
import dev.missedcall.simulator.Faults;
import dev.missedcall.simulator.RecordedCall;
import dev.missedcall.simulator.Ringing;
import dev.missedcall.testing.AppProcess;
import dev.missedcall.testing.KafkaTestBroker;
import dev.missedcall.testing.TopicRecorder;
import dev.missedcall.verification.Publications;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives thousands of verifications through two application processes on one PostgreSQL store, kills them with
 * SIGKILL at random moments and restarts them, injects CheckMobi faults (latency, 5xx, dropped connections), then
 * checks the invariants from the simulator's call log and the outcomes topic. Exit code 1 on any violation.
 *
 * <pre>mvn -Preliability                                     (5,000 verifications, 12 kills)
 * mvn -Preliability -Dexec.args="--verifications 300 --kills 3"</pre>
 */
public final class FaultInjectionRun {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String SECRET = "fault-run-secret";
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final String COMMANDS = "verification.commands";
    private static final String CALLERID = "verification.callerid";
    private static final String EVENTS = "verification.events";
    private static final String OUTCOMES = "verification.outcomes";
    private static final String DLQ = "verification.dlq";

    /** What the run is asked to do. */
    public record Options(int verifications, int kills, int ratePerSecond, Path reportDirectory, long seed) {

        static Options parse(String[] args) {
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                given.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            }
            return new Options(Integer.parseInt(given.getOrDefault("verifications", "5000")),
                    Integer.parseInt(given.getOrDefault("kills", "12")),
                    Integer.parseInt(given.getOrDefault("rate", "25")),
                    Path.of(given.getOrDefault("report", "target/reliability")),
                    Long.parseLong(given.getOrDefault("seed", Long.toString(System.nanoTime()))));
        }
    }

    /** The figures of a run; {@link #violations()} must be all zero. */
    public record Result(Map<String, Object> figures, Map<String, Long> violations) {

        public boolean passed() {
            return violations.values().stream().allMatch(count -> count == 0);
        }
    }

    public static void main(String[] args) throws Exception {
        Result result = run(Options.parse(args));
        System.exit(result.passed() ? 0 : 1);
    }

    public static Result run(Options options) throws Exception {
        Random random = new Random(options.seed());
        Instant began = Instant.now();
        try (KafkaTestBroker broker = KafkaTestBroker.start();
             EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             CheckMobiSimulator simulator = CheckMobiSimulator.start("127.0.0.1", 0, SECRET)) {
            broker.createTopics(6, COMMANDS, CALLERID, EVENTS, OUTCOMES, DLQ);
            String brokers = broker.bootstrapServers();
            Map<String, String> environment = new HashMap<>();
            environment.put("KAFKA_BROKERS", brokers);
            environment.put("CHECKMOBI_BASE_URL", simulator.baseUrl());
            environment.put("CHECKMOBI_SECRET_KEY", SECRET);
            environment.put("VERIFICATION_STORE_URL", postgres.getJdbcUrl("postgres", "postgres"));
            environment.put("VERIFICATION_STORE_USER", "postgres");
            environment.put("VERIFICATION_STORE_PASSWORD", "postgres");
            environment.put("VERIFICATION_TIMEOUT_MIN", "1");
            environment.put("VERIFICATION_SWEEPER_GRACE", GRACE.toMillis() + "ms");
            environment.put("VERIFICATION_SWEEPER_INTERVAL", "500");
            environment.put("VERIFICATION_SWEEPER_INTERRUPTED_AFTER", "15s");
            environment.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
            environment.put("KAFKA_HEARTBEAT_INTERVAL_MS", "2000");
            environment.put("CHECKMOBI_RESPONSE_TIMEOUT", "3000");

            try (TopicRecorder recorder = new TopicRecorder(brokers, EVENTS, OUTCOMES);
                 KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                         ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                         ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                         ProducerConfig.ACKS_CONFIG, "all"));
                 Phones phones = new Phones(recorder, simulator, producer, options.seed())) {
                AppProcess[] instances = {AppProcess.start("fault-run-a", withFreeManagementPort(environment)),
                        AppProcess.start("fault-run-b", withFreeManagementPort(environment))};
                instances[0].awaitStarted();
                instances[1].awaitStarted();
                phones.start();

                Map<String, String> numberOf = new LinkedHashMap<>();
                Set<String> cancelled = new HashSet<>();
                long sendMillis = options.verifications() * 1000L / options.ratePerSecond();
                List<Instant> kills = new ArrayList<>();
                ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor();
                scheduleFaults(chaos, simulator, random, sendMillis);
                Thread killer = killer(instances, environment, options.kills(), sendMillis, random, kills);
                killer.start();

                long start = System.nanoTime();
                for (int i = 0; i < options.verifications(); i++) {
                    long due = start + TimeUnit.MILLISECONDS.toNanos(i * 1000L / options.ratePerSecond());
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String id = "fault-" + options.seed() + "-" + i;
                    String number = "+447401" + String.format("%06d", i);
                    numberOf.put(id, number);
                    int timeout = 3 + random.nextInt(4);
                    String start1 = "{\"type\":\"START\",\"verificationId\":\"" + id + "\",\"number\":\"" + number
                            + "\",\"timeoutSeconds\":" + timeout + ",\"metadata\":{\"run\":\"fault\"}}";
                    producer.send(new ProducerRecord<>(COMMANDS, id, start1));
                    if (random.nextInt(100) < 5) {
                        producer.send(new ProducerRecord<>(COMMANDS, id, start1));
                    }
                    if (random.nextInt(100) < 5) {
                        cancelled.add(id);
                        String cancel = "{\"type\":\"CANCEL\",\"verificationId\":\"" + id + "\"}";
                        chaos.schedule(() -> producer.send(new ProducerRecord<>(COMMANDS, id, cancel)),
                                500 + random.nextInt(1500), TimeUnit.MILLISECONDS);
                    }
                }
                producer.flush();
                killer.join();
                chaos.shutdownNow();
                simulator.setFaults(Faults.NONE);
                for (AppProcess instance : instances) {
                    if (!instance.isAlive()) {
                        throw new IllegalStateException("an instance is down at the end of the run");
                    }
                }
                // every verification has its deadline (6 s at most), the sweeper's grace, and interrupted calls 15 s
                long settle = System.currentTimeMillis() + 120_000;
                while (System.currentTimeMillis() < settle && !allEnded(recorder, numberOf.keySet())) {
                    Thread.sleep(500);
                }
                Thread.sleep(3000);
                for (AppProcess instance : instances) {
                    instance.stop(20);
                }
                Result result = check(options, numberOf, cancelled, recorder, simulator, kills,
                        Duration.between(began, Instant.now()));
                report(options, result);
                return result;
            }
        }
    }

    /** Each instance its own health and metrics port, as each pod has. */
    private static Map<String, String> withFreeManagementPort(Map<String, String> environment) throws Exception {
        Map<String, String> own = new HashMap<>(environment);
        own.put("MANAGEMENT_PORT", Integer.toString(AppProcess.freePort()));
        return own;
    }

    /** Rotates CheckMobi's behaviour: calm, slow, failing with 5xx, dropping connections. */
    private static void scheduleFaults(ScheduledExecutorService chaos, CheckMobiSimulator simulator, Random random,
                                       long sendMillis) {
        List<Faults> phases = List.of(Faults.NONE,
                new Faults(Duration.ofMillis(150), 0, 0),
                new Faults(Duration.ZERO, 0.05, 0),
                new Faults(Duration.ofMillis(30), 0, 0.03));
        long phase = Math.max(2000, sendMillis / 12);
        for (long at = 0; at < sendMillis; at += phase) {
            Faults faults = phases.get(random.nextInt(phases.size()));
            chaos.schedule(() -> simulator.setFaults(faults), at, TimeUnit.MILLISECONDS);
        }
    }

    /** Kills one instance at a time (SIGKILL) at random moments while commands flow, and restarts it. */
    private static Thread killer(AppProcess[] instances, Map<String, String> environment, int kills, long sendMillis,
                                 Random random, List<Instant> killTimes) {
        return new Thread(() -> {
            try {
                long slot = sendMillis / Math.max(1, kills);
                for (int k = 0; k < kills; k++) {
                    Thread.sleep(Math.max(500, slot / 2 + random.nextInt((int) Math.max(1, slot / 2)) - 2500));
                    int victim = random.nextInt(instances.length);
                    instances[victim].kill();
                    killTimes.add(Instant.now());
                    Thread.sleep(1000 + random.nextInt(1500));
                    instances[victim] = AppProcess.start("fault-run-" + victim + "-" + k,
                            withFreeManagementPort(environment));
                    instances[victim].awaitStarted();
                }
            } catch (Exception e) {
                throw new IllegalStateException("the killer failed", e);
            }
        }, "killer");
    }

    private static boolean allEnded(TopicRecorder recorder, Set<String> ids) {
        Set<String> ended = recorder.all().stream().filter(seen -> seen.topic().equals(OUTCOMES))
                .map(TopicRecorder.Seen::keyText).collect(Collectors.toSet());
        return ended.containsAll(ids);
    }

    @SuppressWarnings("unchecked")
    private static Result check(Options options, Map<String, String> numberOf, Set<String> cancelled,
                                TopicRecorder recorder, CheckMobiSimulator simulator, List<Instant> kills,
                                Duration took) throws Exception {
        Map<String, List<Map<String, Object>>> outcomes = new HashMap<>();
        Map<String, Instant> deadlineOfValidation = new HashMap<>();
        for (TopicRecorder.Seen seen : recorder.all()) {
            Map<String, Object> value = JSON.readValue(seen.value(), Map.class);
            if (seen.topic().equals(OUTCOMES)) {
                outcomes.computeIfAbsent(seen.keyText(), id -> new ArrayList<>()).add(value);
            } else if ("CALL_REQUESTED".equals(value.get("type"))) {
                deadlineOfValidation.put((String) value.get("validationId"),
                        Instant.parse((String) value.get("expiresAt")));
            }
        }
        List<RecordedCall> calls = simulator.calls();
        Map<String, Long> requestsPerNumber = calls.stream()
                .filter(call -> call.path().equals("/v1/validation/request") && call.body() != null)
                .collect(Collectors.groupingBy(call -> (String) call.body().get("number"), Collectors.counting()));
        Map<String, List<RecordedCall>> verifiesPerValidation = calls.stream()
                .filter(call -> call.path().equals("/v1/validation/verify") && call.body() != null)
                .collect(Collectors.groupingBy(call -> (String) call.body().get("id")));

        long lost = 0;
        long conflicting = 0;
        long repeated = 0;
        long duplicateRequests = 0;
        long doubleVerifies = 0;
        long unhungKnown = 0;
        long unhungUnknown = 0;
        Map<String, Long> statuses = new HashMap<>();
        Map<String, Long> reasons = new HashMap<>();
        List<Long> lateness = new ArrayList<>();
        List<Long> latenessAfterKill = new ArrayList<>();
        for (Map.Entry<String, String> verification : numberOf.entrySet()) {
            List<Map<String, Object>> mine = outcomes.getOrDefault(verification.getKey(), List.of());
            if (mine.isEmpty()) {
                lost++;
                continue;
            }
            Set<Map<String, Object>> distinct = new HashSet<>(mine);
            if (distinct.size() > 1) {
                conflicting++;
            }
            repeated += mine.size() - 1;
            Map<String, Object> outcome = mine.get(0);
            statuses.merge((String) outcome.get("status"), 1L, Long::sum);
            if (outcome.get("reason") != null) {
                reasons.merge((String) outcome.get("reason"), 1L, Long::sum);
            }
            String number = verification.getValue();
            if (requestsPerNumber.getOrDefault(number, 0L) > 1) {
                duplicateRequests++;
            }
            Ringing ringing = simulator.ringingTo(number).orElse(null);
            if (ringing != null) {
                List<RecordedCall> verifies = verifiesPerValidation.getOrDefault(ringing.validationId(), List.of());
                if (verifies.size() > 1) {
                    doubleVerifies++;
                }
                if (verifies.isEmpty()) {
                    // a process died with the call on the wire: the Request Validation (whose answer, the id, died
                    // with it) or the Verify PIN it had just claimed; sending one later could be a second
                    boolean verifyInterrupted = outcome.get("error") instanceof Map<?, ?> error
                            && error.get("message") instanceof String message
                            && message.startsWith(Publications.VERIFY_INTERRUPTED_MESSAGE);
                    if (verifyInterrupted || "request_interrupted".equals(outcome.get("reason"))) {
                        unhungUnknown++;
                    } else {
                        unhungKnown++;
                    }
                }
                Instant deadline = deadlineOfValidation.get(ringing.validationId());
                if (verifies.size() == 1 && deadline != null && "HANGUP".equals(verifies.get(0).body().get("pin"))
                        && "TIMED_OUT".equals(outcome.get("status"))) {
                    long late = Duration.between(deadline, verifies.get(0).receivedAt()).toMillis();
                    lateness.add(late);
                    // pending when an instance died, and due before it could have been restarted
                    if (kills.stream().anyMatch(kill -> !deadline.isBefore(kill) && !deadline.isAfter(kill.plusSeconds(10)))) {
                        latenessAfterKill.add(late);
                    }
                }
            }
        }
        long limit = GRACE.toMillis() + 2000;
        long lateBeyondLimit = lateness.stream().filter(l -> l > limit).count();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("verifications", numberOf.size());
        figures.put("kills", kills.size());
        figures.put("cancelsSent", cancelled.size());
        figures.put("durationSeconds", took.toSeconds());
        figures.put("seed", options.seed());
        figures.put("outcomesByStatus", new java.util.TreeMap<>(statuses));
        figures.put("outcomesByReason", new java.util.TreeMap<>(reasons));
        figures.put("repeatedIdenticalOutcomeRecords", repeated);
        figures.put("recordsRead", recorder.all().stream()
                .collect(Collectors.groupingBy(TopicRecorder.Seen::topic, java.util.TreeMap::new, Collectors.counting())));
        figures.put("requestValidationCalls", requestsPerNumber.values().stream().mapToLong(Long::longValue).sum());
        figures.put("verifyPinCalls", verifiesPerValidation.values().stream().mapToLong(List::size).sum());
        figures.put("callsWithoutVerifyBecauseAKillCaughtTheCallOnTheWire", unhungUnknown);
        figures.put("hangupLatenessMs", percentiles(lateness));
        figures.put("hangupLatenessDeadlineWithin10sAfterAKillMs", percentiles(latenessAfterKill));
        figures.put("hangupLatenessLimitMs", limit);

        Map<String, Long> violations = new LinkedHashMap<>();
        violations.put("lostOutcomes", lost);
        violations.put("conflictingOutcomes", conflicting);
        violations.put("duplicateRequests", duplicateRequests);
        violations.put("doubleVerifies", doubleVerifies);
        violations.put("callsLeftWithoutVerify", unhungKnown);
        violations.put("hangupsLaterThanLimit", lateBeyondLimit);
        return new Result(figures, violations);
    }

    private static Map<String, Long> percentiles(List<Long> values) {
        Map<String, Long> result = new LinkedHashMap<>();
        List<Long> sorted = values.stream().sorted().toList();
        result.put("count", (long) sorted.size());
        if (!sorted.isEmpty()) {
            result.put("p50", sorted.get(sorted.size() / 2));
            result.put("p99", sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)));
            result.put("max", sorted.get(sorted.size() - 1));
        }
        return result;
    }

    private static void report(Options options, Result result) throws Exception {
        Files.createDirectories(options.reportDirectory());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("date", Instant.now().toString());
        document.put("passed", result.passed());
        document.put("violations", result.violations());
        document.put("figures", result.figures());
        String json = JSON.writeValueAsString(document);
        Files.writeString(options.reportDirectory().resolve("fault-injection.json"), json, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("Fault-injection run " + (result.passed() ? "PASSED" : "FAILED"));
        System.out.println(json);
    }

    /**
     * The mobile backends of the run: on CALL_REQUESTED, most phones report the right digits, some report a
     * replaced number, some never see the call, after a random delay. Independent of the killed processes.
     */
    private static final class Phones implements AutoCloseable {

        private final TopicRecorder recorder;
        private final CheckMobiSimulator simulator;
        private final KafkaProducer<String, String> producer;
        private final Random random;
        private final Set<String> reported = ConcurrentHashMap.newKeySet();
        private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

        Phones(TopicRecorder recorder, CheckMobiSimulator simulator, KafkaProducer<String, String> producer, long seed) {
            this.recorder = recorder;
            this.simulator = simulator;
            this.producer = producer;
            this.random = new Random(seed + 1);
        }

        void start() {
            scheduler.scheduleWithFixedDelay(this::answerCalls, 50, 50, TimeUnit.MILLISECONDS);
        }

        @SuppressWarnings("unchecked")
        private void answerCalls() {
            for (TopicRecorder.Seen seen : recorder.all()) {
                if (!seen.topic().equals(EVENTS) || !reported.add(seen.partition() + "@" + seen.offset())) {
                    continue;
                }
                try {
                    Map<String, Object> event = JSON.readValue(seen.value(), Map.class);
                    Ringing ringing = simulator.ringing((String) event.get("validationId")).orElse(null);
                    int fate = random.nextInt(100);
                    if (ringing == null || fate >= 85) {
                        continue;
                    }
                    String calling = ringing.callingNumber();
                    String shown = fate < 70 ? calling
                            : calling.substring(0, calling.length() - 4)
                                    + String.format("%04d", (Integer.parseInt(ringing.pin()) + 1) % 10000);
                    String report = "{\"verificationId\":\"" + event.get("verificationId") + "\",\"callerNumber\":\""
                            + shown + "\"}";
                    scheduler.schedule(() -> producer.send(new ProducerRecord<>(CALLERID,
                            (String) event.get("verificationId"), report)), 100 + random.nextInt(1400),
                            TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    // an event that is not ours: phones ignore it
                }
            }
        }

        @Override
        public void close() {
            scheduler.shutdownNow();
        }
    }
}
