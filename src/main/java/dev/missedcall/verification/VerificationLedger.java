package dev.missedcall.verification;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Once-only records of each verification: they guard the calls that cost money (at most one Request Validation per
 * verification id, at most one Verify PIN per validation id) and keep the one outcome. The aggregator alone cannot
 * promise this across duplicates, redeliveries, restarts and instances. Every method is atomic.
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

    /** The answer to a completion's claim on the one Verify PIN. */
    enum VerifyClaim {
        /** Send the Verify PIN now. */
        SEND,
        /** The verification has ended: publish the stored outcome (again). */
        ENDED,
        /** Another completion claimed the verify moments ago and is still at it: do nothing. */
        IN_PROGRESS,
        /** A verify was claimed long ago and never finished (a crash): reconcile with CheckMobi, send nothing. */
        INTERRUPTED
    }

    /** Claims the one Request Validation of the START's verification id, keeping the command for a later outcome. */
    RequestClaim claimRequest(Map<String, Object> command);

    /** Records a CANCEL, so that a START that comes after it places no call. */
    void recordCancel(String verificationId);

    /** Records that CheckMobi accepted the request: the REQUESTED signal (validation id, deadline, …). */
    void recordRequested(Map<String, Object> requested);

    /**
     * Claims the one Verify PIN of a verification. {@code intent} is {@code VERIFY_DIGITS}, or for a HANGUP the status
     * it ends with ({@code TIMED_OUT}, {@code CANCELLED}), so that an interrupted verify can still be ended right.
     */
    VerifyClaim claimVerify(String verificationId, String validationId, String intent);

    /**
     * Ends a verification with this outcome unless it has ended already; returns the outcome that stands (the first),
     * so that every publisher of it publishes the same record.
     */
    Map<String, Object> end(String verificationId, Map<String, Object> outcome);

    /** The stored outcome of an ended verification, or null. */
    Map<String, Object> outcome(String verificationId);

    /** The stored outcome of an ended verification that Kafka has not acknowledged yet, or null. */
    Map<String, Object> unpublishedOutcome(String verificationId);

    /** Kafka acknowledged the outcome: it need not be published again. */
    void markPublished(String verificationId);

    /**
     * The REQUESTED signal (validation id, pin hash, metadata, …) of a verification whose phone is ringing: CheckMobi
     * accepted the request and no verify has been claimed. Null otherwise.
     */
    Map<String, Object> ringing(String verificationId);

    /** Counts one typed PIN that failed the local pin_hash check; returns how many have failed so far. */
    int countPinRejection(String verificationId);

    /** What CheckMobi charged today (UTC), summed from each outcome when it was first kept. */
    double chargedToday();

    /** Verifications started and not ended yet. */
    long pendingCount();

    // --- what the sweeper finds; each row is leased to the caller for {@code lease} so instances do not collide ---

    /** REQUESTED verifications whose deadline passed more than {@code grace} ago: their REQUESTED signals. */
    List<Map<String, Object>> overdue(Duration grace, Duration lease, int limit);

    /**
     * Verifications claimed but with no request result or verify result for {@code olderThan} (a process died
     * mid-call): {@code verificationId}, {@code ledgerState} (CLAIMED or VERIFY_CLAIMED), {@code verifyIntent} and
     * {@code requested} (the REQUESTED signal, or the START command when the request has no result).
     */
    List<Map<String, Object>> interrupted(Duration olderThan, Duration lease, int limit);

    /** Ended verifications whose outcome has not been acknowledged by Kafka for {@code olderThan}: outcomes. */
    List<Map<String, Object>> unpublished(Duration olderThan, Duration lease, int limit);
}
