package dev.missedcall.simulator;

import java.util.Optional;

/** How a simulated phone reports the missed call it received, covering the ways real phones differ. */
public enum PhoneBehaviour {

    /** An Android app with call-log access sees the full incoming number. */
    REPORTS_E164 {
        @Override
        public Optional<CallerIdReport> report(String callingNumber) {
            return Optional.of(CallerIdReport.callerNumber(callingNumber));
        }
    },

    /** Some phones show the national format with separators; only the trailing digits can be trusted. */
    REPORTS_LOCAL_FORMAT {
        @Override
        public Optional<CallerIdReport> report(String callingNumber) {
            return Optional.of(CallerIdReport.callerNumber(britishLocalFormat(callingNumber)));
        }
    },

    /** iOS apps cannot read the caller ID, so the user types the last 4 digits. */
    TYPES_PIN {
        @Override
        public Optional<CallerIdReport> report(String callingNumber) {
            return Optional.of(CallerIdReport.typedPin(lastFour(callingNumber)));
        }
    },

    /** A carrier replaced the caller ID: the call arrives, but from a number whose last 4 digits are not the PIN. */
    REPORTS_WRONG_NUMBER {
        @Override
        public Optional<CallerIdReport> report(String callingNumber) {
            // Shifting the last 3 digits changes the last 4 and the pin_hash too, as a real replacement would.
            int lastThree = Integer.parseInt(callingNumber.substring(callingNumber.length() - 3));
            String replacement = CARRIER_GATEWAY_PREFIX + String.format("%03d", (lastThree + 500) % 1000);
            return Optional.of(CallerIdReport.callerNumber(replacement));
        }
    },

    /** The call never reaches the phone. */
    NEVER_REPORTS {
        @Override
        public Optional<CallerIdReport> report(String callingNumber) {
            return Optional.empty();
        }
    };

    // Ofcom's 01632 960xxx range for drama, so a replaced caller ID is never a real subscriber.
    private static final String CARRIER_GATEWAY_PREFIX = "+44163296";

    /**
     * What the phone reports for a call from {@code callingNumber} (E.164), or empty when it reports nothing.
     * Pure, so the choice can be tested without Kafka.
     */
    public abstract Optional<CallerIdReport> report(String callingNumber);

    private static String lastFour(String number) {
        return number.substring(number.length() - 4);
    }

    // The simulator always calls from +44 numbers, so only the British trunk prefix is needed: +4420794dddd
    // becomes "020 794-dddd".
    private static String britishLocalFormat(String callingNumber) {
        String national = "0" + callingNumber.substring("+44".length());
        int pinStart = national.length() - 4;
        return national.substring(0, 3) + " " + national.substring(3, pinStart) + "-" + national.substring(pinStart);
    }
}
