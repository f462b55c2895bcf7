package dev.missedcall.verification;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.missedcall.checkmobi.CheckMobiAnswer;

import static dev.missedcall.checkmobi.CheckMobiAnswer.CODE;
import static dev.missedcall.checkmobi.CheckMobiAnswer.HTTP_STATUS;
import static dev.missedcall.checkmobi.CheckMobiAnswer.RESPONSE;
import static dev.missedcall.checkmobi.CheckMobiAnswer.RESULT;
import static dev.missedcall.verification.Fields.ATTEMPTS_LEFT;
import static dev.missedcall.verification.Fields.CHARGED_AMOUNT;
import static dev.missedcall.verification.Fields.CLI_PREFIX;
import static dev.missedcall.verification.Fields.COMPLETED_AT;
import static dev.missedcall.verification.Fields.ERROR;
import static dev.missedcall.verification.Fields.EXPIRES_AT;
import static dev.missedcall.verification.Fields.METADATA;
import static dev.missedcall.verification.Fields.NEXT_STEP;
import static dev.missedcall.verification.Fields.NUMBER;
import static dev.missedcall.verification.Fields.PIN_HASH;
import static dev.missedcall.verification.Fields.REASON;
import static dev.missedcall.verification.Fields.STATUS;
import static dev.missedcall.verification.Fields.TYPE;
import static dev.missedcall.verification.Fields.VALIDATED_AT;
import static dev.missedcall.verification.Fields.VALIDATION_ID;
import static dev.missedcall.verification.Fields.VERIFICATION_ID;

/** The records the bundle publishes: events while a verification runs, and its one outcome. */
public class Publications {

    public static final String PIN_MISMATCH = "pin_mismatch";
    public static final String PIN_ATTEMPTS_EXHAUSTED = "pin_attempts_exhausted";
    public static final String NO_CALLER_ID = "no_caller_id";
    public static final String CANCELLED = "cancelled";
    public static final String REQUEST_INTERRUPTED = "request_interrupted";
    public static final String VERIFY_INTERRUPTED = "verify_interrupted";
    /**
     * How the {@code error} of any outcome reconciled after an interrupted Verify PIN begins (its status may be
     * TIMED_OUT or CANCELLED when the verify was a HANGUP): operators can tell it was not seen to completion.
     */
    public static final String VERIFY_INTERRUPTED_MESSAGE =
            "the process sending Verify PIN stopped before CheckMobi's answer was recorded";

    private final Clock clock;
    private final boolean includePinHash;

    public Publications(Clock clock, boolean includePinHash) {
        this.clock = clock;
        this.includePinHash = includePinHash;
    }

