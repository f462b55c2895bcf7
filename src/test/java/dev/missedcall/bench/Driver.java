package dev.missedcall.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.missedcall.simulator.CheckMobiSimulator;
import dev.missedcall.simulator.Ringing;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the signup service and the mobile backend for one system under test (its own topics): produces STARTs at an
 * offered rate, answers every CALL_REQUESTED at once with the caller ID the simulator's call shows (for the
 * verifications that should be verified), and times every outcome.
 */
final class Driver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the harness knows of one verification it started. Times are System.nanoTime(). */
    static final class Tracked {
        final String id;
        final boolean answer;
        final long sentNanos;
        volatile long callRequestedNanos;
        volatile long callerIdSentNanos;
        volatile long outcomeNanos;
        volatile String status;
        volatile String validationId;
        volatile Instant expiresAt;

        Tracked(String id, boolean answer, long sentNanos) {
            this.id = id;
            this.answer = answer;
            this.sentNanos = sentNanos;
        }
    }

    final String commands;
    final String callerId;
    final String events;
    final String outcomes;
    final String dlq;
    private final String runTag;
    private final CheckMobiSimulator simulator;
    private final KafkaProducer<String, String> startProducer;
    private final KafkaProducer<String, String> callerIdProducer;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong callRequested = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong verified = new AtomicLong();
    final AtomicLong unexpected = new AtomicLong();
    final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<Thread> pollers = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger assignedPollers = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean running = true;

    Driver(String bootstrapServers, CheckMobiSimulator simulator, String name, int partitions) throws Exception {
        String suffix = name + "." + UUID.randomUUID().toString().substring(0, 6);
        this.runTag = suffix.replaceAll("[^A-Za-z0-9]", "");
        commands = "verification.commands." + suffix;
        callerId = "verification.callerid." + suffix;
        events = "verification.events." + suffix;
        outcomes = "verification.outcomes." + suffix;
        dlq = "verification.dlq." + suffix;
        this.simulator = simulator;
        createTopics(bootstrapServers, partitions, commands, callerId, events, outcomes, dlq);
        startProducer = producer(bootstrapServers, "5");
        // the mobile backend answers at once: no batching delay on the caller ID
        callerIdProducer = producer(bootstrapServers, "0");
        pollers.add(poller(bootstrapServers, events, this::onEvent));
        pollers.add(poller(bootstrapServers, outcomes, this::onOutcome));
    }

    private static void createTopics(String bootstrapServers, int partitions, String... topics) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            List<NewTopic> created = new ArrayList<>();
            for (String topic : topics) {
                created.add(new NewTopic(topic, partitions, (short) 1));
            }
            admin.createTopics(created).all().get(60, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrapServers, String lingerMs) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        return new KafkaProducer<>(config);
    }

    private interface Handler {
        void handle(ConsumerRecord<byte[], byte[]> record, long polledNanos) throws Exception;
    }

    private Thread poller(String bootstrapServers, String topic, Handler handler) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-driver-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(topic));
        Thread thread = new Thread(() -> {
            try (consumer) {
                boolean assigned = false;
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(50));
                    long polled = System.nanoTime();
                    if (!assigned && !consumer.assignment().isEmpty()) {
                        assigned = true;
                        assignedPollers.incrementAndGet();
                    }
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        try {
                            handler.handle(record, polled);
                        } catch (Exception e) {
                            unexpected.incrementAndGet();
                        }
                    }
                }
            }
        }, "bench-driver-" + topic);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits until both consumers have their partitions, so that no early record is timed late. */
    void awaitReady() throws InterruptedException {
        long until = System.currentTimeMillis() + 60_000;
        while (assignedPollers.get() < pollers.size() && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
    }

    private void onEvent(ConsumerRecord<byte[], byte[]> record, long polledNanos) throws Exception {
        JsonNode event = JSON.readTree(record.value());
        if (!"CALL_REQUESTED".equals(event.path("type").asText())) {
            return;
        }
        Tracked t = tracked.get(event.path("verificationId").asText());
        if (t == null || t.callRequestedNanos != 0) {
            return;
        }
        t.callRequestedNanos = polledNanos;
        t.validationId = event.path("validationId").asText();
        t.expiresAt = Instant.parse(event.path("expiresAt").asText());
        callRequested.incrementAndGet();
        if (t.answer) {
            Ringing ringing = simulator.ringing(t.validationId).orElse(null);
            if (ringing == null) {
                unexpected.incrementAndGet();
                return;
            }
            String report = "{\"verificationId\":\"" + t.id + "\",\"callerNumber\":\"" + ringing.callingNumber() + "\"}";
            t.callerIdSentNanos = System.nanoTime();
            callerIdProducer.send(new ProducerRecord<>(callerId, t.id, report));
        }
    }

    private void onOutcome(ConsumerRecord<byte[], byte[]> record, long polledNanos) throws Exception {
        Tracked t = tracked.get(new String(record.key(), StandardCharsets.UTF_8));
        if (t == null || t.outcomeNanos != 0) {
            return;
        }
        JsonNode outcome = JSON.readTree(record.value());
        t.status = outcome.path("status").asText();
        t.outcomeNanos = polledNanos;
        statuses.computeIfAbsent(t.status, s -> new AtomicLong()).incrementAndGet();
        completed.incrementAndGet();
        if ("VERIFIED".equals(t.status)) {
            verified.incrementAndGet();
        }
    }

    /** Sends one START: answered ones get their caller ID, the others wait for their deadline. */
    Tracked start(int timeoutSeconds, boolean answer) {
        long n = sequence.getAndIncrement();
        String id = "b-" + runTag + "-" + n;
        // unique valid numbers, never the simulator's test numbers (+447400900xxx): no cooldown or daily limit is hit
        String number = "+447401" + String.format("%06d", n % 1_000_000);
        Tracked t = new Tracked(id, answer, System.nanoTime());
        tracked.put(id, t);
        String command = "{\"type\":\"START\",\"verificationId\":\"" + id + "\",\"number\":\"" + number
                + "\",\"platform\":\"android\",\"timeoutSeconds\":" + timeoutSeconds
                + ",\"metadata\":{\"signupId\":\"s-" + n + "\"}}";
        startProducer.send(new ProducerRecord<>(commands, id, command));
        sent.incrementAndGet();
        return t;
    }

    /**
     * Offers STARTs at a rate for a while; every {@code timeoutEvery}-th (0: none) has a short deadline and gets no
     * caller ID. Returns the verifications sent.
     */
    List<Tracked> offer(double perSecond, long millis, int longTimeoutSeconds, int timeoutEvery,
                        int shortTimeoutSeconds) throws InterruptedException {
        List<Tracked> mine = new ArrayList<>();
        long begin = System.nanoTime();
        long end = begin + TimeUnit.MILLISECONDS.toNanos(millis);
        long count = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            long due = (long) ((now - begin) / 1e9 * perSecond) + 1;
            while (count < due) {
                boolean timeout = timeoutEvery > 0 && count % timeoutEvery == timeoutEvery - 1;
                mine.add(timeout ? start(shortTimeoutSeconds, false) : start(longTimeoutSeconds, true));
                count++;
            }
            long next = begin + (long) (count / perSecond * 1e9);
            long sleep = Math.min(next, end) - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(Math.min(sleep, 2_000_000));
            }
        }
        startProducer.flush();
        return mine;
    }

    long outstanding() {
        return sent.get() - completed.get();
    }

    Tracked get(String id) {
        return tracked.get(id);
    }

    /** Forgets finished verifications (keeps memory flat over a long run). */
    void forgetCompleted() {
        tracked.values().removeIf(t -> t.outcomeNanos != 0);
    }

    /** Waits until nothing is outstanding or time is up; returns the outstanding count. */
    long drain(long timeoutMillis) throws InterruptedException {
        long until = System.currentTimeMillis() + timeoutMillis;
        while (outstanding() > 0 && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        return outstanding();
    }

    /** Sends a caller ID for a verification that is pending (for the recovery check after a restart). */
    boolean answerNow(Tracked t) {
        if (t.validationId == null) {
            return false;
        }
        Ringing ringing = simulator.ringing(t.validationId).orElse(null);
        if (ringing == null) {
            return false;
        }
        String report = "{\"verificationId\":\"" + t.id + "\",\"callerNumber\":\"" + ringing.callingNumber() + "\"}";
        t.callerIdSentNanos = System.nanoTime();
        callerIdProducer.send(new ProducerRecord<>(callerId, t.id, report));
        callerIdProducer.flush();
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread poller : pollers) {
            poller.join(5000);
        }
        startProducer.close(Duration.ofSeconds(5));
        callerIdProducer.close(Duration.ofSeconds(5));
    }
}
