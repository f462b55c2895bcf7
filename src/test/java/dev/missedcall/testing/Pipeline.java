package dev.missedcall.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.missedcall.Application;
import dev.missedcall.simulator.CheckMobiSimulator;
import dev.missedcall.simulator.SimulatedPhones;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The whole pipeline for an integration test: the CheckMobi simulator over real HTTP, its simulated phones, and the
 * application (the real routes and beans) on a real broker, with topics of its own so that tests do not meet.
 */
public final class Pipeline implements AutoCloseable {

    public static final String SECRET_KEY = "test-secret-key-3f9a1c";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final String commands;
    public final String callerId;
    public final String events;
    public final String outcomes;
    public final String dlq;
    public final CheckMobiSimulator simulator;
    public final TopicRecorder recorder;
    private final SimulatedPhones phones;
    private final Properties properties = new Properties();
    private final List<Main> apps = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, Instant> firstStartSentAt = new ConcurrentHashMap<>();

    private Pipeline(String bootstrapServers, Map<String, String> overrides, boolean withApp) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        commands = "verification.commands." + suffix;
        callerId = "verification.callerid." + suffix;
        events = "verification.events." + suffix;
        outcomes = "verification.outcomes." + suffix;
        dlq = "verification.dlq." + suffix;
        simulator = CheckMobiSimulator.start("127.0.0.1", 0, SECRET_KEY);
        phones = new SimulatedPhones(simulator, bootstrapServers, events, callerId);
        phones.start();
        recorder = new TopicRecorder(bootstrapServers, events, outcomes, dlq);

        properties.put("kafka.brokers", bootstrapServers);
        properties.put("kafka.group-id", "verification-test-" + suffix);
        properties.put("kafka.topic.commands", commands);
        properties.put("kafka.topic.callerid", callerId);
        properties.put("kafka.topic.events", events);
        properties.put("kafka.topic.outcomes", outcomes);
        properties.put("kafka.topic.dlq", dlq);
        properties.put("checkmobi.base-url", simulator.baseUrl());
        properties.put("checkmobi.secret-key", SECRET_KEY);
        properties.put("checkmobi.response-timeout", "4000");
        properties.put("checkmobi.connect-retry-delay", "100");
        // the contract tests reuse the test numbers far more often than a real number is ever verified
        properties.put("verification.policy.number.cooldown", "0s");
        properties.put("verification.policy.number.daily-max", "0");
        properties.putAll(overrides);
        if (withApp) {
            startApp(Map.of());
        }

        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerConfig);
    }

    public static Pipeline start(String bootstrapServers) throws Exception {
        return new Pipeline(bootstrapServers, Map.of(), true);
    }

    public static Pipeline start(String bootstrapServers, Map<String, String> overrides) throws Exception {
        return new Pipeline(bootstrapServers, overrides, true);
    }

    /** Everything but the application: for tests that run it as processes, or several of it. */
    public static Pipeline withoutApp(String bootstrapServers, Map<String, String> overrides) throws Exception {
        return new Pipeline(bootstrapServers, overrides, false);
    }

    /** Starts (another) instance of the application in this JVM, with these settings on top. */
    public Main startApp(Map<String, String> overrides) throws Exception {
        Properties instance = new Properties();
        instance.putAll(properties);
        instance.put("management.port", Integer.toString(AppProcess.freePort()));
        instance.putAll(overrides);
        Main main = Application.newMain();
        main.setOverrideProperties(instance);
        main.start();
        apps.add(main);
        return main;
    }

    /** The settings as environment variables, for {@link AppProcess}, with these on top. */
    public Map<String, String> environment(Map<String, String> overrides) {
        Map<String, String> environment = new java.util.HashMap<>();
        Properties all = new Properties();
        all.putAll(properties);
        try {
            all.put("management.port", Integer.toString(AppProcess.freePort()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        all.putAll(overrides);
        all.forEach((key, value) -> environment.put(
                key.toString().toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'),
                value.toString()));
        return environment;
    }

    /** When the test sent the first START of a verification: CheckMobi calls for it cannot be older. */
    public Instant firstStartSentAt(String verificationId) {
        return firstStartSentAt.getOrDefault(verificationId, Instant.EPOCH);
    }

    /** The first in-process instance. */
    public Main app() {
        return apps.get(0);
    }

    /** Every instance started so far (stopped ones too). */
    public List<Main> apps() {
        return List.copyOf(apps);
    }

    /** Sends a record as any producer would: key and value as given (value may be any bytes). */
    public void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
                .get();
    }

    public void send(String topic, String key, String json) throws Exception {
        send(topic, key, json.getBytes(StandardCharsets.UTF_8));
    }

    public void start(String verificationId, String number) throws Exception {
        start(verificationId, number, Map.of());
    }

    public void start(String verificationId, String number, Map<String, Object> extra) throws Exception {
        firstStartSentAt.putIfAbsent(verificationId, Instant.now());
        Map<String, Object> command = new java.util.LinkedHashMap<>();
        command.put("type", "START");
        command.put("verificationId", verificationId);
        command.put("number", number);
        command.putAll(extra);
        send(commands, verificationId, JSON.writeValueAsString(command));
    }

    public void cancel(String verificationId) throws Exception {
        send(commands, verificationId,
                JSON.writeValueAsString(Map.of("type", "CANCEL", "verificationId", verificationId)));
    }

    /** The first outcome of a verification, waiting for it. */
    public Map<String, Object> awaitOutcome(String verificationId, Duration atMost) throws Exception {
        return parse(recorder.awaitFirst(outcomes, verificationId, atMost).value());
    }

    public List<Map<String, Object>> outcomesOf(String verificationId) {
        return recorder.on(outcomes, verificationId).stream().map(seen -> parse(seen.value())).toList();
    }

    public List<Map<String, Object>> eventsOf(String verificationId) {
        return recorder.on(events, verificationId).stream().map(seen -> parse(seen.value())).toList();
    }

    /** The simulator's record of calls to a path for this validation or number, in order. */
    public List<Map<String, Object>> checkMobiBodies(String path) {
        return simulator.calls().stream().filter(call -> call.path().equals(path))
                .map(call -> call.body() == null ? Map.<String, Object>of() : call.body()).toList();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(byte[] json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (Exception e) {
            throw new AssertionError("not a JSON object: " + new String(json, StandardCharsets.UTF_8), e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            for (Main app : apps) {
                app.stop();
            }
        } finally {
            producer.close(Duration.ofSeconds(5));
            recorder.close();
            phones.close();
            simulator.close();
        }
    }
}
