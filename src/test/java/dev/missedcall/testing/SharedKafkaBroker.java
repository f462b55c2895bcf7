package dev.missedcall.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process broker for every test class of a run that uses this extension: starting one costs seconds. JUnit
 * closes it when the run ends (before the JVM's own shutdown, where the kit's temp-dir cleanup would race it).
 */
public final class SharedKafkaBroker implements BeforeAllCallback {

    private static volatile String bootstrapServers;

    private static final class Resource implements ExtensionContext.Store.CloseableResource {

        private final KafkaTestBroker broker;

        private Resource() {
            try {
                broker = KafkaTestBroker.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the in-process Kafka broker", e);
            }
        }

        @Override
        public void close() throws Exception {
            broker.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Resource resource = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedKafkaBroker.class.getName(), key -> new Resource(), Resource.class);
        bootstrapServers = resource.broker.bootstrapServers();
    }

    public static String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedKafkaBroker.class)");
        }
        return bootstrapServers;
    }
}
