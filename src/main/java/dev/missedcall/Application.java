package dev.missedcall;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.camel.main.Main;

/**
 * The service: the routes against an existing Kafka and CheckMobi (or the simulator). Configuration problems that
 * an operator can fix end the start with one sentence, not a stack trace.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        // before the first logger exists: JSON lines for log collectors when asked
        if ("json".equalsIgnoreCase(System.getenv("LOG_FORMAT")) && System.getProperty("log4j2.configurationFile") == null
                && System.getenv("LOG4J_CONFIGURATION_FILE") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-json.properties");
        }
        Properties defaults = defaults();
        String problem = startupProblem(defaults);
        if (problem != null) {
            System.err.println("missed-call-verification cannot start: " + problem);
            System.exit(2);
        }
        Main main = newMain();
        try {
            main.run(args);
        } catch (Exception e) {
            String configurationProblem = configurationProblem(e);
            if (configurationProblem == null) {
                throw e;
            }
            System.err.println("missed-call-verification cannot start: " + configurationProblem);
            System.exit(2);
        }
    }

    /** A setting an operator must fix (our own checks say so with these exception types), or null. */
    private static String configurationProblem(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if ((cause instanceof IllegalStateException || cause instanceof IllegalArgumentException)
                    && cause.getStackTrace().length > 0
                    && cause.getStackTrace()[0].getClassName().startsWith("dev.missedcall.")) {
                return cause.getMessage();
            }
        }
        return null;
    }

    /** The Camel application with this bundle's beans; routes and properties come from the classpath. */
    public static Main newMain() {
        Main main = new Main();
        main.configure().addConfiguration(CamelConfiguration.class);
        return main;
    }

    static String startupProblem(Properties defaults) {
        String secretKey = setting(defaults, "checkmobi.secret-key");
        if (secretKey == null || secretKey.isBlank()) {
            return "no CheckMobi secret key: set CHECKMOBI_SECRET_KEY (or checkmobi.secret-key).";
        }
        String brokers = setting(defaults, "kafka.brokers");
        if (!kafkaReachable(brokers)) {
            return "no Kafka broker answers at " + brokers + " within 10 s: check KAFKA_BROKERS and that the broker runs.";
        }
        return null;
    }

    /** A setting as Camel resolves it: system property, then environment variable (CHECKMOBI_SECRET_KEY), then file. */
    static String setting(Properties defaults, String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value != null ? value : defaults.getProperty(key);
    }

    /** Whether any bootstrap server accepts a connection; the Kafka client itself would only log warnings. */
    private static boolean kafkaReachable(String brokers) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (String broker : brokers.split(",")) {
                if (accepts(broker.trim())) {
                    return true;
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static boolean accepts(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon < 1) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostAndPort.substring(0, colon),
                    Integer.parseInt(hostAndPort.substring(colon + 1))), 2000);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Properties defaults() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Application.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return properties;
    }
}
