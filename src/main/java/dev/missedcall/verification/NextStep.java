package dev.missedcall.verification;

/** What the completion route does with a verification the aggregator has decided. */
public enum NextStep {
    /** Verify PIN with the caller ID's digits. */
    VERIFY_DIGITS,
    /** Verify PIN with {@code HANGUP}: the call is given up (timeout or cancel). */
    HANGUP,
    /** No call to end: publish the outcome the state already holds. */
    PUBLISH,
    /** Nothing was ever requested for this id (a caller ID or CANCEL without START): drop it. */
    DISCARD
}
