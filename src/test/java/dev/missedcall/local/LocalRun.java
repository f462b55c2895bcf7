package dev.missedcall.local;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import sun.misc.Signal;
import dev.missedcall.Application;
import dev.missedcall.phone.PhoneNumbers;
import dev.missedcall.simulator.CheckMobiSimulator;
import dev.missedcall.simulator.SimulatedPhones;
import dev.missedcall.simulator.TestNumber;
import dev.missedcall.testing.KafkaTestBroker;
import dev.missedcall.testing.TopicRecorder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code mvn -Plocal}: everything on one laptop. A real Kafka broker in this process (also on localhost:9092 for
 * your own tools), the CheckMobi simulator with its simulated phones, and the routes. A demo verification for each
 * outcome, a table of outcomes as they arrive, then it keeps running for your own records until Ctrl+C.
 */
public final class LocalRun implements AutoCloseable {

    public static final String SECRET_KEY = "local-demo-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Numbers a test number's description mentions: masked like every number the run prints. */
    private static final Pattern INTERNATIONAL_NUMBER = Pattern.compile("\\+[0-9]{7,15}");

    private final KafkaTestBroker broker;
    private final EmbeddedPostgres postgres;
    private final CheckMobiSimulator simulator;
    private final SimulatedPhones phones;
    private final Main app;
    private final KafkaProducer<String, String> producer;
    private final TopicRecorder outcomes;
    private final String kafkaAddress;
    private final Map<String, String> scenarios = new ConcurrentHashMap<>();
    private final Set<String> printed = ConcurrentHashMap.newKeySet();
    private final Thread tablePrinter;
    private boolean closed;

    private LocalRun(int kafkaPort, int simulatorPort) throws Exception {
        broker = KafkaTestBroker.start(kafkaPort);
        kafkaAddress = kafkaPort > 0 ? "localhost:" + kafkaPort : broker.bootstrapServers();
        broker.createTopics("verification.commands", "verification.callerid", "verification.events",
                "verification.outcomes", "verification.dlq");
        // the production path: pending verifications and once-only records in a real PostgreSQL
        postgres = EmbeddedPostgres.builder().start();
        simulator = CheckMobiSimulator.start("127.0.0.1", simulatorPort, SECRET_KEY);
        phones = new SimulatedPhones(simulator, kafkaAddress, "verification.events", "verification.callerid");
        phones.start();
        Properties overrides = new Properties();
        overrides.put("kafka.brokers", kafkaAddress);
        overrides.put("checkmobi.base-url", simulator.baseUrl());
        overrides.put("checkmobi.secret-key", SECRET_KEY);
        overrides.put("verification.store.url", postgres.getJdbcUrl("postgres", "postgres"));
        overrides.put("verification.store.user", "postgres");
        overrides.put("verification.store.password", "postgres");
        // the demo and the console call the same test numbers again and again: no cooldown, the daily maximum stays
        overrides.put("verification.policy.number.cooldown", "0s");
        app = Application.newMain();
        app.setOverrideProperties(overrides);
        app.start();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaAddress,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        outcomes = new TopicRecorder(kafkaAddress, "verification.outcomes", "verification.events");
        tablePrinter = new Thread(this::printOutcomes, "outcome-table");
        tablePrinter.setDaemon(true);
        tablePrinter.start();
    }

    public static void main(String[] args) throws Exception {
        boolean exitAfterDemo = List.of(args).contains("--exit-after-demo");
        int kafkaPort = Integer.getInteger("local.kafka.port", 9092);
        int simulatorPort = Integer.getInteger("local.simulator.port", 8099);
        LocalRun run;
        try {
            run = new LocalRun(kafkaPort, simulatorPort);
        } catch (Exception e) {
            System.err.println("The local run cannot start: " + e.getMessage()
                    + "\nIs another Kafka on port " + kafkaPort + " or another simulator on port " + simulatorPort
                    + "? Choose others with -Dlocal.kafka.port=… -Dlocal.simulator.port=…");
            System.exit(1);
            return;
        }
        // Ctrl+C stops everything in order before the JVM's shutdown starts: the broker's temp-dir cleanup, a
        // shutdown hook of Kafka's test kit, would otherwise pull the log dirs from under a running broker
        Signal.handle(new Signal("INT"), signal -> {
            run.close();
            System.exit(0);
        });
        boolean everyOutcome = run.demo(Duration.ofSeconds(60));
        if (exitAfterDemo) {
            run.close();
            System.exit(everyOutcome ? 0 : 1);
        }
        run.printHowToSendYourOwn();
        run.readCommands();
        new CountDownLatch(1).await();
    }

