package dev.missedcall.verification;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import static dev.missedcall.verification.Fields.CALLER_ID_SOURCE;
import static dev.missedcall.verification.Fields.CANCELLED;
import static dev.missedcall.verification.Fields.DEADLINE_PASSED;
import static dev.missedcall.verification.Fields.DIGITS;
import static dev.missedcall.verification.Fields.EXPIRES_AT;
import static dev.missedcall.verification.Fields.NEXT_STEP;
import static dev.missedcall.verification.Fields.PIN_ATTEMPTS_EXHAUSTED;
import static dev.missedcall.verification.Fields.PIN_HASH;
import static dev.missedcall.verification.Fields.SIGNAL;
import static dev.missedcall.verification.Fields.STATUS;
import static dev.missedcall.verification.Fields.VALIDATION_ID;

/**
 * Joins what is known of one verification (the request's result, the caller ID, a cancel) in whatever order it
 * arrives, and decides when it is complete. The state is a map of strings, numbers and maps because the aggregation
 * repository stores it serialized.
 */
public class VerificationAggregation implements AggregationStrategy {

    private final Clock clock;
    private final long orphanMillis;

    /**
     * @param orphanMillis how long a caller ID or CANCEL waits for its START (longer than any deadline, so that a
     *                     report that came before its START is never dropped while the START can still come)
     */
    public VerificationAggregation(Clock clock, long orphanMillis) {
        this.clock = clock;
        this.orphanMillis = orphanMillis;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange pending, Exchange arriving) {
        Map<String, Object> message = arriving.getMessage().getBody(Map.class);
        Exchange aggregated = pending == null ? arriving : pending;
        Map<String, Object> state = pending == null
                ? new LinkedHashMap<>()
                : pending.getMessage().getBody(Map.class);
        merge(state, message);
        state.put(NEXT_STEP, decide(state));
        aggregated.getMessage().setBody(state);
        return aggregated;
    }

    /** The completion predicate: the aggregator completes a verification as soon as there is something to do. */
    @SuppressWarnings("unchecked")
    public boolean isDecided(Exchange exchange) {
        return exchange.getMessage().getBody(Map.class).get(NEXT_STEP) != null;
    }

    /** The completion timeout: the time left until the verification's deadline (or the orphan window). */
    @SuppressWarnings("unchecked")
    public long remainingMillis(Exchange exchange) {
        Object expiresAt = exchange.getMessage().getBody(Map.class).get(EXPIRES_AT);
        if (expiresAt == null) {
            return orphanMillis;
        }
        return Math.max(1, ((Number) expiresAt).longValue() - clock.millis());
    }

    /** Decides a verification whose deadline passed with nothing else deciding it. */
    public Map<String, Object> onTimeout(Map<String, Object> state) {
        if (state.get(VALIDATION_ID) != null) {
            state.put(STATUS, Status.TIMED_OUT.name());
            state.put(NEXT_STEP, NextStep.HANGUP.name());
        } else {
            state.put(NEXT_STEP, NextStep.DISCARD.name());
        }
        return state;
    }

    /**
     * What the one Verify PIN of a decided verification is for: its digits, or a HANGUP ending with the status
     * (TIMED_OUT, CANCELLED, or NOT_VERIFIED when the typed PINs ran out).
     */
    public String verifyIntent(Map<String, Object> state) {
        return NextStep.HANGUP.name().equals(state.get(NEXT_STEP))
                ? (String) state.get(STATUS)
                : NextStep.VERIFY_DIGITS.name();
    }

    private static void merge(Map<String, Object> state, Map<String, Object> message) {
        Signal signal = Signal.valueOf((String) message.get(SIGNAL));
        switch (signal) {
            case CALLER_ID -> {
                // the first report decides; a second one (a re-sent event) must not change the digits
                if (!state.containsKey(DIGITS)) {
                    state.put(DIGITS, message.get(DIGITS));
                    state.put(CALLER_ID_SOURCE, message.get(CALLER_ID_SOURCE));
                }
                state.putIfAbsent(Fields.VERIFICATION_ID, message.get(Fields.VERIFICATION_ID));
            }
            case CANCEL -> {
                state.put(CANCELLED, Boolean.TRUE);
                state.putIfAbsent(Fields.VERIFICATION_ID, message.get(Fields.VERIFICATION_ID));
            }
            case PIN_ATTEMPTS_EXHAUSTED -> {
                state.put(PIN_ATTEMPTS_EXHAUSTED, Boolean.TRUE);
                state.putIfAbsent(Fields.VERIFICATION_ID, message.get(Fields.VERIFICATION_ID));
            }
            case REQUESTED, REFUSED, CANCELLED_BEFORE_REQUEST -> copyInto(state, message);
            case DEADLINE -> {
                copyInto(state, message);
                state.put(DEADLINE_PASSED, Boolean.TRUE);
            }
            default -> throw new IllegalArgumentException("unknown signal " + signal);
        }
    }

    private static boolean isAnotherCall(Map<String, Object> state) {
        return "callerNumber".equals(state.get(CALLER_ID_SOURCE)) && state.get(PIN_HASH) instanceof String pinHash
                && !PinChecks.fits((String) state.get(DIGITS), pinHash);
    }

    private static void copyInto(Map<String, Object> state, Map<String, Object> message) {
        message.forEach((field, value) -> {
            if (!field.equals(SIGNAL) && value != null) {
                state.put(field, value);
            }
        });
    }

    private static String decide(Map<String, Object> state) {
        boolean requested = state.get(VALIDATION_ID) != null;
        if (!requested) {
            // a status without a validation id is a verification that ended before any call
            return state.get(STATUS) != null ? NextStep.PUBLISH.name() : null;
        }
        if (Boolean.TRUE.equals(state.get(CANCELLED))) {
            state.put(STATUS, Status.CANCELLED.name());
            return NextStep.HANGUP.name();
        }
        if (state.get(DIGITS) != null && isAnotherCall(state)) {
            // reported before CheckMobi's answer could be checked at intake: a number that does not fit is ignored
            state.remove(DIGITS);
            state.remove(CALLER_ID_SOURCE);
        }
        if (state.get(DIGITS) != null) {
            return NextStep.VERIFY_DIGITS.name();
        }
        if (Boolean.TRUE.equals(state.get(PIN_ATTEMPTS_EXHAUSTED))) {
            state.put(STATUS, Status.NOT_VERIFIED.name());
            return NextStep.HANGUP.name();
        }
        if (Boolean.TRUE.equals(state.get(DEADLINE_PASSED))) {
            state.put(STATUS, Status.TIMED_OUT.name());
            return NextStep.HANGUP.name();
        }
        return null;
    }
}
