package dev.missedcall.verification;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the sweeper (a Quartz job on every instance) finds in the ledger: verifications whose timer died with its
 * instance, calls interrupted by a crash, outcomes Kafka never acknowledged. Rows are leased, so instances share the
 * work without doing it twice; the once-only records make a repeat harmless anyway.
 */
public class Sweeper {

    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Duration REPUBLISH_AFTER = Duration.ofSeconds(10);
    private static final int BATCH = 200;

    private final VerificationLedger ledger;
    private final Duration grace;
    private final Duration interruptedAfter;

    /**
     * @param grace            how long after its deadline a verification may still be waiting for its own timer
     * @param interruptedAfter how long a claimed call may go without a result before its process is presumed dead
     */
    public Sweeper(VerificationLedger ledger, Duration grace, Duration interruptedAfter) {
        this.ledger = ledger;
        this.grace = grace;
        this.interruptedAfter = interruptedAfter;
    }

    public List<Map<String, Object>> overdue() {
        return ledger.overdue(grace, LEASE, BATCH);
    }

    public List<Map<String, Object>> interrupted() {
        return ledger.interrupted(interruptedAfter, LEASE, BATCH);
    }

    public List<Map<String, Object>> unpublished() {
        return ledger.unpublished(REPUBLISH_AFTER, LEASE, BATCH);
    }
}
