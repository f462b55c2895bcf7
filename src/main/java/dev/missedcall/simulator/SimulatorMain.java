package dev.missedcall.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the CheckMobi simulator on its own, plus the simulated phones when a Kafka broker is given. Every option is
 * a system property or an environment variable, named like the application's own keys.
 */
public final class SimulatorMain {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorMain.class);
    private static final String DEFAULT_SECRET_KEY = "sim-secret-key";

    private SimulatorMain() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(option("simulator.port", "SIMULATOR_PORT", "8099"));
        String secretKey = option("checkmobi.secret-key", "CHECKMOBI_SECRET_KEY", DEFAULT_SECRET_KEY);
        String brokers = option("kafka.brokers", "KAFKA_BROKERS", "");

        CheckMobiSimulator simulator = CheckMobiSimulator.start("127.0.0.1", port, secretKey);
        SimulatedPhones phones = null;
        if (!brokers.isBlank()) {
            phones = new SimulatedPhones(simulator, brokers,
                    option("kafka.topic.events", "KAFKA_TOPIC_EVENTS", "verification.events"),
                    option("kafka.topic.callerid", "KAFKA_TOPIC_CALLERID", "verification.callerid"));
            phones.start();
        } else {
            LOG.info("No kafka.brokers / KAFKA_BROKERS: running without simulated phones");
        }
        SimulatedPhones startedPhones = phones;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (startedPhones != null) {
                startedPhones.close();
            }
            simulator.close();
        }, "simulator-shutdown"));

        // The default key is public; a key the user chose is a secret and is never echoed.
        String keyHint = secretKey.equals(DEFAULT_SECRET_KEY) ? DEFAULT_SECRET_KEY : "<the key given to the simulator>";
        System.out.println("CheckMobi simulator at " + simulator.baseUrl() + " - point the app at it with "
                + "CHECKMOBI_BASE_URL=" + simulator.baseUrl() + " CHECKMOBI_SECRET_KEY=" + keyHint + " (Ctrl+C stops it)");
        // main returns here; the simulator's non-daemon threads keep the JVM running until Ctrl+C.
    }

    private static String option(String property, String environmentVariable, String defaultValue) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentVariable);
        }
        return value == null || value.isBlank() ? defaultValue : value;
    }
}
