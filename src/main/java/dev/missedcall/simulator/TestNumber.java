package dev.missedcall.simulator;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.missedcall.simulator.PhoneBehaviour.NEVER_REPORTS;
import static dev.missedcall.simulator.PhoneBehaviour.REPORTS_E164;
import static dev.missedcall.simulator.PhoneBehaviour.REPORTS_LOCAL_FORMAT;
import static dev.missedcall.simulator.PhoneBehaviour.REPORTS_REPLACED_NUMBER;
import static dev.missedcall.simulator.PhoneBehaviour.REPORTS_UNRELATED_CALL_FIRST;
import static dev.missedcall.simulator.PhoneBehaviour.REPORTS_WRONG_FIRST_PIN_DIGIT;
import static dev.missedcall.simulator.PhoneBehaviour.TYPES_PIN;
import static dev.missedcall.simulator.PhoneBehaviour.TYPES_WRONG_PIN_EVERY_TIME;
import static dev.missedcall.simulator.PhoneBehaviour.TYPES_WRONG_PIN_FIRST;

/**
 * Destination numbers that produce each outcome on demand, like card test numbers in a payment sandbox. They are
 * valid numbers for libphonenumber, so the routes' number checks treat them as they would a customer's: mobile
 * numbers, except the premium-rate and shared-cost ones the routes must refuse. Real subscribers may hold some of
 * them, so use them only with the simulator, never with the real CheckMobi. Any other valid number behaves like
 * {@link #VERIFIED_E164}.
 */
public enum TestNumber {

