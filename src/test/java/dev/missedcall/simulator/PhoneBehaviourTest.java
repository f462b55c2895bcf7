package dev.missedcall.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static dev.missedcall.simulator.ReportedDigits.lastFour;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhoneBehaviourTest {

    private static final String CALLING = "+44207940811";

    @Test
    void e164PhoneReportsTheCallingNumber() {
        assertEquals(List.of(new CallerIdReport(CALLING, null)), reported(PhoneBehaviour.REPORTS_E164, CALLING));
    }

    @Test
    void localFormatPhoneKeepsTheLastFourDigits() {
        String reported = reported(PhoneBehaviour.REPORTS_LOCAL_FORMAT, CALLING).get(0).callerNumber();

        assertEquals("020 794-0811", reported);
        assertTrue(passesPinHashCheck(reported, CALLING));
    }

    @Test
    void iosUserTypesThePin() {
        assertEquals(List.of(new CallerIdReport(null, "0811")), reported(PhoneBehaviour.TYPES_PIN, CALLING));
    }

    @ParameterizedTest
    @ValueSource(strings = {CALLING, "+44207940000", "+44207949999", "+44207945999"})
    void wrongFirstPinDigitPassesThePinHashCheckButNotVerifyPin(String calling) {
        List<CallerIdReport> reports = reported(PhoneBehaviour.REPORTS_WRONG_FIRST_PIN_DIGIT, calling);

        assertEquals(1, reports.size());
        String reported = reports.get(0).callerNumber();
        assertTrue(passesPinHashCheck(reported, calling), reported);
        assertNotEquals(lastFour(calling), lastFour(reported), "CheckMobi compares the last 4 digits");
        assertEquals(calling.length(), reported.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {CALLING, "+44207940000", "+44207949999", "+44207945500"})
    void replacedCallerIdFailsThePinHashCheck(String calling) {
        List<CallerIdReport> reports = reported(PhoneBehaviour.REPORTS_REPLACED_NUMBER, calling);

        assertEquals(1, reports.size());
        assertNull(reports.get(0).pin());
        assertFalse(passesPinHashCheck(reports.get(0).callerNumber(), calling), reports.get(0).callerNumber());
    }

    @ParameterizedTest
    @ValueSource(strings = {CALLING, "+44207940000", "+44207949999", "+44207945500"})
    void unrelatedCallIsReportedBeforeTheRealOne(String calling) {
        List<TimedReport> reports = PhoneBehaviour.REPORTS_UNRELATED_CALL_FIRST.reports(calling);

        assertEquals(2, reports.size());
        String unrelated = reports.get(0).report().callerNumber();
        assertFalse(passesPinHashCheck(unrelated, calling), unrelated);
        assertEquals(new TimedReport(Duration.ofMillis(300), new CallerIdReport(calling, null)), reports.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {CALLING, "+44207940000", "+44207949999", "+44207945999"})
    void typoIsFollowedByTheRightPin(String calling) {
        List<TimedReport> reports = PhoneBehaviour.TYPES_WRONG_PIN_FIRST.reports(calling);

        assertEquals(2, reports.size());
        String typo = reports.get(0).report().pin();
        assertTrue(typo.matches("\\d{4}"), typo);
        assertFalse(passesPinHashCheck(typo, calling), typo);
        assertEquals(new TimedReport(Duration.ofSeconds(1), new CallerIdReport(null, lastFour(calling))),
                reports.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {CALLING, "+44207940000", "+44207949999", "+44207945998"})
    void threeDifferentWrongPinsOneSecondApart(String calling) {
        List<TimedReport> reports = PhoneBehaviour.TYPES_WRONG_PIN_EVERY_TIME.reports(calling);

        List<String> pins = reports.stream().map(timed -> timed.report().pin()).toList();
        assertEquals(3, pins.stream().distinct().count(), pins.toString());
        for (String pin : pins) {
            assertTrue(pin.matches("\\d{4}"), pin);
            assertFalse(passesPinHashCheck(pin, calling), pin);
        }
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                reports.stream().map(TimedReport::afterPrevious).toList());
    }

    @ParameterizedTest
    @EnumSource(value = PhoneBehaviour.class, names = "NEVER_REPORTS", mode = EnumSource.Mode.EXCLUDE)
    void firstReportWaitsOnlyForThePhoneToNoticeTheCall(PhoneBehaviour behaviour) {
        assertEquals(Duration.ZERO, behaviour.reports(CALLING).get(0).afterPrevious());
    }

    @Test
    void unreachedPhoneReportsNothing() {
        assertEquals(List.of(), PhoneBehaviour.NEVER_REPORTS.reports(CALLING));
    }

    @Test
    void aReportCarriesExactlyOneOfNumberAndPin() {
        assertThrows(IllegalArgumentException.class, () -> new CallerIdReport(CALLING, "0811"));
        assertThrows(IllegalArgumentException.class, () -> new CallerIdReport(null, null));
    }

    @Test
    void aReportCannotComeBeforeThePreviousOne() {
        assertThrows(IllegalArgumentException.class,
                () -> new TimedReport(Duration.ofMillis(-1), new CallerIdReport(CALLING, null)));
    }

    @Test
    void reportsArePublishedInOrderWithTheirPauses() throws Exception {
        List<TimedReport> reports = List.of(
                TimedReport.immediately(CallerIdReport.typedPin("1111")),
                TimedReport.after(Duration.ofMillis(300), CallerIdReport.typedPin("2222")),
                TimedReport.after(Duration.ZERO, CallerIdReport.typedPin("3333")),
                TimedReport.after(Duration.ofMillis(200), CallerIdReport.typedPin("4444")));
        List<CallerIdReport> published = new CopyOnWriteArrayList<>();
        List<Long> publishedAtMs = new CopyOnWriteArrayList<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        try {
            SimulatedPhones.schedule(scheduler, Duration.ofMillis(100), reports, report -> {
                publishedAtMs.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
                published.add(report);
            });
            scheduler.shutdown();
            assertTrue(scheduler.awaitTermination(5, TimeUnit.SECONDS));
        } finally {
            scheduler.shutdownNow();
        }

        assertEquals(reports.stream().map(TimedReport::report).toList(), published);
        List<Long> earliestMs = List.of(100L, 400L, 400L, 600L);
        for (int i = 0; i < earliestMs.size(); i++) {
            assertTrue(publishedAtMs.get(i) >= earliestMs.get(i), "report " + i + " at " + publishedAtMs);
        }
    }

    @Test
    void backendRecordHasTheContractFields() {
        assertEquals("{\"verificationId\":\"v-1\",\"callerNumber\":\"+44207940811\"}",
                SimulatedPhones.callerIdJson("v-1", new CallerIdReport(CALLING, null)));
        assertEquals("{\"verificationId\":\"v-1\",\"pin\":\"0811\"}",
                SimulatedPhones.callerIdJson("v-1", new CallerIdReport(null, "0811")));
    }

    private static List<CallerIdReport> reported(PhoneBehaviour behaviour, String calling) {
        return behaviour.reports(calling).stream().map(TimedReport::report).toList();
    }

    private static boolean passesPinHashCheck(String reported, String calling) {
        return ReportedDigits.passPinHashCheck(reported, CheckMobiApi.pinHash(calling));
    }
}
