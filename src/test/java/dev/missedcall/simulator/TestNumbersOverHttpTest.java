package dev.missedcall.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestNumbersOverHttpTest extends SimulatorOverHttp {

    private static final String REQUEST = "/v1/validation/request";

    @ParameterizedTest
    @CsvSource({
            "+447400900102, 2, Invalid phone number",
            "+447400900105, 5, Insufficient funds",
            "+447400900106, 6, Insufficient CLI validation count",
            "+447400900108, 8, Validation method not available in this country",
            "+447400900111, 11, Account restricted for suspicious activity",
            "+447400900112, 12, Account exceeded one or more limits",
            "+447400900113, 13, Destination blocked by application restrictions",
            "+447400900114, 14, Number temporarily blocked after too many attempts"})
    void errorNumbersAreRefusedWithTheirCode(String number, int code, String message) throws Exception {
        ApiClient.Answer answer = client.requestValidation(number);

        assertEquals(400, answer.status());
        assertEquals(Map.of("code", code, "error", message),
                Map.of("code", answer.json().get("code").asInt(), "error", answer.json().get("error").asText()));
        assertEquals(2, answer.json().size());
    }

    @ParameterizedTest
    @EnumSource(value = TestNumber.class, names = {"VERIFIED_E164", "VERIFIED_LOCAL_FORMAT", "VERIFIED_TYPED_PIN",
            "TYPO_THEN_PIN", "ANSWERED_CALL", "WRONG_DIGITS", "UNRELATED_CALL_FIRST", "CARRIER_REPLACED_NUMBER",
            "WRONG_PIN_EVERY_TIME", "NEVER_CALLED", "PREMIUM_RATE", "SHARED_COST", "VERIFY_SERVER_ERROR"})
    void ringingNumbersCarryTheirPhoneBehaviour(TestNumber testNumber) throws Exception {
        String id = client.requestValidation(testNumber.number()).json().get("id").asText();

        assertEquals(testNumber.phone(), simulator.ringing(id).orElseThrow().behaviour());
    }

    @ParameterizedTest
    @CsvSource({"VERIFIED_E164, true", "VERIFIED_LOCAL_FORMAT, true", "VERIFIED_TYPED_PIN, true",
            "TYPO_THEN_PIN, true", "UNRELATED_CALL_FIRST, true", "ANSWERED_CALL, true", "WRONG_DIGITS, false"})
    void theOneReportPassingThePinHashCheckIsWhatVerifyPinJudges(TestNumber testNumber, boolean validated)
            throws Exception {
        JsonNode request = client.requestValidation(testNumber.number()).json();
        String id = request.get("id").asText();
        String pinHash = request.get("pin_hash").asText();

        List<String> worthVerifying = reportsOf(id).stream()
                .filter(reported -> ReportedDigits.passPinHashCheck(reported, pinHash))
                .toList();

        assertEquals(1, worthVerifying.size(), worthVerifying.toString());
        JsonNode verify = client.verify(id, ReportedDigits.lastFour(worthVerifying.get(0))).json();
        assertEquals(validated, verify.get("validated").asBoolean());
    }

    @ParameterizedTest
    @EnumSource(value = TestNumber.class, names = {"CARRIER_REPLACED_NUMBER", "WRONG_PIN_EVERY_TIME"})
    void noReportPassesThePinHashCheck(TestNumber testNumber) throws Exception {
        JsonNode request = client.requestValidation(testNumber.number()).json();
        String pinHash = request.get("pin_hash").asText();

        List<String> reports = reportsOf(request.get("id").asText());

        assertFalse(reports.isEmpty());
        assertTrue(reports.stream().noneMatch(reported -> ReportedDigits.passPinHashCheck(reported, pinHash)),
                reports.toString());
    }

    @ParameterizedTest
    @CsvSource({"VERIFIED_E164, 0.0", "ANSWERED_CALL, 0.05", "PREMIUM_RATE, 1.50", "SHARED_COST, 1.50"})
    void verifyAndStatusAnswerWhatTheCallCost(TestNumber testNumber, double chargedAmount) throws Exception {
        String id = client.requestValidation(testNumber.number()).json().get("id").asText();

        JsonNode verify = client.verify(id, simulator.ringing(id).orElseThrow().pin()).json();

        assertTrue(verify.get("validated").asBoolean());
        assertEquals(chargedAmount, verify.get("charged_amount").asDouble());
        assertEquals(verify, client.get("/v1/validation/status/" + id).json());
    }

    @ParameterizedTest
    @EnumSource(value = TestNumber.class, names = {"PREMIUM_RATE", "SHARED_COST"})
    void givingUpOnARevenueShareCallDoesNotRefundIt(TestNumber testNumber) throws Exception {
        String id = client.requestValidation(testNumber.number()).json().get("id").asText();

        JsonNode hangup = client.verify(id, "HANGUP").json();

        assertFalse(hangup.get("validated").asBoolean());
        assertEquals(1.50, hangup.get("charged_amount").asDouble());
    }

    @Test
    void anyOtherNumberBehavesLikeTheE164Phone() throws Exception {
        String id = client.requestValidation("+40743123456").json().get("id").asText();

        assertEquals(PhoneBehaviour.REPORTS_E164, simulator.ringing(id).orElseThrow().behaviour());
    }

    @Test
    void serverErrorNumberAnswers500() throws Exception {
        ApiClient.Answer answer = client.requestValidation(TestNumber.REQUEST_SERVER_ERROR.number());

        assertEquals(500, answer.status());
        assertEquals(500, answer.json().get("code").asInt());
        assertEquals("Internal server error", answer.json().get("error").asText());
    }

    @Test
    void droppedConnectionNumberLeavesTheClientWithoutAnswer() {
        assertThrows(IOException.class,
                () -> client.requestValidation(TestNumber.REQUEST_CONNECTION_DROPPED.number()));

        RecordedCall call = simulator.calls().get(0);
        assertEquals(RecordedCall.NO_RESPONSE, call.status());
        assertEquals(TestNumber.REQUEST_CONNECTION_DROPPED.number(), call.body().get("number"));
    }

    @Test
    void verifyServerErrorNumberRingsButCannotBeVerified() throws Exception {
        ApiClient.Answer request = client.requestValidation(TestNumber.VERIFY_SERVER_ERROR.number());
        String id = request.json().get("id").asText();
        String pin = simulator.ringing(id).orElseThrow().pin();

        ApiClient.Answer digits = client.verify(id, pin);
        ApiClient.Answer hangup = client.verify(id, "HANGUP");

        assertEquals(200, request.status());
        assertEquals(500, digits.status());
        assertEquals(500, digits.json().get("code").asInt());
        assertEquals(500, hangup.status());
        assertFalse(client.get("/v1/validation/status/" + id).json().get("validated").asBoolean());
    }

    @Test
    void slowNumberAnswersAfterTwoSeconds() throws Exception {
        long start = System.nanoTime();

        ApiClient.Answer answer = client.requestValidation(TestNumber.SLOW_REQUEST.number());

        long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(200, answer.status());
        assertTrue(elapsedMs >= 2_000 && elapsedMs < 4_000, "answered after " + elapsedMs + " ms");
        assertEquals(PhoneBehaviour.REPORTS_E164,
                simulator.ringing(answer.json().get("id").asText()).orElseThrow().behaviour());
    }

    @Test
    void timeoutNumberOutlastsAClientTimeoutButRings() {
        String number = TestNumber.REQUEST_TIMEOUT.number();
        String body = "{\"number\":\"" + number + "\",\"type\":\"reverse_cli\"}";

        assertThrows(HttpTimeoutException.class,
                () -> client.post(REQUEST, body, ApiClient.SECRET_KEY, Duration.ofMillis(300)));

        Ringing ringing = simulator.ringingTo(number).orElseThrow();
        assertEquals(number, ringing.destinationNumber());
        assertEquals(ringing, simulator.ringingTo(number.substring(1)).orElseThrow());
        assertEquals(ringing, simulator.ringing(ringing.validationId()).orElseThrow());
    }

    @Test
    void ringingToFollowsTheLatestCall() throws Exception {
        String number = TestNumber.VERIFIED_TYPED_PIN.number();
        client.requestValidation(number);
        String latest = client.requestValidation(number).json().get("id").asText();

        assertEquals(latest, simulator.ringingTo(number).orElseThrow().validationId());
        assertTrue(simulator.ringingTo(TestNumber.NEVER_CALLED.number()).isEmpty());
        assertTrue(simulator.ringingTo("not a number").isEmpty());
    }

    @Test
    void closeAbandonsAnswersStillHeldBack() throws Exception {
        Thread caller = new Thread(() -> {
            try {
                client.requestValidation(TestNumber.REQUEST_TIMEOUT.number());
            } catch (IOException | InterruptedException expected) {
                // the simulator closes under it
            }
        });
        caller.start();
        Thread.sleep(300);

        long start = System.nanoTime();
        simulator.close();

        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1_000);
        caller.join(2_000);
        assertFalse(caller.isAlive(), "the client got its broken connection");
    }

    @Test
    void injectedServerErrorsHitAnyNumber() throws Exception {
        simulator.setFaults(new Faults(Duration.ZERO, 1.0, 0));

        ApiClient.Answer answer = client.requestValidation(TestNumber.VERIFIED_E164.number());

        assertEquals(500, answer.status());
        assertEquals(500, answer.json().get("code").asInt());
        assertTrue(simulator.calls().stream().allMatch(call -> call.status() == 500));
    }

    @Test
    void injectedDropsHitAnyNumber() {
        simulator.setFaults(new Faults(Duration.ZERO, 0, 1.0));

        assertThrows(IOException.class, () -> client.requestValidation(TestNumber.VERIFIED_E164.number()));
        assertEquals(RecordedCall.NO_RESPONSE, simulator.calls().get(0).status());
    }

    @Test
    void injectedLatencyDelaysAnswers() throws Exception {
        simulator.setFaults(new Faults(Duration.ofMillis(300), 0, 0));
        long start = System.nanoTime();

        JsonNode status = client.get("/v1/validation/status/RCL-X").json();

        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300);
        assertEquals(3, status.get("code").asInt());
        simulator.setFaults(Faults.NONE);
        assertEquals(Faults.NONE, simulator.faults());
    }

    private List<String> reportsOf(String validationId) {
        Ringing ringing = simulator.ringing(validationId).orElseThrow();
        return ringing.behaviour().reports(ringing.callingNumber()).stream()
                .map(timed -> ReportedDigits.of(timed.report()))
                .toList();
    }
}