    VERIFIED_E164("+447400900001", "VERIFIED",
            "The phone reports the full calling number in E.164.",
            Script.rings(REPORTS_E164)),
    VERIFIED_LOCAL_FORMAT("+447400900002", "VERIFIED",
            "The phone reports the calling number in local format with spaces and dashes (e.g. 020 794-0811); "
                    + "only the last 4 digits are reliable.",
            Script.rings(REPORTS_LOCAL_FORMAT)),
    VERIFIED_TYPED_PIN("+447400900003", "VERIFIED",
            "An iOS user types the last 4 digits of the calling number (reported as pin).",
            Script.rings(TYPES_PIN)),
    TYPO_THEN_PIN("+447400900004", "VERIFIED (after one PIN_REJECTED event)",
            "An iOS user first types a wrong PIN (its last 3 digits fail the pin_hash check), then about 1 s later "
                    + "the right one.",
            Script.rings(TYPES_WRONG_PIN_FIRST)),
    ANSWERED_CALL("+447400900005", "VERIFIED (chargedAmount 0.05)",
            "The phone answers the missed call, which gets it billed, then reports like +447400900001; Verify PIN "
                    + "and status answer charged_amount 0.05.",
            Script.rings(REPORTS_E164).charging(0.05)),
    WRONG_DIGITS("+447400900010", "NOT_VERIFIED",
            "The reported number ends in the calling number's last 3 digits (it passes the pin_hash check), but "
                    + "the digit before them differs: Verify PIN answers validated: false.",
            Script.rings(REPORTS_WRONG_FIRST_PIN_DIGIT)),
    UNRELATED_CALL_FIRST("+447400900011", "VERIFIED",
            "Another call happens to ring first: the phone reports its number (it fails the pin_hash check), then "
                    + "about 300 ms later the real calling number in E.164.",
            Script.rings(REPORTS_UNRELATED_CALL_FIRST)),
    CARRIER_REPLACED_NUMBER("+447400900012", "TIMED_OUT",
            "A carrier replaced the caller ID entirely: the call arrives from a number that fails the pin_hash "
                    + "check, so the report is ignored.",
            Script.rings(REPORTS_REPLACED_NUMBER)),
    WRONG_PIN_EVERY_TIME("+447400900013", "NOT_VERIFIED (pin_attempts_exhausted, after two PIN_REJECTED events)",
            "An iOS user types three different wrong PINs about 1 s apart, each failing the pin_hash check.",
            Script.rings(TYPES_WRONG_PIN_EVERY_TIME)),
    NEVER_CALLED("+447400900020", "TIMED_OUT (CANCELLED if the sender cancels first)",
            "The call never reaches the phone: nothing is reported.",
            Script.rings(NEVER_REPORTS)),
    REJECTED_INVALID_NUMBER("+447400900102", "REJECTED (checkmobi.2)",
            "Request Validation answers 400 code 2 (invalid phone number); no call.",
            Script.rejects(CheckMobiError.INVALID_NUMBER)),
    REJECTED_INSUFFICIENT_FUNDS("+447400900105", "REJECTED (checkmobi.5)",
            "Request Validation answers 400 code 5 (insufficient funds); no call.",
            Script.rejects(CheckMobiError.INSUFFICIENT_FUNDS)),
    REJECTED_INSUFFICIENT_CLI_COUNT("+447400900106", "REJECTED (checkmobi.6)",
            "Request Validation answers 400 code 6 (insufficient CLI validation count); no call.",
            Script.rejects(CheckMobiError.INSUFFICIENT_CLI_VALIDATION_COUNT)),
    REJECTED_METHOD_NOT_AVAILABLE("+447400900108", "REJECTED (checkmobi.8)",
            "Request Validation answers 400 code 8 (validation method not available in this country); no call. "
                    + "Check number omits reverse_cli.",
            Script.rejects(CheckMobiError.METHOD_NOT_AVAILABLE)),
    REJECTED_ACCOUNT_RESTRICTED("+447400900111", "REJECTED (checkmobi.11)",
            "Request Validation answers 400 code 11 (account restricted for suspicious activity); no call.",
            Script.rejects(CheckMobiError.ACCOUNT_RESTRICTED)),
    REJECTED_LIMITS_EXCEEDED("+447400900112", "REJECTED (checkmobi.12)",
            "Request Validation answers 400 code 12 (account exceeded one or more limits); no call.",
            Script.rejects(CheckMobiError.LIMITS_EXCEEDED)),
    REJECTED_DESTINATION_BLOCKED("+447400900113", "REJECTED (checkmobi.13)",
            "Request Validation answers 400 code 13 (destination blocked by application restrictions); no call.",
            Script.rejects(CheckMobiError.DESTINATION_BLOCKED)),
    REJECTED_TOO_MANY_ATTEMPTS("+447400900114", "REJECTED (checkmobi.14)",
            "Request Validation answers 400 code 14 (number temporarily blocked after too many attempts); no call.",
            Script.rejects(CheckMobiError.TOO_MANY_ATTEMPTS)),
    PREMIUM_RATE("+449098790900", "REJECTED (number_type_not_allowed)",
            refusedByTheRoutes("A premium-rate number (GB)"),
            Script.rings(REPORTS_E164).charging(Script.REVENUE_SHARE_CHARGE)),
    SHARED_COST("+33810900300", "REJECTED (number_type_not_allowed)",
            refusedByTheRoutes("A shared-cost number (FR)"),
            Script.rings(REPORTS_E164).charging(Script.REVENUE_SHARE_CHARGE)),
    SLOW_REQUEST("+447400900201", "VERIFIED",
            "Request Validation answers after 2 s, then everything behaves like +447400900001.",
            Script.rings(REPORTS_E164).answeringAfter(Duration.ofSeconds(2))),
    REQUEST_SERVER_ERROR("+447400900202", "FAILED",
            "Request Validation answers 500; the client cannot know whether a call was placed "
                    + "(the simulator places none).",
            Script.rejects(CheckMobiError.INTERNAL_ERROR)),
    REQUEST_CONNECTION_DROPPED("+447400900203", "FAILED",
            "Request Validation: the connection is closed without any response (the simulator places no call).",
            Script.dropsConnection()),
    VERIFY_SERVER_ERROR("+447400900204", "FAILED",
            "The call rings and the phone reports like +447400900001, but every Verify PIN for it "
                    + "(digits or HANGUP) answers 500.",
            Script.rings(REPORTS_E164).failingVerify()),
    REQUEST_TIMEOUT("+447400900205", "FAILED",
            "Request Validation answers only after 15 s, longer than any sensible client timeout; the call is "
                    + "placed when the request arrives.",
            Script.rings(REPORTS_E164).answeringAfter(Duration.ofSeconds(15)));

