package dev.missedcall.verification;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PinChecksTest {

    /** SHA-1 of "811", CheckMobi's documented example: the calling number ends in 811. */
    private static final String PIN_HASH_OF_811 = "6f8246002c1c5967ffc5e0ec80f2d7b59a60b1e3";

    private final InMemoryVerificationLedger ledger = new InMemoryVerificationLedger(Clock.systemUTC(), 100);
    private final PinChecks checks = new PinChecks(ledger, 3);

    @BeforeEach
    void ringing() {
        ring("v-1", PIN_HASH_OF_811);
    }

    private void ring(String verificationId, String pinHash) {
        ledger.claimRequest(Map.of("verificationId", verificationId, "number", "+40743123456"));
        Map<String, Object> requested = new LinkedHashMap<>();
        requested.put("signal", "REQUESTED");
        requested.put("verificationId", verificationId);
        requested.put("validationId", "RCL-1");
        requested.put("number", "+40743123456");
        requested.put("pinHash", pinHash);
        requested.put("expiresAt", 1_800_000_000_000L);
        requested.put("metadata", Map.of("signupId", "s-1"));
        ledger.recordRequested(requested);
    }

    private static Map<String, Object> report(String verificationId, String digits, String source) {
        return Map.of("signal", "CALLER_ID", "verificationId", verificationId, "digits", digits,
                "callerIdSource", source);
    }

    private String verdict(Map<String, Object> report) {
        return (String) checks.check(report).get(PinChecks.VERDICT);
    }

    @Test
    void digitsWhoseLastThreeFitThePinHashMatchWhateverTheFourthFromLast() {
        assertEquals("MATCHES", verdict(report("v-1", "0811", "callerNumber")));
        assertEquals("MATCHES", verdict(report("v-1", "5811", "pin")));
    }

    @Test
    void aReportedNumberThatDoesNotFitIsAnotherCallAndCostsNoAttempt() {
        for (int i = 0; i < 5; i++) {
            assertEquals("UNRELATED_CALL", verdict(report("v-1", "0812", "callerNumber")));
        }
        assertEquals("PIN_REJECTED", verdict(report("v-1", "0812", "pin")), "no attempt was spent before");
    }

    @Test
    void typedPinsThatDoNotFitAreRejectedUntilTheAttemptsRunOut() {
        Map<String, Object> first = checks.check(report("v-1", "1234", "pin"));
        assertEquals("PIN_REJECTED", first.get(PinChecks.VERDICT));
        assertEquals(2, first.get(PinChecks.ATTEMPTS_LEFT));
        assertEquals("RCL-1", ((Map<?, ?>) first.get(PinChecks.RINGING)).get("validationId"));
        Map<String, Object> second = checks.check(report("v-1", "1235", "pin"));
        assertEquals(1, second.get(PinChecks.ATTEMPTS_LEFT));
        Map<String, Object> third = checks.check(report("v-1", "1236", "pin"));
        assertEquals("PIN_ATTEMPTS_EXHAUSTED", third.get(PinChecks.VERDICT));
        assertEquals(0, third.get(PinChecks.ATTEMPTS_LEFT));
    }

    @Test
    void withoutAPinHashNothingIsChecked() {
        ring("v-2", null);
        assertEquals("UNCHECKED", verdict(report("v-2", "1234", "pin")));
        assertEquals("UNCHECKED", verdict(report("v-unknown", "1234", "pin")),
                "a caller ID before CheckMobi's answer is recorded goes on unchecked");
    }

    @Test
    void thePinHashIsComparedWhateverItsCase() {
        ring("v-3", PIN_HASH_OF_811.toUpperCase());
        assertEquals("MATCHES", verdict(report("v-3", "0811", "callerNumber")));
        assertTrue(PinChecks.fits("9811", " " + PIN_HASH_OF_811 + " "));
    }
}
