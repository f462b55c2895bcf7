package dev.missedcall;

import java.time.Clock;

import dev.missedcall.checkmobi.CheckMobiCalls;
import dev.missedcall.checkmobi.CheckMobiHttpClientConfigurer;
import dev.missedcall.intake.InputReader;
import dev.missedcall.intake.VerificationTimeouts;
import dev.missedcall.phone.PhoneNumbers;
import dev.missedcall.verification.InMemoryVerificationLedger;
import dev.missedcall.verification.LateReports;
import dev.missedcall.verification.Publications;
import dev.missedcall.verification.Signals;
import dev.missedcall.verification.VerificationAggregation;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.aggregate.MemoryAggregationRepository;
import org.apache.camel.spi.AggregationRepository;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans the routes refer to by name: everything the YAML routes should not hold themselves. Bound in
 * {@link #configure(CamelContext)} (not with {@code @BindToRegistry} methods, which Camel Main calls twice).
 */
public class CamelConfiguration implements org.apache.camel.CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CamelConfiguration.class);

    @Override
    public void configure(CamelContext camel) {
        PropertiesComponent properties = camel.getPropertiesComponent();
        Registry registry = camel.getRegistry();
        Clock clock = Clock.systemUTC();

        VerificationTimeouts timeouts = new VerificationTimeouts(
                intSetting(properties, "verification.timeout"),
                intSetting(properties, "verification.timeout.min"),
                intSetting(properties, "verification.timeout.max"));
        registry.bind("inputReader", new InputReader(intSetting(properties, "verification.input.max-bytes"),
                intSetting(properties, "verification.metadata.max-bytes"), timeouts));
        // a caller ID may come before its START: keep it until the START's deadline could no longer be ahead
        long orphanMillis = (timeouts.maxSeconds() + 30L) * 1000L;
        registry.bind("verificationAggregation", new VerificationAggregation(clock, orphanMillis));
        registry.bind("verificationRepository", repository(setting(properties, "verification.store.url")));
        // requests and verifies of the remembered verifications, with room for both kinds of record
        registry.bind("verificationLedger", new InMemoryVerificationLedger(
                intSetting(properties, "verification.completed-ids.capacity") * 4));
        registry.bind("signals", new Signals(clock));
        registry.bind("publications", new Publications(clock,
                Boolean.parseBoolean(setting(properties, "verification.events.include-pin-hash"))));
        registry.bind("checkMobiCalls", new CheckMobiCalls());
        registry.bind("checkMobiHttpClient",
                new CheckMobiHttpClientConfigurer(setting(properties, "checkmobi.secret-key")));
        registry.bind("phoneNumbers", new PhoneNumbers());
        registry.bind("lateReports", new LateReports());
    }

    private static AggregationRepository repository(String storeUrl) {
        if (!storeUrl.isBlank()) {
            throw new IllegalStateException("verification.store.url is set, but this build has only the in-memory"
                    + " store: unset VERIFICATION_STORE_URL");
        }
        LOG.warn("*** Pending verifications are kept IN MEMORY: they die with this process (no HANGUP, no outcome"
                + " for them after a crash). Set verification.store.url for production. ***");
        return new MemoryAggregationRepository();
    }

    private static String setting(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).orElse("").trim();
    }

    private static int intSetting(PropertiesComponent properties, String key) {
        String value = setting(properties, key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'");
        }
    }
}