    /** The demo on random ports, for a test: true when every demo verification got its outcome. */
    static boolean demoOnRandomPorts() throws Exception {
        try (LocalRun run = new LocalRun(0, 0)) {
            return run.demo(Duration.ofSeconds(60));
        }
    }

    /** Starts one verification per outcome and waits until each has its outcome. */
    boolean demo(Duration atMost) throws Exception {
        System.out.println();
        System.out.println("Demo: one verification for each outcome (TIMED_OUT takes its 10 s deadline).");
        System.out.println();
        System.out.printf("%-8s  %-26s  %-13s  %-22s  %s%n", "time", "verificationId", "status", "reason",
                "scenario");
        Map<String, TestNumber> demo = new LinkedHashMap<>();
        demo.put("demo-verified", TestNumber.VERIFIED_E164);
        demo.put("demo-ios-typed-pin", TestNumber.VERIFIED_TYPED_PIN);
        demo.put("demo-wrong-digits", TestNumber.WRONG_DIGITS);
        demo.put("demo-timed-out", TestNumber.NEVER_CALLED);
        demo.put("demo-cancelled", TestNumber.NEVER_CALLED);
        demo.put("demo-rejected", TestNumber.REJECTED_METHOD_NOT_AVAILABLE);
        demo.put("demo-premium-rate", TestNumber.PREMIUM_RATE);
        demo.put("demo-failed", TestNumber.REQUEST_SERVER_ERROR);
        String run = Long.toString(System.currentTimeMillis() % 100000);
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, TestNumber> entry : demo.entrySet()) {
            String id = entry.getKey() + "-" + run;
            ids.add(id);
            scenarios.put(id, PhoneNumbers.mask(entry.getValue().number()) + ": "
                    + INTERNATIONAL_NUMBER.matcher(entry.getValue().description())
                            .replaceAll(number -> PhoneNumbers.mask(number.group())));
            int timeout = entry.getKey().equals("demo-timed-out") ? 10 : 60;
            send("verification.commands", id, "{\"type\":\"START\",\"verificationId\":\"" + id + "\",\"number\":\""
                    + entry.getValue().number() + "\",\"platform\":\"android\",\"timeoutSeconds\":" + timeout
                    + ",\"metadata\":{\"demo\":true}}");
        }
        Thread.sleep(3000);
        String cancelled = ids.get(4);
        scenarios.put(cancelled, "the signup service sends CANCEL while the phone rings");
        send("verification.commands", cancelled, "{\"type\":\"CANCEL\",\"verificationId\":\"" + cancelled + "\"}");
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline && !printed.containsAll(ids)) {
            Thread.sleep(200);
        }
        return printed.containsAll(ids);
    }

    private void send(String topic, String key, String json) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, json)).get(10, TimeUnit.SECONDS);
    }

    private void printOutcomes() {
        while (!Thread.currentThread().isInterrupted()) {
            for (TopicRecorder.Seen seen : outcomes.all()) {
                if (printed.add(seen.topic() + "@" + seen.partition() + "/" + seen.offset())) {
                    if (seen.topic().equals("verification.outcomes")) {
                        printed.add(seen.keyText());
                        printRow(seen);
                    } else if (!scenarios.containsKey(seen.keyText())) {
                        printEvent(seen);
                    }
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void printRow(TopicRecorder.Seen seen) {
        try {
            Map<String, Object> outcome = JSON.readValue(seen.value(), Map.class);
            System.out.printf("%-8s  %-26s  %-13s  %-22s  %s%n", LocalTime.now().format(CLOCK),
                    outcome.get("verificationId"), outcome.get("status"),
                    outcome.get("reason") == null ? "" : outcome.get("reason"),
                    scenarios.getOrDefault(seen.keyText(), "your verification"));
        } catch (Exception e) {
            System.out.println("(an outcome that is not JSON: " + seen.valueText() + ")");
        }
    }

    /**
     * For your own verifications: what the phone's screen shows, so that you can type the PIN yourself, and whether
     * a typed PIN was rejected.
     */
    @SuppressWarnings("unchecked")
    private void printEvent(TopicRecorder.Seen seen) {
        try {
            Map<String, Object> event = JSON.readValue(seen.value(), Map.class);
            if ("PIN_REJECTED".equals(event.get("type"))) {
                System.out.printf("%-8s  %-26s  PIN_REJECTED: it does not fit the call; %s attempts left%n",
                        LocalTime.now().format(CLOCK), event.get("verificationId"), event.get("attemptsLeft"));
                return;
            }
            simulator.ringing((String) event.get("validationId")).ifPresent(ringing -> System.out.printf(
                    "%-8s  %-26s  the phone rings; its screen shows %s%n", LocalTime.now().format(CLOCK),
                    event.get("verificationId"), ringing.callingNumber()));
        } catch (Exception e) {
            System.out.println("(an event that is not JSON: " + seen.valueText() + ")");
        }
    }

    private void printHowToSendYourOwn() {
        System.out.println();
        System.out.println("Everything keeps running. Kafka: " + kafkaAddress + "   CheckMobi simulator: "
                + simulator.baseUrl() + " (secret key " + SECRET_KEY + ")");
        System.out.println("PostgreSQL store: " + postgres.getJdbcUrl("postgres", "postgres")
                + " (user postgres, password postgres; tables verification, verification_pending)");
        System.out.println();
        System.out.println("Send your own records: type here, one per line (outcomes appear in the table above):");
        System.out.println("  start my-1 +447400900001          START: the simulated phone reports the caller ID itself");
        System.out.println("  start my-2 +447400900020          START: this phone reports nothing; the table shows what it");
        System.out.println("  pin my-2 0811                     displays, type its last 4 digits (or: caller my-2 020 794-0811)");
        System.out.println("  cancel my-1                       CANCEL");
        System.out.println("Cost controls are on: at most 5 calls per number per 24 h (the cooldown is off here),"
                + " premium-rate numbers refused.");
        System.out.println("Or with Kafka's own tools (key|value):");
        System.out.println("  kafka-console-producer.sh --bootstrap-server " + kafkaAddress
                + " --topic verification.commands --property parse.key=true --property key.separator='|'");
        System.out.println("  my-2|{\"type\":\"START\",\"verificationId\":\"my-2\",\"number\":\"+447400900001\"}");
        System.out.println("  kafka-console-consumer.sh --bootstrap-server " + kafkaAddress
                + " --topic verification.outcomes --from-beginning");
        System.out.println("Test numbers: see the README. Application log: target/local-run.log. Ctrl+C stops everything.");
        System.out.println();
    }

    private void readCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.trim().split("\\s+", 3);
                try {
                    if (words.length == 3 && words[0].equals("start")) {
                        send("verification.commands", words[1], JSON.writeValueAsString(Map.of("type", "START",
                                "verificationId", words[1], "number", words[2])));
                    } else if (words.length == 3 && words[0].equals("pin")) {
                        send("verification.callerid", words[1], JSON.writeValueAsString(Map.of(
                                "verificationId", words[1], "pin", words[2])));
                    } else if (words.length == 3 && words[0].equals("caller")) {
                        send("verification.callerid", words[1], JSON.writeValueAsString(Map.of(
                                "verificationId", words[1], "callerNumber", words[2])));
                    } else if (words.length == 2 && words[0].equals("cancel")) {
                        send("verification.commands", words[1], JSON.writeValueAsString(Map.of(
                                "type", "CANCEL", "verificationId", words[1])));
                    } else if (!line.isBlank()) {
                        System.out.println("?  start <id> <number> | pin <id> <4 digits> | caller <id> <number> | cancel <id>");
                        continue;
                    } else {
                        continue;
                    }
                    System.out.println("sent.");
                } catch (Exception e) {
                    System.out.println("not sent: " + e.getMessage());
                }
            }
        } catch (Exception e) {
            // no console (stdin closed): keep running until Ctrl+C
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        System.out.println("Stopping…");
        tablePrinter.interrupt();
        quietly(app::stop);
        quietly(() -> producer.close(Duration.ofSeconds(2)));
        quietly(outcomes::close);
        quietly(phones::close);
        quietly(simulator::close);
        quietly(postgres::close);
        quietly(broker::close);
        System.out.println("Stopped.");
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            System.err.println("while stopping: " + e);
        }
    }
}
