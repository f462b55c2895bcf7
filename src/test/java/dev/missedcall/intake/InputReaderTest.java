package dev.missedcall.intake;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InputReaderTest {

    private final InputReader reader = new InputReader(16384, 64, new VerificationTimeouts(40, 10, 120));

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsAFullStart() throws Exception {
        Map<String, Object> start = reader.readCommand(utf8("""
                {"type":"START","verificationId":"5b0d2f5e-1:a_b.c","number":"+40743123456","platform":"ios",
                 "timeoutSeconds":30,"metadata":{"signupId":"s-123","n":1.10,"ok":true,"none":null},"extra":"ignored"}
                """));

        assertEquals("START", start.get("type"));
        assertEquals("5b0d2f5e-1:a_b.c", start.get("verificationId"));
        assertEquals("+40743123456", start.get("number"));
        assertEquals("ios", start.get("platform"));
        assertEquals(30, start.get("timeoutSeconds"));
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) start.get("metadata");
        assertEquals("s-123", metadata.get("signupId"));
        assertEquals("1.10", metadata.get("n").toString(), "numbers are echoed as written");
        assertEquals(Boolean.TRUE, metadata.get("ok"));
        assertNull(start.get("extra"));
    }

    @ParameterizedTest
    @CsvSource({"'', 40", "1, 10", "500, 120", "-5, 10", "77, 77"})
    void clampsTheTimeout(String requested, int effective) throws Exception {
        String timeout = requested.isEmpty() ? "" : ",\"timeoutSeconds\":" + requested;
        Map<String, Object> start = reader.readCommand(utf8(
                "{\"type\":\"START\",\"verificationId\":\"v\",\"number\":\"+40743123456\"" + timeout + "}"));
        assertEquals(effective, start.get("timeoutSeconds"));
    }

    @Test
    void readsACancel() throws Exception {
        Map<String, Object> cancel = reader.readCommand(utf8("{\"type\":\"CANCEL\",\"verificationId\":\"v-1\"}"));
        assertEquals(Map.of("type", "CANCEL", "verificationId", "v-1"), cancel);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "not_json      | {\"type\":",
            "not_json      | ''",
            "not_json      | {\"type\":\"START\"} trailing",
            "not_an_object | \"START\"",
            "missing_field | {\"verificationId\":\"v\"}",
            "missing_field | {\"type\":\"CANCEL\"}",
            "missing_field | {\"type\":\"START\",\"verificationId\":\"v\"}",
            "missing_field | {\"type\":\"START\",\"verificationId\":\"v\",\"number\":null}",
            "invalid_field | {\"type\":7,\"verificationId\":\"v\"}",
            "invalid_field | {\"type\":\"CANCEL\",\"verificationId\":\"\"}",
            "invalid_field | {\"type\":\"CANCEL\",\"verificationId\":\"has space\"}",
            "invalid_field | {\"type\":\"START\",\"verificationId\":\"v\",\"number\":40743123456}",
            "invalid_field | {\"type\":\"START\",\"verificationId\":\"v\",\"number\":\"+40743123456\",\"platform\":\"symbian\"}",
            "invalid_field | {\"type\":\"START\",\"verificationId\":\"v\",\"number\":\"+40743123456\",\"timeoutSeconds\":12.5}",
            "invalid_field | {\"type\":\"START\",\"verificationId\":\"v\",\"number\":\"+40743123456\",\"timeoutSeconds\":\"12\"}",
            "invalid_field | {\"type\":\"START\",\"verificationId\":\"v\",\"number\":\"+40743123456\",\"metadata\":[1]}",
            "invalid_field | {\"type\":\"START\",\"verificationId\":\"v\",\"number\":\"+40743123456\",\"metadata\":{\"a\":[1]}}",
            "oversized     | {\"type\":\"START\",\"verificationId\":\"v\",\"number\":\"+40743123456\",\"metadata\":{\"a\":\"0123456789012345678901234567890123456789012345678901234567890123456789\"}}",
            "unknown_type  | {\"type\":\"start\",\"verificationId\":\"v\"}"})
    void refusesUnreadableCommands(String reason, String record) {
        UnreadableRecordException refused = assertThrows(UnreadableRecordException.class,
                () -> reader.readCommand(utf8(record)));
        assertEquals(reason, refused.getReason(), refused.getMessage());
    }

    @Test
    void refusesOversizedAndNonUtf8Records() {
        InputReader small = new InputReader(32, 64, new VerificationTimeouts(40, 10, 120));
        assertEquals("oversized", assertThrows(UnreadableRecordException.class, () -> small.readCommand(
                utf8("{\"type\":\"CANCEL\",\"verificationId\":\"0123456789\"}"))).getReason());
        assertEquals("not_utf8", assertThrows(UnreadableRecordException.class, () -> reader.readCallerId(
                new byte[] {'{', (byte) 0xc3, '}'})).getReason());
        assertEquals("not_json", assertThrows(UnreadableRecordException.class,
                () -> reader.readCallerId(null)).getReason());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "+442079460811       | 0811",
            "020 7946 0811       | 0811",
            "020-7946-0811       | 0811",
            "(020) 7946.0811     | 0811",
            "0811                | 0811",
            "+40 (743) 12-34-56  | 3456"})
    void reducesAReportedNumberToItsLastFourDigits(String reported, String digits) throws Exception {
        Map<String, Object> report = reader.readCallerId(
                utf8("{\"verificationId\":\"v\",\"callerNumber\":\"" + reported + "\"}"));
        assertEquals(digits, report.get("digits"));
        assertEquals("callerNumber", report.get("callerIdSource"));
    }

    @Test
    void readsATypedPin() throws Exception {
        Map<String, Object> report = reader.readCallerId(utf8("{\"verificationId\":\"v\",\"pin\":\"0811\"}"));
        assertEquals("0811", report.get("digits"));
        assertEquals("pin", report.get("callerIdSource"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "missing_field | {\"verificationId\":\"v\"}",
            "missing_field | {\"callerNumber\":\"+442079460811\"}",
            "invalid_field | {\"verificationId\":\"v\",\"callerNumber\":\"+442079460811\",\"pin\":\"0811\"}",
            "invalid_field | {\"verificationId\":\"v\",\"callerNumber\":\"811\"}",
            "invalid_field | {\"verificationId\":\"v\",\"callerNumber\":\"+44 20 CALL ME\"}",
            "invalid_field | {\"verificationId\":\"v\",\"callerNumber\":442079460811}",
            "invalid_field | {\"verificationId\":\"v\",\"pin\":\"08111\"}",
            "invalid_field | {\"verificationId\":\"v\",\"pin\":\"08a1\"}",
            "invalid_field | {\"verificationId\":\"v\",\"pin\":811}"})
    void refusesUnreadableCallerIds(String reason, String record) {
        UnreadableRecordException refused = assertThrows(UnreadableRecordException.class,
                () -> reader.readCallerId(utf8(record)));
        assertEquals(reason, refused.getReason(), refused.getMessage());
    }

    @Test
    void timeoutRangeMustHoldTheDefault() {
        assertThrows(IllegalArgumentException.class, () -> new VerificationTimeouts(5, 10, 120));
        assertThrows(IllegalArgumentException.class, () -> new VerificationTimeouts(40, 50, 30));
    }
}
