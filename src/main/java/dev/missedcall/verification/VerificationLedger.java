package dev.missedcall.verification;

/**
 * Once-only records that guard the calls that cost money: at most one Request Validation per verification id, at
 * most one Verify PIN per validation id. The aggregator alone cannot promise this (duplicates, redeliveries).
 */
public interface VerificationLedger {

    /** The answer to a START's claim on its verification id. */
    enum RequestClaim {
        /** This START may send the Request Validation. */
        CLAIMED,
        /** Another START with this id was claimed before: it must not ring the phone again. */
        DUPLICATE,
        /** A CANCEL for this id came before its START: end it without calling. */
        CANCELLED
    }

    RequestClaim claimRequest(String verificationId);

    /** Records a CANCEL, so that a START that comes after it places no call. */
    void recordCancel(String verificationId);

    /** True exactly once per validation id: the caller may send the one Verify PIN (digits or HANGUP). */
    boolean claimVerify(String validationId);
}
