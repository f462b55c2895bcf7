package dev.missedcall;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

import dev.missedcall.checkmobi.CheckMobiBreaker;
import dev.missedcall.checkmobi.CheckMobiCalls;
import dev.missedcall.checkmobi.CheckMobiHttpClientConfigurer;
import dev.missedcall.intake.InputReader;
import dev.missedcall.intake.VerificationTimeouts;
import dev.missedcall.observe.CheckMobiBreakerHealthCheck;
import dev.missedcall.observe.CheckMobiCredentialsHealthCheck;
import dev.missedcall.observe.StoreHealthCheck;
import dev.missedcall.observe.VerificationMetrics;
import dev.missedcall.phone.PhoneNumbers;
import dev.missedcall.policy.AttemptLimits;
import dev.missedcall.policy.InMemoryAttemptLimits;
import dev.missedcall.policy.NumberRules;
import dev.missedcall.policy.StartPolicy;
import dev.missedcall.store.JdbcAttemptLimits;
import dev.missedcall.store.JdbcVerificationLedger;
import dev.missedcall.store.JdbcVerificationRepository;
import dev.missedcall.store.VerificationStore;
import dev.missedcall.verification.InMemoryVerificationLedger;
import dev.missedcall.verification.PinChecks;
import dev.missedcall.verification.Publications;
import dev.missedcall.verification.Signals;
import dev.missedcall.verification.Sweeper;
import dev.missedcall.verification.VerificationAggregation;
import dev.missedcall.verification.VerificationLedger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualAsyncCommitFactory;
import org.apache.camel.processor.aggregate.MemoryAggregationRepository;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans the routes refer to by name: everything the YAML routes should not hold themselves. Bound in
 * {@link #configure(CamelContext)} (not with {@code @BindToRegistry} methods, which Camel Main calls twice).
 */
public class CamelConfiguration implements org.apache.camel.CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CamelConfiguration.class);
    /** Unconfirmed completions older than this are recovered: longer than any completion takes (a verify's timeouts). */
    private static final long RECOVER_AFTER_MILLIS = 60_000;

    @Override
    public void configure(CamelContext camel) throws Exception {
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

        VerificationLedger ledger;
        AttemptLimits attemptLimits;
        String storeUrl = setting(properties, "verification.store.url");
        if (storeUrl.isBlank() && Boolean.parseBoolean(setting(properties, "verification.store.required"))) {
            throw new IllegalStateException("verification.store.required is true but verification.store.url is"
                    + " empty: set VERIFICATION_STORE_URL");
        }
        if (storeUrl.isBlank()) {
            LOG.warn("*** Pending verifications are kept IN MEMORY: they die with this process (no HANGUP, no"
                    + " outcome for them after a crash), and instances share nothing. Set verification.store.url for"
                    + " production. ***");
            ledger = new InMemoryVerificationLedger(clock, intSetting(properties, "verification.completed-ids.capacity"));
            registry.bind("verificationRepository", new MemoryAggregationRepository(true));
            attemptLimits = new InMemoryAttemptLimits(clock);
        } else {
            VerificationStore store = new VerificationStore(storeUrl, setting(properties, "verification.store.user"),
                    setting(properties, "verification.store.password"),
                    intSetting(properties, "verification.store.pool-size"));
            camel.addService(store, true, true);
            ledger = new JdbcVerificationLedger(store.dataSource());
            attemptLimits = new JdbcAttemptLimits(store.dataSource());
            JdbcVerificationRepository repository = new JdbcVerificationRepository(store.dataSource(),
                    RECOVER_AFTER_MILLIS);
            repository.setRecoveryInterval(intSetting(properties, "verification.sweeper.interval"));
            repository.setMaximumRedeliveries(intSetting(properties, "verification.completion.max-recoveries"));
            repository.setDeadLetterUri("direct:completion-dead-letter");
            registry.bind("verificationRepository", repository);
            LOG.info("Verification store: PostgreSQL at {}", storeUrl.replaceAll("password=[^&]*", "password=***"));
        }
        registry.bind("verificationLedger", ledger);
        registry.bind("sweeper", new Sweeper(ledger,
                duration(properties, "verification.sweeper.grace"),
                duration(properties, "verification.sweeper.interrupted-after")));
        registry.bind("attemptLimits", attemptLimits);
        CheckMobiBreaker breaker = new CheckMobiBreaker(duration(properties, "checkmobi.breaker.open-for"),
                intSetting(properties, "checkmobi.breaker.failure-rate"),
                intSetting(properties, "checkmobi.breaker.minimum-calls"));
        registry.bind("checkMobiBreaker", breaker);
        registry.bind("checkMobiCircuitBreaker", breaker.circuitBreaker());
        registry.bind("startPolicy", startPolicy(properties, attemptLimits, ledger, breaker, clock));
        registry.bind("pinChecks", new PinChecks(ledger, intSetting(properties, "verification.pin.max-attempts")));
        registry.bind("signals", new Signals(clock));
        registry.bind("publications", new Publications(clock,
                Boolean.parseBoolean(setting(properties, "verification.events.include-pin-hash"))));
        registry.bind("checkMobiCalls", new CheckMobiCalls());
        registry.bind("checkMobiHttpClient",
                new CheckMobiHttpClientConfigurer(setting(properties, "checkmobi.secret-key")));
        registry.bind("phoneNumbers", new PhoneNumbers());
        // one registry for Camel's metrics (camel-micrometer-prometheus) and ours: whoever comes first creates it
        MeterRegistry meters = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        VerificationMetrics metrics = new VerificationMetrics(meters, clock, ledger);
        metrics.watch(breaker);
        registry.bind("verificationMetrics", metrics);
        registry.bind("checkMobiBreakerHealthCheck", new CheckMobiBreakerHealthCheck(breaker));
        registry.bind("storeHealthCheck", new StoreHealthCheck(ledger));
        registry.bind("checkMobiCredentialsHealthCheck", new CheckMobiCredentialsHealthCheck(
                setting(properties, "checkmobi.base-url"), setting(properties, "checkmobi.secret-key"), clock));
        // selects Camel's asynchronous commit manager: one commit per partition and poll, not one per record
        registry.bind("offsetCommitFactory", new DefaultKafkaManualAsyncCommitFactory());
    }

    private static StartPolicy startPolicy(PropertiesComponent properties, AttemptLimits attemptLimits,
                                           VerificationLedger ledger, CheckMobiBreaker breaker, Clock clock) {
        NumberRules numberRules = new NumberRules(
                NumberRules.numberTypes("verification.policy.number-types.deny",
                        setting(properties, "verification.policy.number-types.deny")),
                Boolean.parseBoolean(setting(properties, "verification.policy.mobile-only")),
                NumberRules.countries("verification.policy.countries.allow",
                        setting(properties, "verification.policy.countries.allow")),
                NumberRules.countries("verification.policy.countries.deny",
                        setting(properties, "verification.policy.countries.deny")));
        StartPolicy.Limits limits = new StartPolicy.Limits(
                duration(properties, "verification.policy.number.cooldown"),
                intSetting(properties, "verification.policy.number.daily-max"),
                setting(properties, "verification.policy.metadata-key"),
                duration(properties, "verification.policy.metadata-key.cooldown"),
                intSetting(properties, "verification.policy.metadata-key.daily-max"));
        double spendDailyMax = decimalSetting(properties, "verification.policy.spend.daily-max");
        // checked here so that a wrong value stops the start with a clear message; the throttle step reads it
        if (intSetting(properties, "verification.policy.max-requests-per-second") < 0) {
            throw new IllegalArgumentException("verification.policy.max-requests-per-second must be 0 (no pacing) or"
                    + " more");
        }
        return new StartPolicy(numberRules, limits, attemptLimits, spendDailyMax, ledger, breaker, clock);
    }

    private static Duration duration(PropertiesComponent properties, String key) {
        return parsed(properties, key, value -> Duration.ofMillis(TimeUtils.toMilliSeconds(value)),
                "a duration such as 30s, 2m or 500 (milliseconds)");
    }

    private static double decimalSetting(PropertiesComponent properties, String key) {
        return parsed(properties, key, Double::parseDouble, "a number");
    }

    private static int intSetting(PropertiesComponent properties, String key) {
        return parsed(properties, key, Integer::parseInt, "a whole number");
    }

    /** A setting read by {@code parser}; a value it cannot read stops the start with the key and what it expects. */
    private static <T> T parsed(PropertiesComponent properties, String key, Function<String, T> parser,
                                String expected) {
        String value = setting(properties, key);
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be " + expected + ", was '" + value + "'", e);
        }
    }

    private static String setting(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).orElse("").trim();
    }
}
