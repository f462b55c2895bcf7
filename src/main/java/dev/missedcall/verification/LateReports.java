package dev.missedcall.verification;

import java.util.concurrent.atomic.AtomicLong;

/** Counts caller IDs and CANCELs that arrived after their verification had ended; they cause no call. */
public class LateReports {

    private final AtomicLong count = new AtomicLong();

    public long record() {
        return count.incrementAndGet();
    }

    public long count() {
        return count.get();
    }
}
