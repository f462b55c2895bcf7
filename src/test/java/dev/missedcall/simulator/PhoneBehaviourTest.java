package dev.missedcall.simulator;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhoneBehaviourTest {

    private static final String CALLING = "+44207940811";

    @Test
    void e164PhoneReportsTheCallingNumber() {
        assertEquals(Optional.of(new CallerIdReport(CALLING, null)), PhoneBehaviour.REPORTS_E164.report(CALLING));
    }

    @Test
    void localFormatPhoneKeepsTheLastFourDigits() {
        String reported = PhoneBehaviour.REPORTS_LOCAL_FORMAT.report(CALLING).orElseThrow().callerNumber();

        assertEquals("020 794-0811", reported);
        assertTrue(reported.replaceAll("\\D", "").endsWith("0811"));
    }

    @Test
    void iosUserTypesThePin() {
        assertEquals(Optional.of(new CallerIdReport(null, "0811")), PhoneBehaviour.TYPES_PIN.report(CALLING));
    }

    @Test
    void replacedCallerIdHasOtherDigits() {
        for (String calling : new String[] {CALLING, "+44207940000", "+44207949999", "+44207945000"}) {
            CallerIdReport report = PhoneBehaviour.REPORTS_WRONG_NUMBER.report(calling).orElseThrow();

            assertNull(report.pin());
            assertNotEquals(calling.substring(calling.length() - 4),
                    report.callerNumber().substring(report.callerNumber().length() - 4));
        }
    }

    @Test
    void unreachedPhoneReportsNothing() {
        assertEquals(Optional.empty(), PhoneBehaviour.NEVER_REPORTS.report(CALLING));
    }

    @Test
    void aReportCarriesExactlyOneOfNumberAndPin() {
        assertThrows(IllegalArgumentException.class, () -> new CallerIdReport(CALLING, "0811"));
        assertThrows(IllegalArgumentException.class, () -> new CallerIdReport(null, null));
    }

    @Test
    void backendRecordHasTheContractFields() {
        assertEquals("{\"verificationId\":\"v-1\",\"callerNumber\":\"+44207940811\"}",
                SimulatedPhones.callerIdJson("v-1", new CallerIdReport(CALLING, null)));
        assertEquals("{\"verificationId\":\"v-1\",\"pin\":\"0811\"}",
                SimulatedPhones.callerIdJson("v-1", new CallerIdReport(null, "0811")));
    }
}
