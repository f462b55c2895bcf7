package dev.missedcall.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The stand-in for a mobile backend: reads {@code CALL_REQUESTED} events, and for each call the simulator really
 * placed, publishes what the destination phone saw to the caller-ID topic: after a short, random delay, and for
 * phones that report several times, with the pauses their {@link PhoneBehaviour} gives.
 */
public final class SimulatedPhones implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedPhones.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final long MIN_REPORT_DELAY_MS = 200;
    private static final long MAX_REPORT_DELAY_MS = 800;

    private final CheckMobiSimulator simulator;
    private final String bootstrapServers;
    private final String eventsTopic;
    private final String callerIdTopic;
    private final Set<String> reportedVerifications = ConcurrentHashMap.newKeySet();

    private KafkaConsumer<String, String> consumer;
    private KafkaProducer<String, String> producer;
    private ScheduledExecutorService reports;
    private Thread poller;
    private volatile boolean running;

    public SimulatedPhones(CheckMobiSimulator simulator, String bootstrapServers, String eventsTopic,
                           String callerIdTopic) {
        this.simulator = simulator;
        this.bootstrapServers = bootstrapServers;
        this.eventsTopic = eventsTopic;
        this.callerIdTopic = callerIdTopic;
    }

    public synchronized void start() {
        if (poller != null) {
            throw new IllegalStateException("already started");
        }
        consumer = new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new StringDeserializer());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new StringSerializer());
        // Daemon threads: they only serve the simulator, and a forgotten close() must not keep a test JVM alive.
        reports = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "simulated-phones-report"));
        running = true;
        poller = daemon(this::poll, "simulated-phones-poll");
        poller.start();
        LOG.info("Simulated phones listening on {}, reporting to {}", eventsTopic, callerIdTopic);
    }

    /** Stops polling and drops reports not yet sent; returns within about 2 s. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            poller.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reports.shutdownNow();
        producer.close(Duration.ofMillis(500));
        LOG.info("Simulated phones stopped");
    }

    /** The caller-ID record a mobile backend would publish: {@code {"verificationId", "callerNumber" | "pin"}}. */
    static String callerIdJson(String verificationId, CallerIdReport report) {
        ObjectNode record = Json.MAPPER.createObjectNode().put("verificationId", verificationId);
        if (report.callerNumber() != null) {
            record.put("callerNumber", report.callerNumber());
        } else {
            record.put("pin", report.pin());
        }
        return record.toString();
    }

    private Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "checkmobi-simulated-phones-" + UUID.randomUUID(),
                // Phones started after the routes must still see the events already published; events for calls
                // this simulator never placed are skipped, so reading from the beginning is harmless.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // Notice an events topic created after subscribing within seconds rather than the default 5 min.
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
    }

    private void poll() {
        try {
            consumer.subscribe(List.of(eventsTopic));
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL_TIMEOUT)) {
                    onEvent(record.value());
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll up: nothing to do but leave.
        } catch (KafkaException e) {
            LOG.error("Simulated phones stopped: cannot read {}", eventsTopic, e);
        } finally {
            consumer.close(Duration.ofMillis(500));
        }
    }

    private void onEvent(String value) {
        Optional<JsonNode> event = parse(value);
        if (event.isEmpty() || !"CALL_REQUESTED".equals(event.get().path("type").asText())) {
            return;
        }
        String verificationId = event.get().path("verificationId").asText(null);
        String validationId = event.get().path("validationId").asText(null);
        if (verificationId == null || validationId == null) {
            return;
        }
        Optional<Ringing> ringing = simulator.ringing(validationId);
        if (ringing.isEmpty() || !reportedVerifications.add(verificationId)) {
            return;
        }
        List<TimedReport> timedReports = ringing.get().behaviour().reports(ringing.get().callingNumber());
        if (timedReports.isEmpty()) {
            LOG.info("Phone {} never sees the call of {}", DestinationNumbers.mask(ringing.get().destinationNumber()),
                    verificationId);
            return;
        }
        Duration noticed = Duration.ofMillis(
                ThreadLocalRandom.current().nextLong(MIN_REPORT_DELAY_MS, MAX_REPORT_DELAY_MS + 1));
        schedule(reports, noticed, timedReports, report -> publish(verificationId, ringing.get(), report));
    }

    /**
     * Schedules each report at its offset from now: the first after {@code noticed}, each next one its own pause
     * later. All are scheduled at once on a single-threaded scheduler, which runs them in time order, so they are
     * published in the phone's order.
     */
    static void schedule(ScheduledExecutorService scheduler, Duration noticed, List<TimedReport> timedReports,
                         Consumer<CallerIdReport> publish) {
        Duration offset = noticed;
        for (TimedReport timed : timedReports) {
            offset = offset.plus(timed.afterPrevious());
            scheduler.schedule(() -> publish.accept(timed.report()), offset.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void publish(String verificationId, Ringing ringing, CallerIdReport report) {
        LOG.info("Phone {} reports the call of {} ({})", DestinationNumbers.mask(ringing.destinationNumber()),
                verificationId, ringing.behaviour());
        producer.send(new ProducerRecord<>(callerIdTopic, verificationId, callerIdJson(verificationId, report)),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.warn("Caller ID of {} not published", verificationId, error);
                    }
                });
    }

    // Records this backend cannot read are someone else's concern (the routes dead-letter them).
    private static Optional<JsonNode> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readTree(value)).filter(JsonNode::isObject);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
