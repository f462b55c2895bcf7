package dev.missedcall.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's yardstick: a minimal hand-written missed-call pipeline doing the same work as the bundle on the
 * happy paths, with no Camel. Plain Kafka clients, the JDK HTTP client (asynchronous), an in-memory map and
 * scheduled timeouts. It reads the same topics and JSON, makes the same CheckMobi calls (Request Validation with
 * reverse_cli; Verify PIN with the last 4 digits, or HANGUP at the deadline, always with use_server_hangup) and
 * publishes CALL_REQUESTED and one outcome per verification.
 *
 * <p>What it deliberately does not do (so the ratio is "the bundle's cost", not like for like on guarantees): no
 * store, no once-only claims that survive a restart, offsets auto-committed (a crash loses or repeats work), no DLQ,
 * no retries, no metrics, no per-verification logging, no number policy beyond an E.164 check.
 *
 * <p>Configured by the same environment variables as the application: {@code KAFKA_BROKERS},
 * {@code KAFKA_GROUP_ID}, {@code KAFKA_TOPIC_*}, {@code CHECKMOBI_BASE_URL}, {@code CHECKMOBI_SECRET_KEY},
 * {@code VERIFICATION_TIMEOUT}, {@code VERIFICATION_TIMEOUT_MIN}, {@code VERIFICATION_TIMEOUT_MAX}. Prints
 * {@value #READY} once its consumer has partitions.
 */
public final class PeerPipeline {

    public static final String READY = "PEER READY";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private final String commands = env("KAFKA_TOPIC_COMMANDS", "verification.commands");
    private final String callerId = env("KAFKA_TOPIC_CALLERID", "verification.callerid");
    private final String events = env("KAFKA_TOPIC_EVENTS", "verification.events");
    private final String outcomes = env("KAFKA_TOPIC_OUTCOMES", "verification.outcomes");
    private final String baseUrl = env("CHECKMOBI_BASE_URL", "http://127.0.0.1:8099/v1");
    private final String secretKey = env("CHECKMOBI_SECRET_KEY", "");
    private final int defaultTimeout = Integer.parseInt(env("VERIFICATION_TIMEOUT", "40"));
    private final int minTimeout = Integer.parseInt(env("VERIFICATION_TIMEOUT_MIN", "10"));
    private final int maxTimeout = Integer.parseInt(env("VERIFICATION_TIMEOUT_MAX", "120"));

    private final Map<String, Verification> pending = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final KafkaProducer<String, byte[]> producer;

    /** One verification's state; every field is guarded by the object's monitor. */
    private static final class Verification {
        final String id;
        String number;
        JsonNode metadata;
        int timeoutSeconds;
        boolean started;
        String validationId;
        Instant expiresAt;
        String digits;
        boolean cancelled;
        boolean decided;
        ScheduledFuture<?> timer;

        Verification(String id) {
            this.id = id;
        }
    }

    private PeerPipeline() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env("KAFKA_BROKERS", "localhost:9092"));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // the bundle's producer settings: acks=all, idempotent
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer = new KafkaProducer<>(config);
        timers.setRemoveOnCancelPolicy(true);
    }

    public static void main(String[] args) throws Exception {
        new PeerPipeline().run();
    }

    private void run() throws Exception {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env("KAFKA_BROKERS", "localhost:9092"));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, env("KAFKA_GROUP_ID", "missed-call-peer"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(consumer::wakeup, "peer-shutdown"));
            consumer.subscribe(List.of(commands, callerId));
            boolean ready = false;
            try {
                while (true) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        try {
                            JsonNode value = JSON.readTree(record.value());
                            if (record.topic().equals(commands)) {
                                onCommand(value);
                            } else {
                                onCallerId(value);
                            }
                        } catch (Exception e) {
                            System.err.println("peer: unreadable record at " + record.topic() + "/" + record.offset());
                        }
                    }
                    if (!ready && !consumer.assignment().isEmpty()) {
                        ready = true;
                        System.out.println(READY);
                        System.out.flush();
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // SIGTERM
            }
        } finally {
            producer.close(Duration.ofSeconds(5));
            timers.shutdownNow();
        }
    }

    private void onCommand(JsonNode command) {
        String id = command.path("verificationId").asText(null);
        if (id == null) {
            return;
        }
        String type = command.path("type").asText("");
        if (type.equals("CANCEL")) {
            Verification v = pending.computeIfAbsent(id, Verification::new);
            synchronized (v) {
                v.cancelled = true;
                decideLocked(v);
            }
            return;
        }
        if (!type.equals("START")) {
            return;
        }
        Verification v = pending.computeIfAbsent(id, Verification::new);
        synchronized (v) {
            if (v.started) {
                return; // a duplicate START never rings the phone again
            }
            v.started = true;
            v.number = command.path("number").asText("");
            v.metadata = command.get("metadata");
            int timeout = command.path("timeoutSeconds").asInt(defaultTimeout);
            v.timeoutSeconds = Math.max(minTimeout, Math.min(maxTimeout, timeout));
            if (!E164.matcher(v.number).matches()) {
                v.decided = true;
                publishOutcome(v, "REJECTED", "invalid_number", null, null);
                return;
            }
        }
        ObjectNode body = JSON.createObjectNode().put("number", v.number).put("type", "reverse_cli");
        if (command.hasNonNull("platform")) {
            body.put("platform", command.get("platform").asText());
        }
        post("/validation/request", body).whenComplete((response, failure) -> afterRequest(v, response, failure));
    }

    private void afterRequest(Verification v, HttpResponse<byte[]> response, Throwable failure) {
        synchronized (v) {
            if (failure != null || response.statusCode() >= 500) {
                v.decided = true;
                publishOutcome(v, "FAILED", "checkmobi_unavailable", null, null);
                return;
            }
            JsonNode answer = readJson(response.body());
            if (response.statusCode() != 200 || !answer.hasNonNull("id")) {
                v.decided = true;
                publishOutcome(v, "REJECTED", "checkmobi." + answer.path("code").asText("http_" + response.statusCode()),
                        null, null);
                return;
            }
            v.validationId = answer.get("id").asText();
            v.expiresAt = Instant.now().plusSeconds(v.timeoutSeconds);
            ObjectNode event = JSON.createObjectNode().put("type", "CALL_REQUESTED").put("verificationId", v.id)
                    .put("validationId", v.validationId).put("number", v.number);
            if (answer.hasNonNull("cli_prefix")) {
                event.put("cliPrefix", answer.get("cli_prefix").asText());
            }
            event.put("expiresAt", v.expiresAt.toString());
            event.set("metadata", v.metadata);
            publish(events, v.id, event);
            if (!decideLocked(v)) {
                v.timer = timers.schedule(() -> onDeadline(v), v.timeoutSeconds * 1000L, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void onCallerId(JsonNode report) {
        String id = report.path("verificationId").asText(null);
        if (id == null) {
            return;
        }
        String digits = report.hasNonNull("pin") ? report.get("pin").asText()
                : report.path("callerNumber").asText("").replaceAll("[^0-9]", "");
        if (digits.length() < 4) {
            return;
        }
        Verification v = pending.computeIfAbsent(id, Verification::new);
        synchronized (v) {
            if (v.digits == null) {
                v.digits = digits.substring(digits.length() - 4);
            }
            decideLocked(v);
        }
    }

    private void onDeadline(Verification v) {
        synchronized (v) {
            if (!v.decided) {
                v.decided = true;
                verify(v, "HANGUP", "TIMED_OUT", "no_caller_id");
            }
        }
    }

    /** Starts the one Verify PIN when there is something to do; returns whether the verification is decided. */
    private boolean decideLocked(Verification v) {
        if (v.decided) {
            return true;
        }
        if (v.validationId == null) {
            return false; // the request has not been answered yet (or the START has not come yet)
        }
        if (v.cancelled) {
            v.decided = true;
            verify(v, "HANGUP", "CANCELLED", "cancelled");
        } else if (v.digits != null) {
            v.decided = true;
            verify(v, v.digits, null, null);
        } else {
            return false;
        }
        if (v.timer != null) {
            v.timer.cancel(false);
        }
        return true;
    }

    private void verify(Verification v, String pin, String status, String reason) {
        ObjectNode body = JSON.createObjectNode().put("id", v.validationId).put("pin", pin).put("use_server_hangup", true);
        post("/validation/verify", body).whenComplete((response, failure) -> {
            synchronized (v) {
                if (failure != null || response.statusCode() != 200) {
                    publishOutcome(v, status != null ? status : "FAILED",
                            status != null ? reason : "checkmobi_unavailable", null, null);
                    return;
                }
                JsonNode answer = readJson(response.body());
                if (status != null) {
                    publishOutcome(v, status, reason, answer, null);
                } else if (answer.path("validated").asBoolean(false)) {
                    publishOutcome(v, "VERIFIED", null, answer,
                            Instant.ofEpochSecond(answer.path("validation_date").asLong()).toString());
                } else {
                    publishOutcome(v, "NOT_VERIFIED", "pin_mismatch", answer, null);
                }
            }
        });
    }

    private void publishOutcome(Verification v, String status, String reason, JsonNode answer, String validatedAt) {
        ObjectNode outcome = JSON.createObjectNode().put("verificationId", v.id).put("status", status)
                .put("number", v.number).put("validationId", v.validationId).put("reason", reason);
        outcome.putNull("error");
        if (answer != null && answer.has("charged_amount")) {
            outcome.put("chargedAmount", answer.get("charged_amount").asDouble());
        } else {
            outcome.putNull("chargedAmount");
        }
        outcome.put("validatedAt", validatedAt).put("completedAt", Instant.now().toString());
        outcome.set("metadata", v.metadata);
        publish(outcomes, v.id, outcome);
        pending.remove(v.id);
    }

    private void publish(String topic, String key, ObjectNode value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, JSON.writeValueAsBytes(value)));
        } catch (Exception e) {
            System.err.println("peer: cannot publish to " + topic + ": " + e);
        }
    }

    private java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> post(String path, ObjectNode body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", secretKey)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    private static JsonNode readJson(byte[] bytes) {
        try {
            return bytes == null || bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static String env(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
