package dev.missedcall.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.missedcall.checkmobi.CheckMobiAnswer;
import dev.missedcall.checkmobi.CheckMobiBreaker;
import dev.missedcall.verification.Fields;
import dev.missedcall.verification.PinChecks;
import dev.missedcall.verification.VerificationLedger;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The business metrics, next to Camel's own route metrics on {@code /observe/metrics}. Labels are small closed
 * sets (status, reason, endpoint, result, CheckMobi code): never numbers or ids.
 */
public class VerificationMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Counter started;
    private final Counter charged;
    private final Counter lateReports;
    private final Counter unrelatedCalls;
    private final Counter pinRejections;
    private final Timer hangupLateness;

    public VerificationMetrics(MeterRegistry registry, Clock clock, VerificationLedger ledger) {
        this.registry = registry;
        this.clock = clock;
        started = Counter.builder("verification.started")
                .description("STARTs that claimed their verification (duplicates not counted)").register(registry);
        charged = Counter.builder("checkmobi.charged.amount")
                .description("Sum of CheckMobi's charged_amount over all Verify PIN answers").register(registry);
        lateReports = Counter.builder("verification.late.reports")
                .description("Caller IDs and CANCELs that arrived after their verification ended").register(registry);
        unrelatedCalls = Counter.builder("verification.unrelated.calls")
                .description("Reported caller numbers that failed the pin_hash check: other calls, ignored")
                .register(registry);
        pinRejections = Counter.builder("verification.pin.rejections")
                .description("Typed PINs that failed the pin_hash check (PIN_REJECTED events and exhausted attempts)")
                .register(registry);
        hangupLateness = Timer.builder("verification.hangup.lateness")
                .description("Time from a verification's deadline to its HANGUP being sent")
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(7))
                .register(registry);
        Gauge.builder("verification.pending", ledger, VerificationLedger::pendingCount)
                .description("Verifications started and not ended (in the store: all instances together)")
                .register(registry);
    }

    /** A START's claim: counts the ones that begin a verification. */
    public void started(String requestClaim) {
        if (VerificationLedger.RequestClaim.CLAIMED.name().equals(requestClaim)) {
            started.increment();
        }
    }

    /** The outcome a verification ended with. */
    public void ended(Map<String, Object> outcome) {
        Object reason = outcome.get(Fields.REASON);
        Counter.builder("verification.outcomes").description("Outcomes published, by status and reason")
                .tag("status", String.valueOf(outcome.get(Fields.STATUS)))
                .tag("reason", reason == null ? "none" : reason.toString())
                .register(registry).increment();
        if (outcome.get(Fields.CHARGED_AMOUNT) instanceof Number amount) {
            charged.increment(amount.doubleValue());
        }
    }

    /** When a call to CheckMobi began (for {@link #checkMobiCall}). */
    public long callStarted() {
        return System.nanoTime();
    }

    /** One call to CheckMobi: its endpoint, how it ended, CheckMobi's error code, and how long it took. */
    public void checkMobiCall(String path, Map<String, Object> answer, long startedNanos) {
        Object code = answer.get(CheckMobiAnswer.CODE);
        Timer.builder("checkmobi.call").description("Calls to CheckMobi by endpoint, result and error code")
                .tag("endpoint", endpoint(path))
                .tag("result", String.valueOf(answer.get(CheckMobiAnswer.RESULT)))
                .tag("code", code == null ? "none" : code.toString())
                .register(registry).record(Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    /** A HANGUP was sent for a verification whose deadline passed. */
    public void hangupSent(Map<String, Object> state) {
        if (state.get(Fields.EXPIRES_AT) instanceof Number expiresAt && "TIMED_OUT".equals(state.get(Fields.STATUS))) {
            hangupLateness.record(Duration.ofMillis(Math.max(0, clock.millis() - expiresAt.longValue())));
        }
    }

    /** The state of the breaker in front of Request Validation: one series per state, 1 for the current one. */
    public void watch(CheckMobiBreaker breaker) {
        for (CircuitBreaker.State state : List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN,
                CircuitBreaker.State.HALF_OPEN)) {
            Gauge.builder("checkmobi.breaker.state", breaker, b -> b.state().equals(state.name()) ? 1 : 0)
                    .description("Circuit breaker in front of Request Validation: 1 for its current state")
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    /** A caller-ID report after the pin_hash check: counts the ignored numbers and the rejected PINs. */
    public void pinChecked(Map<String, Object> pinCheck) {
        String verdict = (String) pinCheck.get(PinChecks.VERDICT);
        if (PinChecks.Verdict.UNRELATED_CALL.name().equals(verdict)) {
            unrelatedCalls.increment();
        } else if (PinChecks.Verdict.PIN_REJECTED.name().equals(verdict)
                || PinChecks.Verdict.PIN_ATTEMPTS_EXHAUSTED.name().equals(verdict)) {
            pinRejections.increment();
        }
    }

    public void deadLettered(String reason) {
        Counter.builder("verification.dlq.records").description("Records sent to the dead-letter topic, by reason")
                .tag("reason", reason == null ? "unknown" : reason).register(registry).increment();
    }

    /** A late caller ID or CANCEL: returns how many there were so far. */
    public long lateReport() {
        lateReports.increment();
        return (long) lateReports.count();
    }

    public long lateReports() {
        return (long) lateReports.count();
    }

    private static String endpoint(String path) {
        if (path == null) {
            return "unknown";
        }
        if (path.startsWith("/validation/status")) {
            return "status";
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
