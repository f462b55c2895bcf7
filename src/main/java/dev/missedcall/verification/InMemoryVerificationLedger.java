package dev.missedcall.verification;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ledger of one process, for tests and demos: it forgets everything on restart. Bounded so that a long run does
 * not grow without end; the oldest ids are forgotten first.
 */
public class InMemoryVerificationLedger implements VerificationLedger {

    private enum Entry { REQUEST_CLAIMED, CANCELLED_BEFORE_START, VERIFY_CLAIMED }

    private final Map<String, Entry> entries;

    public InMemoryVerificationLedger(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized RequestClaim claimRequest(String verificationId) {
        Entry previous = entries.putIfAbsent(requestKey(verificationId), Entry.REQUEST_CLAIMED);
        if (previous == null) {
            return RequestClaim.CLAIMED;
        }
        if (previous == Entry.CANCELLED_BEFORE_START) {
            // the START that follows a CANCEL ends the verification; a second START is then a duplicate
            entries.put(requestKey(verificationId), Entry.REQUEST_CLAIMED);
            return RequestClaim.CANCELLED;
        }
        return RequestClaim.DUPLICATE;
    }

    @Override
    public synchronized void recordCancel(String verificationId) {
        entries.putIfAbsent(requestKey(verificationId), Entry.CANCELLED_BEFORE_START);
    }

    @Override
    public synchronized boolean claimVerify(String validationId) {
        return entries.putIfAbsent("verify:" + validationId, Entry.VERIFY_CLAIMED) == null;
    }

    private static String requestKey(String verificationId) {
        return "request:" + verificationId;
    }
}