    /** The CALL_REQUESTED event, from the REQUESTED signal. */
    public Map<String, Object> callRequested(Map<String, Object> requested) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put(TYPE, "CALL_REQUESTED");
        event.put(VERIFICATION_ID, requested.get(VERIFICATION_ID));
        event.put(VALIDATION_ID, requested.get(VALIDATION_ID));
        event.put(NUMBER, requested.get(NUMBER));
        event.put(CLI_PREFIX, requested.get(CLI_PREFIX));
        if (includePinHash) {
            event.put(PIN_HASH, requested.get(PIN_HASH));
        }
        event.put(EXPIRES_AT, isoMillis(requested.get(EXPIRES_AT)));
        event.put(METADATA, requested.get(METADATA));
        return event;
    }

    /**
     * The PIN_REJECTED event: a typed PIN failed the pin_hash check, and the app may ask again.
     *
     * @param pinCheck {@link PinChecks#check}'s answer: the REQUESTED signal and the attempts left
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> pinRejected(Map<String, Object> pinCheck) {
        Map<String, Object> ringing = (Map<String, Object>) pinCheck.get(PinChecks.RINGING);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put(TYPE, "PIN_REJECTED");
        event.put(VERIFICATION_ID, ringing.get(VERIFICATION_ID));
        event.put(VALIDATION_ID, ringing.get(VALIDATION_ID));
        event.put(NUMBER, ringing.get(NUMBER));
        event.put(ATTEMPTS_LEFT, pinCheck.get(PinChecks.ATTEMPTS_LEFT));
        event.put(EXPIRES_AT, isoMillis(ringing.get(EXPIRES_AT)));
        event.put(METADATA, ringing.get(METADATA));
        return event;
    }

    /**
     * The outcome of a decided verification.
     *
     * @param verifyAnswer CheckMobi's answer to the Verify PIN, or null when none was sent
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> outcome(Map<String, Object> state, Map<String, Object> verifyAnswer) {
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put(VERIFICATION_ID, state.get(VERIFICATION_ID));
        outcome.put(STATUS, state.get(STATUS));
        outcome.put(NUMBER, state.get(NUMBER));
        outcome.put(VALIDATION_ID, state.get(VALIDATION_ID));
        outcome.put(REASON, state.get(REASON));
        outcome.put(ERROR, state.get(ERROR));
        outcome.put(CHARGED_AMOUNT, null);
        outcome.put(VALIDATED_AT, null);
        if (verifyAnswer != null) {
            NextStep step = NextStep.valueOf((String) state.get(NEXT_STEP));
            Map<String, Object> response = (Map<String, Object>) verifyAnswer.get(RESPONSE);
            boolean answered = CheckMobiAnswer.OK.name().equals(verifyAnswer.get(RESULT));
            if (step == NextStep.VERIFY_DIGITS) {
                readVerifyResult(outcome, answered, response, verifyAnswer);
            } else {
                outcome.put(REASON, hangupReason((String) state.get(STATUS)));
                if (!answered) {
                    // the verification still timed out or was cancelled; the failed hangup is kept for operators
                    outcome.put(ERROR, hangupError(verifyAnswer));
                }
            }
            if (answered && response.get("charged_amount") instanceof Number charged) {
                outcome.put(CHARGED_AMOUNT, charged.doubleValue());
            }
        }
        outcome.put(COMPLETED_AT, Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString());
        outcome.put(METADATA, state.get(METADATA));
        return outcome;
    }

    /**
     * The outcome of a verification whose Request Validation was claimed by a process that died before it recorded
     * CheckMobi's answer: whether a call was placed is unknown, and it is not requested again.
     *
     * @param interrupted the sweeper's row: {@code verificationId} and {@code requested} (the START command)
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> requestInterrupted(Map<String, Object> interrupted) {
        Map<String, Object> state = new LinkedHashMap<>();
        Map<String, Object> command = (Map<String, Object>) interrupted.get("requested");
        if (command != null) {
            state.putAll(command);
        }
        state.put(VERIFICATION_ID, interrupted.get(VERIFICATION_ID));
        state.put(STATUS, Status.FAILED.name());
        state.put(REASON, REQUEST_INTERRUPTED);
        state.put(VALIDATION_ID, null);
        return outcome(state, null);
    }

    /**
     * The outcome of a verification whose one Verify PIN was claimed by a process that died before it recorded the
     * answer, from CheckMobi's Validation Status: no second verify is sent.
     *
     * @param interrupted  the sweeper's row: {@code verificationId}, {@code verifyIntent}, {@code requested}
     * @param statusAnswer CheckMobi's answer to the status request
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> verifyInterrupted(Map<String, Object> interrupted, Map<String, Object> statusAnswer) {
        Map<String, Object> state = new LinkedHashMap<>();
        Map<String, Object> requested = (Map<String, Object>) interrupted.get("requested");
        if (requested != null) {
            state.putAll(requested);
        }
        state.put(VERIFICATION_ID, interrupted.get(VERIFICATION_ID));
        String intent = (String) interrupted.get("verifyIntent");
        boolean answered = CheckMobiAnswer.OK.name().equals(statusAnswer.get(RESULT));
        Map<String, Object> response = answered ? (Map<String, Object>) statusAnswer.get(RESPONSE) : Map.of();
        Map<String, Object> outcome;
        if (Boolean.TRUE.equals(response.get("validated"))) {
            state.put(STATUS, Status.VERIFIED.name());
            state.put(NEXT_STEP, NextStep.VERIFY_DIGITS.name());
            outcome = outcome(state, statusAnswer);
        } else {
            boolean hangup = intent != null && !NextStep.VERIFY_DIGITS.name().equals(intent);
            state.put(STATUS, hangup ? intent : Status.FAILED.name());
            state.put(REASON, hangup ? hangupReason(intent) : VERIFY_INTERRUPTED);
            outcome = outcome(state, null);
            Map<String, Object> error = answered ? new LinkedHashMap<>() : Signals.error(statusAnswer, null);
            error.put("message", VERIFY_INTERRUPTED_MESSAGE
                    + (answered ? "" : "; validation status unknown: " + error.get("message")));
            outcome.put(ERROR, error);
        }
        return outcome;
    }

    private static void readVerifyResult(Map<String, Object> outcome, boolean answered, Map<String, Object> response,
                                         Map<String, Object> verifyAnswer) {
        if (!answered) {
            outcome.put(STATUS, Status.FAILED.name());
            boolean refused = CheckMobiAnswer.REFUSED.name().equals(verifyAnswer.get(RESULT));
            Object code = verifyAnswer.get(CODE);
            outcome.put(REASON, refused
                    ? "checkmobi." + (code != null ? code : "http_" + verifyAnswer.get(HTTP_STATUS))
                    : Signals.CHECKMOBI_UNAVAILABLE);
            outcome.put(ERROR, Signals.error(verifyAnswer, null));
            return;
        }
        if (Boolean.TRUE.equals(response.get("validated"))) {
            outcome.put(STATUS, Status.VERIFIED.name());
            outcome.put(REASON, null);
            if (response.get("validation_date") instanceof Number seconds) {
                outcome.put(VALIDATED_AT, Instant.ofEpochSecond(seconds.longValue()).toString());
            }
        } else {
            outcome.put(STATUS, Status.NOT_VERIFIED.name());
            outcome.put(REASON, PIN_MISMATCH);
        }
    }

    /** Why a verification that ends with a HANGUP ended, from the status the HANGUP ends it with. */
    private static String hangupReason(String status) {
        return switch (Status.valueOf(status)) {
            case CANCELLED -> CANCELLED;
            case NOT_VERIFIED -> PIN_ATTEMPTS_EXHAUSTED;
            default -> NO_CALLER_ID;
        };
    }

    private static String isoMillis(Object epochMillis) {
        return Instant.ofEpochMilli(((Number) epochMillis).longValue()).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static Map<String, Object> hangupError(Map<String, Object> verifyAnswer) {
        Map<String, Object> error = Signals.error(verifyAnswer, null);
        error.put("message", "HANGUP not confirmed: " + error.get("message"));
        return error;
    }
}
