package dev.missedcall.verification;

/** Terminal statuses of a verification, as published on the outcomes topic. */
public enum Status {
    VERIFIED, NOT_VERIFIED, TIMED_OUT, CANCELLED, REJECTED, FAILED
}
