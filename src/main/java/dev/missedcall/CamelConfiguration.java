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
import dev.missedcall.verification.VerificationLedger;
import org.apache.camel.BindToRegistry;
import org.apache.camel.PropertyInject;
import org.apache.camel.processor.aggregate.MemoryAggregationRepository;
import org.apache.camel.spi.AggregationRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The beans the routes refer to by name: everything the YAML routes should not hold themselves. */
public class CamelConfiguration implements org.apache.camel.CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CamelConfiguration.class);
    private static final Clock CLOCK = Clock.systemUTC();

    @BindToRegistry
    public VerificationTimeouts verificationTimeouts(@PropertyInject("verification.timeout") int defaultSeconds,
                                                     @PropertyInject("verification.timeout.min") int minSeconds,
                                                     @PropertyInject("verification.timeout.max") int maxSeconds) {
        return new VerificationTimeouts(defaultSeconds, minSeconds, maxSeconds);
    }

    @BindToRegistry
    public InputReader inputReader(@PropertyInject("verification.input.max-bytes") int maxRecordBytes,
                                   @PropertyInject("verification.metadata.max-bytes") int maxMetadataBytes,
                                   @PropertyInject("verification.timeout") int defaultSeconds,
                                   @PropertyInject("verification.timeout.min") int minSeconds,
                                   @PropertyInject("verification.timeout.max") int maxSeconds) {
        return new InputReader(maxRecordBytes, maxMetadataBytes,
                verificationTimeouts(defaultSeconds, minSeconds, maxSeconds));
    }

    @BindToRegistry
    public VerificationAggregation verificationAggregation(@PropertyInject("verification.timeout.max") int maxSeconds) {
        // a caller ID may come before its START; keep it until the START's deadline could no longer be ahead
        long orphanMillis = (maxSeconds + 30L) * 1000L;
        return new VerificationAggregation(CLOCK, orphanMillis);
    }

    @BindToRegistry
    public Signals signals() {
        return new Signals(CLOCK);
    }

    @BindToRegistry
    public Publications publications(@PropertyInject("verification.events.include-pin-hash") boolean includePinHash) {
        return new Publications(CLOCK, includePinHash);
    }

    @BindToRegistry
    public CheckMobiCalls checkMobiCalls() {
        return new CheckMobiCalls();
    }

    @BindToRegistry
    public CheckMobiHttpClientConfigurer checkMobiHttpClient(@PropertyInject("checkmobi.secret-key") String secretKey) {
        return new CheckMobiHttpClientConfigurer(secretKey);
    }

    @BindToRegistry
    public VerificationLedger verificationLedger(
            @PropertyInject("verification.completed-ids.capacity") int completedIdsCapacity) {
        // requests and verifies of the remembered verifications, with room for both kinds of record
        return new InMemoryVerificationLedger(completedIdsCapacity * 4);
    }

    @BindToRegistry
    public AggregationRepository verificationRepository(@PropertyInject(value = "verification.store.url", defaultValue = "") String storeUrl) {
        if (storeUrl != null && !storeUrl.isBlank()) {
            throw new IllegalStateException("verification.store.url is set, but this build has only the in-memory"
                    + " store: unset VERIFICATION_STORE_URL");
        }
        LOG.warn("*** Pending verifications are kept IN MEMORY: they die with this process (no HANGUP, no outcome"
                + " for them after a crash). Set verification.store.url for production. ***");
        return new MemoryAggregationRepository();
    }

    @BindToRegistry
    public PhoneNumbers phoneNumbers() {
        return new PhoneNumbers();
    }

    @BindToRegistry
    public LateReports lateReports() {
        return new LateReports();
    }
}
