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
            AppProcess app = AppProcess.start("packaged-jar", Map.of(
                    "KAFKA_BROKERS", brokers,
                    "KAFKA_GROUP_ID", "jar-" + suffix,
                    "KAFKA_TOPIC_COMMANDS", commands,
                    "KAFKA_TOPIC_CALLERID", callerId,
                    "KAFKA_TOPIC_EVENTS", events,
                    "KAFKA_TOPIC_OUTCOMES", outcomes,
                    "KAFKA_TOPIC_DLQ", "jar.dlq." + suffix,
                    "CHECKMOBI_BASE_URL", simulator.baseUrl(),
                    "CHECKMOBI_SECRET_KEY", SECRET));
            try {
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
                    producer.send(new ProducerRecord<>(commands, "jar-1",
                            "{\"type\":\"START\",\"verificationId\":\"jar-1\",\"number\":\"+447700900001\"}")).get();
                }
                TopicRecorder.Seen outcome = recorder.awaitFirst(outcomes, "jar-1", Duration.ofSeconds(60));
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = new ObjectMapper().readValue(outcome.value(), Map.class);
                assertEquals("VERIFIED", parsed.get("status"));
            } finally {
                assertTrue(app.stop(15), "the application stops on SIGTERM");
            }
            String log = app.output();
            assertFalse(log.contains(SECRET), "the secret key never appears in the log");
            assertFalse(log.contains("+447700900001"), "numbers are masked in the log");
            assertTrue(log.contains("+44770***001"), log);
        }
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
