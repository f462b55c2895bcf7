package dev.missedcall.verification;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerificationAggregationTest {

    private static final Instant NOW = Instant.parse("2026-11-26T21:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final VerificationAggregation aggregation = new VerificationAggregation(clock, 150_000);
    private final Signals signals = new Signals(clock);
    private final CamelContext camel = new DefaultCamelContext();

    private Map<String, Object> command() {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("type", "START");
        command.put("verificationId", "v-1");
        command.put("number", "+40743123456");
        command.put("timeoutSeconds", 40);
        command.put("metadata", Map.of("signupId", "s-1"));
        return command;
    }

    private Map<String, Object> requested() {
        return signals.afterRequest(command(), Map.of("result", "OK", "httpStatus", 200,
                "response", Map.of("id", "RCL-1", "pin_hash", "6f82", "cli_prefix", "+4420794")));
    }

    private Map<String, Object> callerId(String digits) {
        return signals.of(Signal.CALLER_ID, Map.of("verificationId", "v-1", "digits", digits,
                "callerIdSource", "pin"));
    }

    private Map<String, Object> cancel() {
        return signals.of(Signal.CANCEL, Map.of("type", "CANCEL", "verificationId", "v-1"));
    }

    @SuppressWarnings("unchecked")
    private Exchange feed(List<Map<String, Object>> messages) {
        Exchange pending = null;
        for (Map<String, Object> message : messages) {
            Exchange arriving = new DefaultExchange(camel);
            arriving.getMessage().setBody(new LinkedHashMap<>(message));
            pending = aggregation.aggregate(pending, arriving);
        }
        return pending;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> state(Exchange exchange) {
        return exchange.getMessage().getBody(Map.class);
    }

    @Test
    void requestThenCallerIdVerifiesTheDigits() {
        Exchange decided = feed(List.of(requested(), callerId("0811")));
        assertTrue(aggregation.isDecided(decided));
        assertEquals("VERIFY_DIGITS", state(decided).get("nextStep"));
        assertEquals("0811", state(decided).get("digits"));
        assertEquals("RCL-1", state(decided).get("validationId"));
    }

    @Test
    void callerIdBeforeTheRequestIsKeptUntilTheRequestIsAnswered() {
        Exchange waiting = feed(List.of(callerId("0811")));
        assertFalse(aggregation.isDecided(waiting));
        assertEquals(150_000, aggregation.remainingMillis(waiting), "an early caller ID waits for its START");

        Exchange decided = feed(List.of(callerId("0811"), requested()));
        assertEquals("VERIFY_DIGITS", state(decided).get("nextStep"));
        assertEquals(Map.of("signupId", "s-1"), state(decided).get("metadata"));
    }

    @Test
    void theFirstCallerIdWins() {
        Exchange decided = feed(List.of(callerId("1111"), callerId("2222"), requested()));
        assertEquals("1111", state(decided).get("digits"));
    }

    @Test
    void aRingingCallWaitsUntilItsDeadline() {
        Exchange ringing = feed(List.of(requested()));
        assertFalse(aggregation.isDecided(ringing));
        assertEquals(40_000, aggregation.remainingMillis(ringing));
    }

    @Test
    void theDeadlineHangsUpARingingCall() {
        Map<String, Object> state = aggregation.onTimeout(state(feed(List.of(requested()))));
        assertEquals("HANGUP", state.get("nextStep"));
        assertEquals("TIMED_OUT", state.get("status"));
    }

    @Test
    void aReportWithoutStartIsDroppedAtItsDeadline() {
        Map<String, Object> state = aggregation.onTimeout(state(feed(List.of(callerId("0811")))));
        assertEquals("DISCARD", state.get("nextStep"));
        assertNull(state.get("status"));
    }

    @Test
    void cancelHangsUpInEitherOrder() {
        for (List<Map<String, Object>> order : List.of(List.of(requested(), cancel()), List.of(cancel(), requested()))) {
            Exchange decided = feed(order);
            assertEquals("HANGUP", state(decided).get("nextStep"));
            assertEquals("CANCELLED", state(decided).get("status"));
        }
    }

    @Test
    void cancelWinsOverALaterCallerId() {
        Exchange decided = feed(List.of(cancel(), callerId("0811"), requested()));
        assertEquals("HANGUP", state(decided).get("nextStep"));
    }

    @Test
    void aRefusedRequestIsPublishedWithoutAVerify() {
        Map<String, Object> refused = signals.afterRequest(command(), Map.of("result", "REFUSED", "httpStatus", 400,
                "code", 8, "message", "Validation method not available in this country"));
        Exchange decided = feed(List.of(callerId("0811"), refused));
        assertEquals("PUBLISH", state(decided).get("nextStep"));
        assertEquals("REJECTED", state(decided).get("status"));
        assertEquals("checkmobi.8", state(decided).get("reason"));
    }

    @Test
    void aStartAfterItsCancelIsPublishedAsCancelled() {
        Exchange decided = feed(List.of(cancel(), signals.cancelledBeforeRequest(command())));
        assertEquals("PUBLISH", state(decided).get("nextStep"));
        assertEquals("CANCELLED", state(decided).get("status"));
    }
}
