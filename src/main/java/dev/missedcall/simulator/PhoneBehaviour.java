package dev.missedcall.simulator;

import java.time.Duration;
import java.util.List;

import static dev.missedcall.simulator.CallerIdReport.callerNumber;
import static dev.missedcall.simulator.CallerIdReport.typedPin;
import static dev.missedcall.simulator.TimedReport.after;
import static dev.missedcall.simulator.TimedReport.immediately;

/**
 * How a simulated phone reports the missed call it received, covering the ways real phones differ. CheckMobi's
 * {@code pin_hash} is the SHA-1 of the calling number's last 3 digits: a report that does not end in them is, for
 * the routes, some other call (or a typo), and one that does is worth a Verify PIN.
 */
public enum PhoneBehaviour {

    /** An Android app with call-log access sees the full incoming number. */
    REPORTS_E164 {
        @Override
        public List<TimedReport> reports(String callingNumber) {
            return List.of(immediately(callerNumber(callingNumber)));
        }
    },

    /** Some phones show the national format with separators; only the trailing digits can be trusted. */
    REPORTS_LOCAL_FORMAT {
        @Override
        public List<TimedReport> reports(String callingNumber) {
            return List.of(immediately(callerNumber(britishLocalFormat(callingNumber))));
        }
    },

    /** iOS apps cannot read the caller ID, so the user types the last 4 digits. */
    TYPES_PIN {
        @Override
        public List<TimedReport> reports(String callingNumber) {
            return List.of(immediately(typedPin(lastFour(callingNumber))));
        }
    },

    /**
     * The reported number ends in the calling number's last 3 digits, so it passes the {@code pin_hash} check, but
     * the digit before them differs: only CheckMobi's Verify PIN can tell, and it answers {@code validated: false}.
     */
    REPORTS_WRONG_FIRST_PIN_DIGIT {
        @Override
        public List<TimedReport> reports(String callingNumber) {
            int pinStart = callingNumber.length() - 4;
            int firstPinDigit = Character.digit(callingNumber.charAt(pinStart), 10);
            String reported = callingNumber.substring(0, pinStart) + (firstPinDigit + 5) % 10
                    + callingNumber.substring(pinStart + 1);
            return List.of(immediately(callerNumber(reported)));
        }
    },

    /** A carrier replaced the caller ID entirely: the call arrives from a number that fails the pin_hash check. */
    REPORTS_REPLACED_NUMBER {
        @Override
        public List<TimedReport> reports(String callingNumber) {
            return List.of(immediately(callerNumber(
                    CARRIER_GATEWAY_PREFIX + lastThreeShifted(callingNumber, OTHER_NUMBER_SHIFT))));
        }
    },

    /** Another call happened to ring first; the phone reports it, then the real call in E.164. */
    REPORTS_UNRELATED_CALL_FIRST {
        @Override
        public List<TimedReport> reports(String callingNumber) {
            return List.of(
                    immediately(callerNumber(UNRELATED_CALLER_PREFIX
                            + lastThreeShifted(callingNumber, OTHER_NUMBER_SHIFT))),
                    after(NEXT_CALL_PAUSE, callerNumber(callingNumber)));
        }
    },

    /** An iOS user mistypes the PIN once (the last 3 digits are off), then types it right. */
    TYPES_WRONG_PIN_FIRST {
        @Override
        public List<TimedReport> reports(String callingNumber) {
            return List.of(
                    immediately(typedPin(mistypedPin(callingNumber, 1))),
                    after(RETYPING_PAUSE, typedPin(lastFour(callingNumber))));
        }
    },

    /** An iOS user types three different wrong PINs, none of which passes the pin_hash check. */
    TYPES_WRONG_PIN_EVERY_TIME {
        @Override
        public List<TimedReport> reports(String callingNumber) {
            return List.of(
                    immediately(typedPin(mistypedPin(callingNumber, 1))),
                    after(RETYPING_PAUSE, typedPin(mistypedPin(callingNumber, 2))),
                    after(RETYPING_PAUSE, typedPin(mistypedPin(callingNumber, 3))));
        }
    },

    /** The call never reaches the phone. */
    NEVER_REPORTS {
        @Override
        public List<TimedReport> reports(String callingNumber) {
            return List.of();
        }
    };

    // Ofcom's drama ranges (0161 496 0xxx, 020 7946 0xxx): valid numbers that no real subscriber ever has.
    private static final String CARRIER_GATEWAY_PREFIX = "+441614960";
    private static final String UNRELATED_CALLER_PREFIX = "+442079460";
    // Any shift but 0 (mod 1000) changes the last 3 digits, and with them the pin_hash.
    private static final int OTHER_NUMBER_SHIFT = 500;
    private static final Duration NEXT_CALL_PAUSE = Duration.ofMillis(300);
    private static final Duration RETYPING_PAUSE = Duration.ofSeconds(1);

    /**
     * What the phone reports for a call from {@code callingNumber} (E.164), in order; empty when it reports
     * nothing. Pure, so the choice can be tested without Kafka.
     */
    public abstract List<TimedReport> reports(String callingNumber);

    private static String lastFour(String number) {
        return number.substring(number.length() - 4);
    }

    // A typo in the last digit (carried into the next ones when it wraps), so each attempt fails the pin_hash check.
    private static String mistypedPin(String callingNumber, int attempt) {
        return lastFour(callingNumber).charAt(0) + lastThreeShifted(callingNumber, attempt);
    }

    private static String lastThreeShifted(String number, int shift) {
        int lastThree = Integer.parseInt(number.substring(number.length() - 3));
        return String.format("%03d", (lastThree + shift) % 1000);
    }

    // The simulator always calls from +44 numbers, so only the British trunk prefix is needed: +4420794dddd
    // becomes "020 794-dddd".
    private static String britishLocalFormat(String callingNumber) {
        String national = "0" + callingNumber.substring("+44".length());
        int pinStart = national.length() - 4;
        return national.substring(0, 3) + " " + national.substring(3, pinStart) + "-" + national.substring(pinStart);
    }
}