    private static final Map<String, TestNumber> BY_NUMBER = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(TestNumber::number, Function.identity()));

    private final String number;
    private final String expectedOutcome;
    private final String description;
    private final Script script;

    TestNumber(String number, String expectedOutcome, String description, Script script) {
        this.number = number;
        this.expectedOutcome = expectedOutcome;
        this.description = description;
        this.script = script;
    }

    /** The test number for an E.164 number; any number that is not one behaves like {@link #VERIFIED_E164}. */
    public static TestNumber of(String e164) {
        return BY_NUMBER.getOrDefault(e164, VERIFIED_E164);
    }

    /** The README table: number | behaviour | expected outcome. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| number | behaviour | expected outcome |\n|---|---|---|\n");
        for (TestNumber testNumber : values()) {
            table.append("| `").append(testNumber.number).append("` | ").append(testNumber.description)
                    .append(" | ").append(testNumber.expectedOutcome).append(" |\n");
        }
        return table.append("| any other valid number | Behaves like `").append(VERIFIED_E164.number)
                .append("`. | ").append(VERIFIED_E164.expectedOutcome).append(" |\n").toString();
    }

    // Revenue-share numbers are why the routes refuse these types: the simulator shows what a call would cost.
    private static String refusedByTheRoutes(String numberType) {
        return numberType + ", which the routes refuse without calling CheckMobi. Sent anyway, it rings like "
                + "+447400900001, but Verify PIN and status answer charged_amount "
                + String.format(Locale.ROOT, "%.2f", Script.REVENUE_SHARE_CHARGE) + ", what revenue-share fraud costs.";
    }

    public String number() {
        return number;
    }

    /** The outcome status the routes should publish for this number (with the reason where it is fixed). */
    public String expectedOutcome() {
        return expectedOutcome;
    }

    public String description() {
        return description;
    }

    /** What the phone reports if the call is placed. */
    public PhoneBehaviour phone() {
        return script.phone();
    }

    Script script() {
        return script;
    }

    /**
     * What the simulated CheckMobi does for a number.
     *
     * @param phone           what the phone reports once the call rings
     * @param requestDelay    how long Request Validation holds its answer back
     * @param requestError    the error Request Validation answers instead of placing a call, or null
     * @param dropsRequest    whether Request Validation closes the connection without answering
     * @param failsVerify     whether every Verify PIN for the validation answers 500
     * @param chargedAmount   what the missed call costs; a missed call is free unless it is answered or reaches a
     *                        number that shares its revenue with the callee
     */
    record Script(PhoneBehaviour phone, Duration requestDelay, CheckMobiError requestError, boolean dropsRequest,
                  boolean failsVerify, double chargedAmount) {

        static final double REVENUE_SHARE_CHARGE = 1.50;

        static Script rings(PhoneBehaviour phone) {
            return new Script(phone, Duration.ZERO, null, false, false, 0.0);
        }

        // A refused request places no call, so there is nothing for its phone to report.
        static Script rejects(CheckMobiError error) {
            return new Script(NEVER_REPORTS, Duration.ZERO, error, false, false, 0.0);
        }

        static Script dropsConnection() {
            return new Script(NEVER_REPORTS, Duration.ZERO, null, true, false, 0.0);
        }

        Script answeringAfter(Duration delay) {
            return new Script(phone, delay, requestError, dropsRequest, failsVerify, chargedAmount);
        }

        Script failingVerify() {
            return new Script(phone, requestDelay, requestError, dropsRequest, true, chargedAmount);
        }

        Script charging(double amount) {
            return new Script(phone, requestDelay, requestError, dropsRequest, failsVerify, amount);
        }
    }
}
