package dev.missedcall.verification;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.missedcall.checkmobi.CheckMobiAnswer;

import static dev.missedcall.checkmobi.CheckMobiAnswer.CODE;
import static dev.missedcall.checkmobi.CheckMobiAnswer.HTTP_STATUS;
import static dev.missedcall.checkmobi.CheckMobiAnswer.MESSAGE;
import static dev.missedcall.checkmobi.CheckMobiAnswer.RESPONSE;
import static dev.missedcall.checkmobi.CheckMobiAnswer.RESULT;
import static dev.missedcall.verification.Fields.CLI_PREFIX;
import static dev.missedcall.verification.Fields.ERROR;
import static dev.missedcall.verification.Fields.EXPIRES_AT;
import static dev.missedcall.verification.Fields.METADATA;
import static dev.missedcall.verification.Fields.NUMBER;
import static dev.missedcall.verification.Fields.PIN_HASH;
import static dev.missedcall.verification.Fields.PLATFORM;
import static dev.missedcall.verification.Fields.REASON;
import static dev.missedcall.verification.Fields.SIGNAL;
import static dev.missedcall.verification.Fields.STATUS;
import static dev.missedcall.verification.Fields.TIMEOUT_SECONDS;
import static dev.missedcall.verification.Fields.VALIDATION_ID;
import static dev.missedcall.verification.Fields.VERIFICATION_ID;

/** Builds the messages the intake routes send to the verification aggregator. */
public class Signals {

    public static final String CHECKMOBI_UNAVAILABLE = "checkmobi_unavailable";

    private final Clock clock;

    public Signals(Clock clock) {
        this.clock = clock;
    }

    /** What the Request Validation's answer means for the verification: ringing, refused, or unknown. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> afterRequest(Map<String, Object> command, Map<String, Object> answer) {
        CheckMobiAnswer result = CheckMobiAnswer.valueOf((String) answer.get(RESULT));
        if (result == CheckMobiAnswer.OK) {
            Map<String, Object> response = (Map<String, Object>) answer.get(RESPONSE);
            if (response.get("id") instanceof String validationId && !validationId.isBlank()) {
                return requested(command, validationId, response);
            }
            return refused(command, Status.FAILED, CHECKMOBI_UNAVAILABLE,
                    error(answer, "CheckMobi accepted the request but gave no validation id"));
        }
        if (result == CheckMobiAnswer.REFUSED) {
            Object code = answer.get(CODE);
            String reason = "checkmobi." + (code != null ? code : "http_" + answer.get(HTTP_STATUS));
            return refused(command, Status.REJECTED, reason, error(answer, null));
        }
        return refused(command, Status.FAILED, CHECKMOBI_UNAVAILABLE, error(answer, null));
    }

    /** A START refused before any call: by local policy, or because CheckMobi is known to be unavailable. */
    public Map<String, Object> rejected(Map<String, Object> command, String reason) {
        return refused(command, Status.REJECTED, reason, null);
    }

    public Map<String, Object> cancelledBeforeRequest(Map<String, Object> command) {
        Map<String, Object> signal = about(Signal.CANCELLED_BEFORE_REQUEST, command);
        signal.put(STATUS, Status.CANCELLED.name());
        signal.put(REASON, "cancelled");
        return signal;
    }

    /** The sweeper's DEADLINE signal for a requested verification, from its REQUESTED record. */
    public Map<String, Object> deadline(Map<String, Object> requested) {
        Map<String, Object> signal = new LinkedHashMap<>(requested);
        signal.put(SIGNAL, Signal.DEADLINE.name());
        return signal;
    }

    /** A read caller-ID report or CANCEL command becomes a signal as it is. */
    public Map<String, Object> of(Signal kind, Map<String, Object> read) {
        Map<String, Object> signal = new LinkedHashMap<>(read);
        signal.put(SIGNAL, kind.name());
        return signal;
    }

    private Map<String, Object> requested(Map<String, Object> command, String validationId,
                                          Map<String, Object> response) {
        Map<String, Object> signal = about(Signal.REQUESTED, command);
        int timeoutSeconds = ((Number) command.get(TIMEOUT_SECONDS)).intValue();
        signal.put(TIMEOUT_SECONDS, timeoutSeconds);
        signal.put(VALIDATION_ID, validationId);
        signal.put(PIN_HASH, response.get("pin_hash") instanceof String hash ? hash : null);
        signal.put(CLI_PREFIX, response.get("cli_prefix") instanceof String prefix ? prefix : null);
        signal.put(EXPIRES_AT, clock.millis() + timeoutSeconds * 1000L);
        return signal;
    }

    private Map<String, Object> refused(Map<String, Object> command, Status status, String reason,
                                        Map<String, Object> error) {
        Map<String, Object> signal = about(Signal.REFUSED, command);
        signal.put(STATUS, status.name());
        signal.put(REASON, reason);
        signal.put(ERROR, error);
        return signal;
    }

    private static Map<String, Object> about(Signal kind, Map<String, Object> command) {
        Map<String, Object> signal = new LinkedHashMap<>();
        signal.put(SIGNAL, kind.name());
        signal.put(VERIFICATION_ID, command.get(VERIFICATION_ID));
        signal.put(NUMBER, command.get(NUMBER));
        signal.put(PLATFORM, command.get(PLATFORM));
        signal.put(METADATA, command.get(METADATA));
        return signal;
    }

    /** The {@code error} object of an outcome: CheckMobi's code and message, kept as they came. */
    static Map<String, Object> error(Map<String, Object> answer, String overrideMessage) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", answer.get(CODE));
        error.put("message", overrideMessage != null ? overrideMessage : answer.get(MESSAGE));
        error.put("httpStatus", answer.get(HTTP_STATUS));
        return error;
    }
}
