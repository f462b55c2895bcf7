package dev.missedcall.verification;

/** What a message sent to the verification aggregator reports. */
public enum Signal {
    /** CheckMobi accepted the Request Validation: the phone is ringing. */
    REQUESTED,
    /** No call was placed: the number or the request was refused, or CheckMobi could not be reached. */
    REFUSED,
    /** The phone's caller ID (or typed PIN), reduced to the last digits. */
    CALLER_ID,
    /** The user typed as many PINs failing the pin_hash check as allowed: end NOT_VERIFIED with a HANGUP. */
    PIN_ATTEMPTS_EXHAUSTED,
    /** A CANCEL command. */
    CANCEL,
    /** A START whose verification had been cancelled before it arrived: nothing is called. */
    CANCELLED_BEFORE_REQUEST,
    /**
     * From the sweeper: the deadline of a requested verification passed and no instance's timer ended it (its
     * instance died). Carries the REQUESTED data, since the pending group may be gone with that instance.
     */
    DEADLINE
}
