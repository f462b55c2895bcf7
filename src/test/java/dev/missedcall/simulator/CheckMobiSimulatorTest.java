package dev.missedcall.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckMobiSimulatorTest extends SimulatorOverHttp {

    private static final String ANDROID_NUMBER = TestNumber.VERIFIED_E164.number();

    @Test
    void baseUrlPointsAtV1WithoutTrailingSlash() {
        assertEquals("http://127.0.0.1:" + simulator.port() + "/v1", simulator.baseUrl());
        assertTrue(simulator.port() > 0);
    }

    @ParameterizedTest
    @CsvSource(value = {"wrong-key", "'Bearer test-secret-key'", "NULL"}, nullValues = "NULL")
    void refusesAnyKeyButTheExactSecret(String key) throws Exception {
        ApiClient.Answer answer = client.post("/v1/validation/request",
                "{\"number\":\"" + ANDROID_NUMBER + "\",\"type\":\"reverse_cli\"}", key, Duration.ofSeconds(5));

        assertEquals(401, answer.status());
        assertEquals("application/json", answer.contentType());
        assertEquals(1, answer.json().get("code").asInt());
        assertEquals("Invalid or expired secret key", answer.json().get("error").asText());
        assertTrue(simulator.calls().stream().noneMatch(RecordedCall::authorized));
    }

    @Test
    void requestValidationPlacesAMissedCall() throws Exception {
        ApiClient.Answer answer = client.requestValidation(ANDROID_NUMBER);

        assertEquals(200, answer.status());
        assertEquals("application/json", answer.contentType());
        JsonNode body = answer.json();
        String id = body.get("id").asText();
        assertTrue(id.matches("RCL-[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"), id);
        assertEquals("reverse_cli", body.get("type").asText());
        assertEquals("+4420794", body.get("cli_prefix").asText());

        Ringing ringing = simulator.ringing(id).orElseThrow();
        assertTrue(ringing.callingNumber().matches("\\+4420794\\d{4}"), ringing.callingNumber());
        assertEquals(ANDROID_NUMBER, ringing.destinationNumber());
        assertEquals(PhoneBehaviour.REPORTS_E164, ringing.behaviour());
        assertFalse(ringing.hungUp());
        assertEquals(sha1(ringing.callingNumber().substring(ringing.callingNumber().length() - 3)),
                body.get("pin_hash").asText());

        JsonNode info = body.get("validation_info");
        assertEquals(44, info.get("country_code").asInt());
        assertEquals("GB", info.get("country_iso_code").asText());
        assertEquals("Simulated", info.get("carrier").asText());
        assertTrue(info.get("is_mobile").asBoolean());
        assertEquals("+447400XXXXXX", info.get("e164_format").asText());
        assertEquals("+44 7400 XXX XXX", info.get("formatting").asText());
    }

    @Test
    void addsTheMissingPlus() throws Exception {
        String id = client.requestValidation("447400900001").json().get("id").asText();

        assertEquals(ANDROID_NUMBER, simulator.ringing(id).orElseThrow().destinationNumber());
        assertEquals(ANDROID_NUMBER, client.get("/v1/validation/status/" + id).json().get("number").asText());
    }

    @Test
    void rightPinValidatesOnceAndForAll() throws Exception {
        String id = client.requestValidation(ANDROID_NUMBER).json().get("id").asText();
        Ringing ringing = simulator.ringing(id).orElseThrow();
        long before = Instant.now().getEpochSecond();

        JsonNode first = client.verify(id, ringing.pin()).json();

        assertEquals(ANDROID_NUMBER, first.get("number").asText());
        assertTrue(first.get("validated").asBoolean());
        long date = first.get("validation_date").asLong();
        assertTrue(date >= before && date <= Instant.now().getEpochSecond(), "validation_date " + date);
        assertEquals(0.0, first.get("charged_amount").asDouble());
        assertTrue(simulator.ringing(id).orElseThrow().hungUp(), "use_server_hangup ends the call");

        Thread.sleep(1_100);
        JsonNode again = client.verify(id, "0000".equals(ringing.pin()) ? "1111" : "0000").json();
        assertTrue(again.get("validated").asBoolean());
        assertEquals(date, again.get("validation_date").asLong());
        assertEquals(first, client.get("/v1/validation/status/" + id).json());
    }

    @Test
    void wrongPinIsNotAnError() throws Exception {
        String id = client.requestValidation(ANDROID_NUMBER).json().get("id").asText();
        String pin = simulator.ringing(id).orElseThrow().pin();

        ApiClient.Answer wrong = client.verify(id, otherPin(pin));

        assertEquals(200, wrong.status());
        assertFalse(wrong.json().get("validated").asBoolean());
        assertTrue(wrong.json().get("validation_date").isNull());
        assertEquals(0.0, wrong.json().get("charged_amount").asDouble());
        assertTrue(client.verify(id, pin).json().get("validated").asBoolean(), "another attempt may still match");
    }

    @Test
    void fullCallingNumberAsPinDoesNotMatch() throws Exception {
        String id = client.requestValidation(ANDROID_NUMBER).json().get("id").asText();

        JsonNode answer = client.verify(id, simulator.ringing(id).orElseThrow().callingNumber()).json();

        assertFalse(answer.get("validated").asBoolean());
    }

    @Test
    void hangupPinEndsTheCallWithoutValidating() throws Exception {
        String id = client.requestValidation(ANDROID_NUMBER).json().get("id").asText();
        String pin = simulator.ringing(id).orElseThrow().pin();

        ApiClient.Answer answer = client.verify(id, "HANGUP");

        assertEquals(200, answer.status());
        assertFalse(answer.json().get("validated").asBoolean());
        assertTrue(answer.json().get("validation_date").isNull());
        assertTrue(simulator.ringing(id).orElseThrow().hungUp());
        assertFalse(client.verify(id, pin).json().get("validated").asBoolean(), "given up for good");
    }

    @Test
    void statusReportsTheValidation() throws Exception {
        String id = client.requestValidation(ANDROID_NUMBER).json().get("id").asText();

        ApiClient.Answer status = client.get("/v1/validation/status/" + id);

        assertEquals(200, status.status());
        assertEquals(ANDROID_NUMBER, status.json().get("number").asText());
        assertFalse(status.json().get("validated").asBoolean());
        assertTrue(status.json().get("validation_date").isNull());
    }

    @Test
    void hangupApiAnswers204WithoutBody() throws Exception {
        String id = client.requestValidation(ANDROID_NUMBER).json().get("id").asText();

        ApiClient.Answer answer = client.delete("/v1/call/" + id);

        assertEquals(204, answer.status());
        assertEquals("", answer.body());
        assertTrue(simulator.ringing(id).orElseThrow().hungUp());
    }

    @Test
    void unknownIdsAreCode3() throws Exception {
        String unknown = "RCL-00000000-0000-0000-0000-000000000000";
        List<ApiClient.Answer> answers = List.of(
                client.verify(unknown, "1234"),
                client.get("/v1/validation/status/" + unknown),
                client.delete("/v1/call/" + unknown));

        for (ApiClient.Answer answer : answers) {
            assertEquals(400, answer.status());
            assertEquals(3, answer.json().get("code").asInt());
            assertEquals("Invalid request id", answer.json().get("error").asText());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json                                                           | 7",
            "[1, 2]                                                             | 7",
            "{\"number\":\"+447400900001\"}                                     | 4",
            "{\"number\":\"+447400900001\",\"type\":\"whatsapp\"}               | 4",
            "{\"number\":\"0740090001\",\"type\":\"reverse_cli\"}               | 2",
            "{\"number\":\"+44 7400 900001\",\"type\":\"reverse_cli\"}          | 2",
            "{\"type\":\"reverse_cli\"}                                         | 2",
            "{\"number\":\"+447400900001\",\"type\":\"reverse_cli\",\"platform\":\"symbian\"} | 7"})
    void refusesBadRequestValidations(String body, int code) throws Exception {
        ApiClient.Answer answer = client.post("/v1/validation/request", body.strip());

        assertEquals(400, answer.status());
        assertEquals(code, answer.json().get("code").asInt());
        assertTrue(answer.json().get("error").isTextual());
    }

    @Test
    void refusesVerifyWithoutPin() throws Exception {
        ApiClient.Answer answer = client.post("/v1/validation/verify", "{\"id\":\"RCL-X\"}");

        assertEquals(400, answer.status());
        assertEquals(7, answer.json().get("code").asInt());
    }

    @Test
    void otherTypesPlaceNoMissedCall() throws Exception {
        JsonNode body = client.post("/v1/validation/request",
                "{\"number\":\"" + ANDROID_NUMBER + "\",\"type\":\"sms\"}").json();

        assertTrue(body.get("id").asText().startsWith("SMS-"));
        assertFalse(body.has("pin_hash"));
        assertTrue(simulator.ringing(body.get("id").asText()).isEmpty());
    }

    @Test
    void unknownEndpointIsJson404() throws Exception {
        ApiClient.Answer answer = client.get("/v1/validation/request");

        assertEquals(404, answer.status());
        assertEquals(7, answer.json().get("code").asInt());
    }

    @Test
    void checkNumberDescribesTheNumber() throws Exception {
        JsonNode body = client.post("/v1/checknumber", "{\"number\":\"+40743123456\"}").json();

        assertEquals(40, body.get("country_code").asInt());
        assertEquals("RO", body.get("country_iso_code").asText());
        assertTrue(body.get("is_mobile").asBoolean());
        assertTrue(body.get("validation_methods").toString().contains("reverse_cli"));
    }

    @Test
    void checkNumberAgreesWithTheTestNumbers() throws Exception {
        JsonNode noMissedCall = client.post("/v1/checknumber",
                "{\"number\":\"" + TestNumber.REJECTED_METHOD_NOT_AVAILABLE.number() + "\"}").json();
        ApiClient.Answer invalid = client.post("/v1/checknumber",
                "{\"number\":\"" + TestNumber.REJECTED_INVALID_NUMBER.number() + "\"}");

        assertFalse(noMissedCall.get("validation_methods").toString().contains("reverse_cli"));
        assertEquals(400, invalid.status());
        assertEquals(2, invalid.json().get("code").asInt());
    }

    @Test
    void recordsEveryCallInOrder() throws Exception {
        String id = client.requestValidation(ANDROID_NUMBER).json().get("id").asText();
        client.verify(id, "HANGUP");
        client.post("/v1/checknumber", "{\"number\":\"+447400900001\"}", "wrong", Duration.ofSeconds(5));

        List<RecordedCall> calls = simulator.calls();

        assertEquals(List.of("/v1/validation/request", "/v1/validation/verify", "/v1/checknumber"),
                calls.stream().map(RecordedCall::path).toList());
        assertEquals(List.of(200, 200, 401), calls.stream().map(RecordedCall::status).toList());
        assertEquals(List.of(true, true, false), calls.stream().map(RecordedCall::authorized).toList());
        assertEquals("POST", calls.get(1).method());
        assertEquals("HANGUP", calls.get(1).body().get("pin"));
        assertEquals(true, calls.get(1).body().get("use_server_hangup"));
        assertFalse(calls.get(0).receivedAt().isAfter(calls.get(1).receivedAt()));
    }

    @Test
    void servesTheRecordOverHttpWithoutAuth() throws Exception {
        client.requestValidation(ANDROID_NUMBER);
        client.post("/v1/validation/request", "not json");

        ApiClient.Answer answer = client.withoutBody("GET", "/_simulator/calls", null);
        JsonNode calls = answer.json();

        assertEquals(2, calls.size());
        assertEquals("/v1/validation/request", calls.get(0).get("path").asText());
        assertEquals(ANDROID_NUMBER, calls.get(0).get("body").get("number").asText());
        assertTrue(calls.get(1).get("body").isNull());
        assertEquals(400, calls.get(1).get("status").asInt());
        assertTrue(Instant.parse(calls.get(0).get("receivedAt").asText()).isBefore(Instant.now().plusSeconds(1)));

        assertEquals(200, answer.status());
        assertEquals(204, client.withoutBody("DELETE", "/_simulator/calls", null).status());
        assertTrue(simulator.calls().isEmpty());
    }

    @Test
    void clearCallsForgetsWhatWasRecorded() throws Exception {
        client.requestValidation(ANDROID_NUMBER);

        simulator.clearCalls();
        client.get("/v1/validation/status/RCL-X");

        assertEquals(1, simulator.calls().size());
        assertEquals("GET", simulator.calls().get(0).method());
    }

    @Test
    void closeIsQuickAndIdempotent() {
        long start = System.nanoTime();
        simulator.close();
        simulator.close();

        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1_000);
    }

    static String sha1(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(digest);
    }

    static String otherPin(String pin) {
        return String.format("%04d", (Integer.parseInt(pin) + 1) % 10_000);
    }
}
