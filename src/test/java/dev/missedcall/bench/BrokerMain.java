package dev.missedcall.bench;

import java.io.InputStream;

import dev.missedcall.testing.KafkaTestBroker;

/**
 * A real Kafka broker (the same in-process KRaft test kit the tests use) in a process of its own, so that the
 * benchmark can measure its CPU apart from the harness and the application. Prints {@code BOOTSTRAP <servers>} when
 * ready and stops when its standard input closes (the harness died or closed it).
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        try (KafkaTestBroker broker = KafkaTestBroker.start()) {
            System.out.println("BOOTSTRAP " + broker.bootstrapServers());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // wait for the harness to close our input
            }
        }
        System.exit(0);
    }
}
