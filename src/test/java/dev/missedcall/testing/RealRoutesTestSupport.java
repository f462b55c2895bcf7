package dev.missedcall.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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

    /** The JSON bodies of the Verify PINs the test's fake CheckMobi received on {@code mock:verify-sent}. */
    protected List<Map<String, Object>> verifiesSent() {
        return getMockEndpoint("mock:verify-sent").getExchanges().stream()
                .map(e -> Pipeline.parse(e.getMessage().getBody(String.class).getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    /** Settings every such test needs: a key, an address no call may reach, fast retries, short deadlines. */
    protected static Properties testProperties(String secretKey) {
        Properties properties = new Properties();
        properties.put("checkmobi.secret-key", secretKey);
        properties.put("checkmobi.base-url", "http://127.0.0.1:9/v1");
        properties.put("checkmobi.connect-retry-delay", "10");
        properties.put("verification.timeout.min", "1");
        properties.put("verification.policy.number.cooldown", "0s");
        properties.put("verification.policy.number.daily-max", "0");
        properties.put("management.port", "0");
        return properties;
    }
}
