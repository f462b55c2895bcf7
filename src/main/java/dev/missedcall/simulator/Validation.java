package dev.missedcall.simulator;

import java.time.Instant;
import java.util.Optional;

/** One validation the simulated CheckMobi accepted, and what has happened to it since. */
final class Validation {

    private final String id;
    private final String number;
    private final String callingNumber;
    private final TestNumber testNumber;

    private Instant validatedAt;
    private boolean callEnded;
    private boolean givenUp;

    /**
     * @param callingNumber the number the missed call comes from; null for types that place no missed call
     */
    Validation(String id, String number, String callingNumber, TestNumber testNumber) {
        this.id = id;
        this.number = number;
        this.callingNumber = callingNumber;
        this.testNumber = testNumber;
    }

    String number() {
        return number;
    }

    TestNumber testNumber() {
        return testNumber;
    }

    /**
     * A Verify PIN with digits. The first match validates for good; wrong digits leave room for another attempt,
     * as CheckMobi does, unless the client has given up on the validation.
     */
    synchronized void verify(String pin, boolean serverHangup, Instant now) {
        if (serverHangup) {
            callEnded = true;
        }
        boolean matches = callingNumber != null && pin.equals(callingNumber.substring(callingNumber.length() - 4));
        if (validatedAt == null && !givenUp && matches) {
            validatedAt = now;
        }
    }

    /**
     * The client gives up (HANGUP pin or the hangup API). Whether CheckMobi still accepts the right digits after
     * that is unconfirmed; refusing them surfaces clients that verify after giving up.
     */
    synchronized void hangUp() {
        callEnded = true;
        givenUp = true;
    }

    /** What CheckMobi bills: the test number's charge once a missed call is placed; other types bill nothing here. */
    double chargedAmount() {
        return callingNumber == null ? 0.0 : testNumber.script().chargedAmount();
    }

    synchronized Optional<Instant> validatedAt() {
        return Optional.ofNullable(validatedAt);
    }

    synchronized Optional<Ringing> ringing() {
        if (callingNumber == null) {
            return Optional.empty();
        }
        return Optional.of(new Ringing(id, number, callingNumber, testNumber.phone(), callEnded));
    }
}
