package dev.missedcall.verification;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublicationsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T21:00:12.481Z"), ZoneOffset.UTC);
    private final Publications publications = new Publications(clock, false);
    private final Signals signals = new Signals(clock);

    private Map<String, Object> decided(String nextStep, String status) {
        Map<String, Object> command = new LinkedHashMap<>(Map.of("verificationId", "v-1", "number", "+40743123456",
                "timeoutSeconds", 40));
        Map<String, Object> state = signals.afterRequest(command, Map.of("result", "OK", "httpStatus", 200,
                "response", Map.of("id", "RCL-1", "pin_hash", "6f82")));
        state.put("nextStep", nextStep);
        state.put("digits", "0811");
        if (status != null) {
            state.put("status", status);
        }
        return state;
    }

    private static Map<String, Object> verifyAnswer(Map<String, Object> response) {
        return Map.of("result", "OK", "httpStatus", 200, "response", response);
    }

    @Test
    void verifiedWithTheValidationDateAndCharge() {
        Map<String, Object> outcome = publications.outcome(decided("VERIFY_DIGITS", null),
                verifyAnswer(Map.of("validated", true, "validation_date", 1416946931, "charged_amount", 0.1)));
        assertEquals("VERIFIED", outcome.get("status"));
        assertNull(outcome.get("reason"));
        assertEquals("2014-11-25T20:22:11Z", outcome.get("validatedAt"));
        assertEquals(0.1, outcome.get("chargedAmount"));
        assertEquals("2026-11-26T21:00:12.481Z", outcome.get("completedAt"));
        assertEquals("RCL-1", outcome.get("validationId"));
    }

    @Test
    void notVerifiedWhenCheckMobiSaysTheDigitsAreWrong() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("validated", false);
        answer.put("validation_date", null);
        Map<String, Object> outcome = publications.outcome(decided("VERIFY_DIGITS", null), verifyAnswer(answer));
        assertEquals("NOT_VERIFIED", outcome.get("status"));
        assertEquals("pin_mismatch", outcome.get("reason"));
        assertNull(outcome.get("validatedAt"));
    }

    @Test
    void failedWhenVerifyIsRefusedOrUnanswered() {
        Map<String, Object> refused = publications.outcome(decided("VERIFY_DIGITS", null),
                Map.of("result", "REFUSED", "httpStatus", 400, "code", 3, "message", "Invalid request id"));
        assertEquals("FAILED", refused.get("status"));
        assertEquals("checkmobi.3", refused.get("reason"));

        Map<String, Object> unanswered = new LinkedHashMap<>(Map.of("result", "UNAVAILABLE", "message", "timeout"));
        unanswered.put("httpStatus", null);
        unanswered.put("code", null);
        Map<String, Object> failed = publications.outcome(decided("VERIFY_DIGITS", null), unanswered);
        assertEquals("FAILED", failed.get("status"));
        assertEquals("checkmobi_unavailable", failed.get("reason"));
    }

    @Test
    void aTimeoutStaysTimedOutEvenWhenTheHangupIsNotConfirmed() {
        Map<String, Object> hungUp = publications.outcome(decided("HANGUP", "TIMED_OUT"),
                verifyAnswer(Map.of("validated", false, "charged_amount", 0.0)));
        assertEquals("TIMED_OUT", hungUp.get("status"));
        assertEquals("no_caller_id", hungUp.get("reason"));
        assertNull(hungUp.get("error"));

        Map<String, Object> unconfirmed = publications.outcome(decided("HANGUP", "TIMED_OUT"),
                Map.of("result", "UNAVAILABLE", "httpStatus", 500, "message", "Internal server error"));
        assertEquals("TIMED_OUT", unconfirmed.get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) unconfirmed.get("error");
        assertTrue(((String) error.get("message")).startsWith("HANGUP not confirmed"));
    }

    @Test
    void theCallRequestedEventHidesThePinHashUnlessEnabled() {
        Map<String, Object> requested = decided("VERIFY_DIGITS", null);
        Map<String, Object> event = publications.callRequested(requested);
        assertEquals("CALL_REQUESTED", event.get("type"));
        assertEquals("2026-11-26T21:00:52.481Z", event.get("expiresAt"));
        assertFalse(event.containsKey("pinHash"));
        assertEquals("6f82", new Publications(clock, true).callRequested(requested).get("pinHash"));
    }

    @Test
    void unknownCheckMobiCodesAndCodelessErrorsKeepWhatCameBack() {
        Map<String, Object> command = Map.of("verificationId", "v", "number", "+40743123456", "timeoutSeconds", 40);
        Map<String, Object> unknownCode = signals.afterRequest(command,
                Map.of("result", "REFUSED", "httpStatus", 400, "code", 99, "message", "Something new"));
        assertEquals("checkmobi.99", unknownCode.get("reason"));
        Map<String, Object> codeless = new LinkedHashMap<>(Map.of("result", "REFUSED", "httpStatus", 404,
                "message", "HTTP 404 without a CheckMobi error body"));
        codeless.put("code", null);
        assertEquals("checkmobi.http_404", signals.afterRequest(command, codeless).get("reason"));
        Map<String, Object> noId = signals.afterRequest(command,
                Map.of("result", "OK", "httpStatus", 200, "response", Map.of()));
        assertEquals("FAILED", noId.get("status"));
    }
}
