package dev.missedcall.testing;

import java.util.Properties;

import dev.missedcall.CamelConfiguration;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

/**
 * The application's real YAML routes and beans in a test CamelContext that is started only after the test has
 * replaced the edges (Kafka, CheckMobi's HTTP) with AdviceWith.
 */
public abstract class RealRoutesTestSupport extends CamelMainTestSupport {

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(CamelConfiguration.class);
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    /** Settings every such test needs: a key, an address no call may reach, fast retries, short deadlines. */
    protected static Properties testProperties(String secretKey) {
        Properties properties = new Properties();
        properties.put("checkmobi.secret-key", secretKey);
        properties.put("checkmobi.base-url", "http://127.0.0.1:9/v1");
        properties.put("checkmobi.connect-retry-delay", "10");
        properties.put("verification.timeout.min", "1");
        properties.put("management.port", "0");
        return properties;
    }
}
