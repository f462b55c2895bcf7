package dev.missedcall.simulator;

/**
 * What a phone reports to its mobile backend about an incoming call: exactly one of the caller number (in whatever
 * format the phone shows it) or the 4 digits the user typed.
 */
public record CallerIdReport(String callerNumber, String pin) {

    public CallerIdReport {
        if ((callerNumber == null) == (pin == null)) {
            throw new IllegalArgumentException("exactly one of callerNumber and pin is required");
        }
    }

    static CallerIdReport callerNumber(String number) {
        return new CallerIdReport(number, null);
    }

    static CallerIdReport typedPin(String pin) {
        return new CallerIdReport(null, pin);
    }
}
