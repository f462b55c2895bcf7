package dev.missedcall.simulator;

/** What the routes read from a caller-ID report, for tests that check a phone's reports as the routes would. */
final class ReportedDigits {

    private ReportedDigits() {
    }

    /** Whether the report's last 3 digits hash to CheckMobi's {@code pin_hash}, i.e. it may be the right call. */
    static boolean passPinHashCheck(String reported, String pinHash) {
        return CheckMobiApi.pinHash(digits(reported)).equals(pinHash);
    }

    /** The PIN a Verify PIN would carry: the report's last 4 digits. */
    static String lastFour(String reported) {
        String digits = digits(reported);
        return digits.substring(digits.length() - 4);
    }

    static String of(CallerIdReport report) {
        return report.pin() != null ? report.pin() : report.callerNumber();
    }

    private static String digits(String reported) {
        return reported.replaceAll("\\D", "");
    }
}
