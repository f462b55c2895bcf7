package dev.missedcall.phone;

import java.util.regex.Pattern;

/** Reported caller numbers and their trailing digits, and masking for logs (validation: {@code NumberRules}). */
public final class PhoneNumbers {

    /** Characters a phone may use when it reports a number: digits and the usual separators. */
    private static final Pattern REPORTED_NUMBER = Pattern.compile("[0-9+()\\-. \\u00a0/]+");
    public static final int PIN_LENGTH = 4;

    /** Registered as the {@code phoneNumbers} bean so that routes can mask numbers in log lines. */
    public PhoneNumbers() {
    }

    /** Whether a caller number as a phone reported it (E.164, local, spaces, dashes, parentheses) is plausible. */
    public static boolean isReportedNumber(String reported) {
        return reported != null && REPORTED_NUMBER.matcher(reported).matches();
    }

    /** The last {@link #PIN_LENGTH} digits of a reported number, or null when it has fewer digits. */
    public static String lastPinDigits(String reported) {
        String digits = reported.replaceAll("[^0-9]", "");
        return digits.length() < PIN_LENGTH ? null : digits.substring(digits.length() - PIN_LENGTH);
    }

    /** {@code +40743123456} becomes {@code +40743***456}: enough to tell numbers apart in logs, not to call them. */
    public static String mask(String number) {
        if (number == null) {
            return null;
        }
        if (number.length() <= 6) {
            return "***";
        }
        int keepHead = Math.min(6, number.length() - 3);
        return number.substring(0, keepHead) + "***" + number.substring(number.length() - 3);
    }
}
