package dev.missedcall.testing;

/** One in-process broker for every test of this JVM: starting one costs about two seconds. */
public final class SharedKafkaBroker {

    private static KafkaTestBroker broker;

    private SharedKafkaBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            try {
                broker = KafkaTestBroker.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the in-process Kafka broker", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    broker.close();
                } catch (Exception ignored) {
                    // the JVM is going away; nothing is left to clean
                }
            }, "shared-kafka-broker-stop"));
        }
        return broker.bootstrapServers();
    }
}
