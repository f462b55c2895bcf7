package dev.missedcall;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.camel.main.Main;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The service: the routes against an existing Kafka and CheckMobi (or the simulator). Configuration problems that
 * an operator can fix end the start with one sentence, not a stack trace.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Properties defaults = defaults();
        String problem = startupProblem(defaults);
        if (problem != null) {
            System.err.println("missed-call-verification cannot start: " + problem);
            System.exit(2);
        }
        Main main = newMain();
        main.run(args);
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

    private static boolean kafkaReachable(String brokers) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
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
