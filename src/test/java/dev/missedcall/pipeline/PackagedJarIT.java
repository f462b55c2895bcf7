package dev.missedcall.pipeline;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.missedcall.simulator.CheckMobiSimulator;
import dev.missedcall.simulator.SimulatedPhones;
import dev.missedcall.testing.AppProcess;
import dev.missedcall.testing.SharedKafkaBroker;
import dev.missedcall.testing.TopicRecorder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged application as an operator runs it: {@code java -jar}, configured by environment variables. */
@ExtendWith(SharedKafkaBroker.class)
class PackagedJarIT {

    private static final String SECRET = "jar-test-secret-7c1e";

    @Test
    void completesAVerificationAndStopsCleanly() throws Exception {
        String suffix = Long.toHexString(System.nanoTime());
        String commands = "jar.commands." + suffix;
        String callerId = "jar.callerid." + suffix;
        String events = "jar.events." + suffix;
        String outcomes = "jar.outcomes." + suffix;
        String brokers = SharedKafkaBroker.bootstrapServers();
        try (CheckMobiSimulator simulator = CheckMobiSimulator.start("127.0.0.1", 0, SECRET);
             SimulatedPhones phones = new SimulatedPhones(simulator, brokers, events, callerId);
             TopicRecorder recorder = new TopicRecorder(brokers, outcomes)) {
            phones.start();
            int managementPort;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                managementPort = free.getLocalPort();
            }
            AppProcess app = AppProcess.start("packaged-jar", Map.ofEntries(
                    Map.entry("MANAGEMENT_PORT", Integer.toString(managementPort)),
                    Map.entry("LOG_FORMAT", "json"),
                    Map.entry("KAFKA_BROKERS", brokers),
                    Map.entry("KAFKA_GROUP_ID", "jar-" + suffix),
                    Map.entry("KAFKA_TOPIC_COMMANDS", commands),
                    Map.entry("KAFKA_TOPIC_CALLERID", callerId),
                    Map.entry("KAFKA_TOPIC_EVENTS", events),
                    Map.entry("KAFKA_TOPIC_OUTCOMES", outcomes),
                    Map.entry("KAFKA_TOPIC_DLQ", "jar.dlq." + suffix),
                    Map.entry("CHECKMOBI_BASE_URL", simulator.baseUrl()),
                    Map.entry("CHECKMOBI_SECRET_KEY", SECRET)));
            try {
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
                    producer.send(new ProducerRecord<>(commands, "jar-1",
                            "{\"type\":\"START\",\"verificationId\":\"jar-1\",\"number\":\"+447400900001\"}")).get();
                }
                TopicRecorder.Seen outcome = recorder.awaitFirst(outcomes, "jar-1", Duration.ofSeconds(60));
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = new ObjectMapper().readValue(outcome.value(), Map.class);
                assertEquals("VERIFIED", parsed.get("status"));
                assertObservable(managementPort);
            } finally {
                assertTrue(app.stop(15), "the application stops on SIGTERM");
            }
            String log = app.output();
            assertFalse(log.contains(SECRET), "the secret key never appears in the log");
            assertFalse(log.contains("+447400900001"), "numbers are masked in the log");
            assertTrue(log.contains("+44740***001"), log);
            ObjectMapper json = new ObjectMapper();
            boolean taggedLine = false;
            for (String line : log.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> entry = json.readValue(line, Map.class);
                taggedLine |= "jar-1".equals(entry.get("verificationId"))
                        && String.valueOf(entry.get("message")).contains("ended VERIFIED");
            }
            assertTrue(taggedLine, "JSON lines, and a verification's lines carry its verificationId:\n" + log);
        }
    }

    /** What a platform team's probes and Prometheus see on the management port. */
    private static void assertObservable(int port) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, java.net.http.HttpResponse<String>> get = path -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + path))
                        // what Prometheus sends
                        .header("Accept", "application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;"
                                + "q=0.5,*/*;q=0.1").build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new AssertionError(path, e);
            }
        };
        assertEquals(200, get.apply("/observe/health/live").statusCode());
        java.net.http.HttpResponse<String> ready = get.apply("/observe/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        String health = get.apply("/observe/health").body();
        assertTrue(health.contains("checkmobi-credentials") && health.contains("store")
                && health.contains("consumer:"), health);
        String metrics = get.apply("/observe/metrics").body();
        for (String expected : List.of("verification_started_total 1.0",
                "verification_outcomes_total{reason=\"none\",status=\"VERIFIED\"} 1.0",
                "checkmobi_call_seconds_count{code=\"none\",endpoint=\"request\",result=\"OK\"} 1",
                "checkmobi_call_seconds_count{code=\"none\",endpoint=\"verify\",result=\"OK\"} 1",
                "checkmobi_charged_amount_total", "verification_pending", "verification_late_reports_total",
                "verification_hangup_lateness_seconds", "camel_exchanges_total")) {
            assertTrue(metrics.contains(expected), "metrics lack " + expected + ":\n" + metrics);
        }
    }

    @Test
    void theProductionProfileRefusesToKeepVerificationsInMemory() throws Exception {
        AppProcess app = AppProcess.start("packaged-jar-prod-in-memory", Map.of(
                "CAMEL_MAIN_PROFILE", "prod", "CHECKMOBI_SECRET_KEY", SECRET,
                "KAFKA_BROKERS", SharedKafkaBroker.bootstrapServers()));
        assertTrue(app.waitFor(60), "the application must not run in memory in production");
        assertEquals(2, app.exitValue());
        assertTrue(app.output().contains("cannot start: verification.store.required is true"), app.output());
        assertFalse(app.output().contains("\tat "), "one sentence, no stack trace:\n" + app.output());
    }

    @Test
    void aMissingSecretKeyIsOneClearSentence() throws Exception {
        AppProcess app = AppProcess.start("packaged-jar-no-key",
                Map.of("KAFKA_BROKERS", SharedKafkaBroker.bootstrapServers()));
        assertTrue(app.waitFor(30));
        assertEquals(2, app.exitValue());
        List<String> lines = Files.readAllLines(app.outputFile()).stream().filter(line -> !line.isBlank()).toList();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("CHECKMOBI_SECRET_KEY"), lines.get(0));
    }

    @Test
    void anUnreachableBrokerIsOneClearSentence() throws Exception {
        AppProcess app = AppProcess.start("packaged-jar-no-broker",
                Map.of("KAFKA_BROKERS", "127.0.0.1:1", "CHECKMOBI_SECRET_KEY", SECRET));
        assertTrue(app.waitFor(60));
        assertEquals(2, app.exitValue());
        List<String> lines = Files.readAllLines(app.outputFile()).stream().filter(line -> !line.isBlank()).toList();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("127.0.0.1:1") && lines.get(0).contains("KAFKA_BROKERS"), lines.get(0));
    }
}
