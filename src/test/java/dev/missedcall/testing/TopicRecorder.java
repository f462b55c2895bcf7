package dev.missedcall.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import static org.awaitility.Awaitility.await;

/** Reads every record of some topics from the beginning, as a downstream service would, and keeps them for tests. */
public final class TopicRecorder implements AutoCloseable {

    /** One record as it was on the topic. */
    public record Seen(String topic, int partition, long offset, byte[] key, byte[] value, List<Header> headers,
                       long seenAtMillis) {

        public String keyText() {
            return key == null ? null : new String(key, StandardCharsets.UTF_8);
        }

        public String valueText() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            for (Header header : headers) {
                if (header.key().equals(name)) {
                    return header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;

    public TopicRecorder(String bootstrapServers, String... topics) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-recorder-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(topics));
        poller = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        List<Header> headers = new ArrayList<>();
                        record.headers().forEach(headers::add);
                        seen.add(new Seen(record.topic(), record.partition(), record.offset(), record.key(),
                                record.value(), headers, System.currentTimeMillis()));
                    }
                }
            }
        }, "topic-recorder");
        poller.setDaemon(true);
        poller.start();
    }

    public List<Seen> all() {
        return List.copyOf(seen);
    }

    public List<Seen> matching(Predicate<Seen> filter) {
        return seen.stream().filter(filter).toList();
    }

    public List<Seen> on(String topic, String key) {
        return matching(s -> s.topic().equals(topic) && key.equals(s.keyText()));
    }

    /** Waits until a record on the topic with this key is there, and returns the first. */
    public Seen awaitFirst(String topic, String key, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> !on(topic, key).isEmpty());
        return on(topic, key).get(0);
    }

    public Seen awaitFirst(Predicate<Seen> filter, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> !matching(filter).isEmpty());
        return matching(filter).get(0);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join(5000);
    }
}
