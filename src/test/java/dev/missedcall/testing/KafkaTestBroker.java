package dev.missedcall.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker (KRaft, one combined broker and controller node) inside this JVM: Kafka's own test kit, so
 * tests and the local run need no Docker. Optionally also listens on a fixed port for people and their tools.
 */
public final class KafkaTestBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaTestBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** A broker on a random port. */
    public static KafkaTestBroker start() throws Exception {
        return start(0);
    }

    /** A broker that also listens on {@code localhost:fixedPort} (0: random ports only). */
    public static KafkaTestBroker start(int fixedPort) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBootstrapMetadataVersion(MetadataVersion.LATEST_PRODUCTION)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                // the kit turns unstable versions on; a production broker has them off
                .setConfigProp("unstable.api.versions.enable", "false")
                .setConfigProp("unstable.feature.versions.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("num.partitions", "3")
                .setConfigProp("auto.create.topics.enable", "true");
        if (fixedPort > 0) {
            builder.setConfigProp("listeners",
                            "EXTERNAL://localhost:0,CONTROLLER://localhost:0,LOCAL://localhost:" + fixedPort)
                    .setConfigProp("listener.security.protocol.map",
                            "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,LOCAL:PLAINTEXT");
        }
        KafkaClusterTestKit cluster = builder.build();
        KafkaTestBroker broker = new KafkaTestBroker(cluster);
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Stops the broker and starts it again (the controller keeps running), as an operator's rolling restart does. */
    public void restartBroker(java.time.Duration down) throws Exception {
        for (kafka.server.BrokerServer server : cluster.brokers().values()) {
            server.shutdown();
            server.awaitShutdown();
        }
        Thread.sleep(down.toMillis());
        for (kafka.server.BrokerServer server : cluster.brokers().values()) {
            server.startup();
        }
        cluster.waitForReadyBrokers();
    }

    /** Creates topics (3 partitions each) unless they exist. */
    public void createTopics(String... topics) throws Exception {
        createTopics(3, topics);
    }

    /** Creates topics with this many partitions unless they exist. */
    public void createTopics(int partitions, String... topics) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String topic : topics) {
                newTopics.add(new NewTopic(topic, partitions, (short) 1));
            }
            admin.createTopics(newTopics).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name, e);
                    }
                }
            });
        }
    }

    @Override
    public void close() throws Exception {
        // the kit's close() throws when called twice
        if (closed.compareAndSet(false, true)) {
            cluster.close();
        }
    }
}
