package dev.missedcall.verification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.missedcall.verification.Fields.EXPIRES_AT;

/**
 * The ledger of one process, for tests and demos: it forgets everything on restart. Bounded so that a long run does
 * not grow without end; the oldest verifications are forgotten first.
 */
public class InMemoryVerificationLedger implements VerificationLedger {

    private enum State { CLAIMED, CANCELLED_BEFORE_START, REQUESTED, VERIFY_CLAIMED, ENDED }

    private static final class Entry {
        private State state;
        private Map<String, Object> requested;
        private String verifyIntent;
        private Map<String, Object> outcome;
        private boolean published;
        private Instant updatedAt;
        private Instant leasedUntil = Instant.MIN;
        private int pinRejections;
    }

    private final Clock clock;
    private final Map<String, Entry> entries;
    private LocalDate chargedDay = LocalDate.MIN;
    private double chargedThatDay;

    public InMemoryVerificationLedger(Clock clock, int capacity) {
        this.clock = clock;
        this.entries = bounded(capacity);
    }

    private static <V> Map<String, V> bounded(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized RequestClaim claimRequest(Map<String, Object> command) {
        String verificationId = (String) command.get(Fields.VERIFICATION_ID);
        Entry entry = entries.get(verificationId);
        if (entry == null) {
            entry = touch(new Entry(), State.CLAIMED);
            entry.requested = new LinkedHashMap<>(command);
            entries.put(verificationId, entry);
            return RequestClaim.CLAIMED;
        }
        if (entry.state == State.CANCELLED_BEFORE_START) {
            // the START that follows a CANCEL ends the verification; a second START is then a duplicate
            entry.requested = new LinkedHashMap<>(command);
            touch(entry, State.CLAIMED);
            return RequestClaim.CANCELLED;
        }
        return RequestClaim.DUPLICATE;
    }

    @Override
    public synchronized void recordCancel(String verificationId) {
        entries.computeIfAbsent(verificationId, id -> touch(new Entry(), State.CANCELLED_BEFORE_START));
    }

    @Override
    public synchronized void recordRequested(Map<String, Object> requested) {
        Entry entry = entries.get((String) requested.get(Fields.VERIFICATION_ID));
        if (entry != null && entry.state == State.CLAIMED) {
            entry.requested = new LinkedHashMap<>(requested);
            touch(entry, State.REQUESTED);
        }
    }

    @Override
    public synchronized VerifyClaim claimVerify(String verificationId, String validationId, String intent) {
        Entry entry = entries.get(verificationId);
        if (entry == null) {
            // forgotten (capacity) or never recorded: this process cannot know better than to send it once
            entry = touch(new Entry(), State.REQUESTED);
            entries.put(verificationId, entry);
        }
        switch (entry.state) {
            case ENDED:
                return VerifyClaim.ENDED;
            case VERIFY_CLAIMED:
                return VerifyClaim.IN_PROGRESS;
            default:
                entry.verifyIntent = intent;
                touch(entry, State.VERIFY_CLAIMED);
                return VerifyClaim.SEND;
        }
    }

    @Override
    public synchronized Map<String, Object> end(String verificationId, Map<String, Object> outcome) {
        Entry entry = entries.computeIfAbsent(verificationId, id -> new Entry());
        if (entry.state != State.ENDED) {
            entry.outcome = new LinkedHashMap<>(outcome);
            touch(entry, State.ENDED);
            if (outcome.get(Fields.CHARGED_AMOUNT) instanceof Number charged) {
                addCharge(charged.doubleValue());
            }
        }
        return new LinkedHashMap<>(entry.outcome);
    }

    @Override
    public synchronized Map<String, Object> outcome(String verificationId) {
        Entry entry = entries.get(verificationId);
        return entry == null || entry.outcome == null ? null : new LinkedHashMap<>(entry.outcome);
    }

    @Override
    public synchronized Map<String, Object> unpublishedOutcome(String verificationId) {
        Entry entry = entries.get(verificationId);
        return entry == null || entry.outcome == null || entry.published ? null : new LinkedHashMap<>(entry.outcome);
    }

    @Override
    public synchronized void markPublished(String verificationId) {
        Entry entry = entries.get(verificationId);
        if (entry != null) {
            entry.published = true;
        }
    }

    @Override
    public synchronized Map<String, Object> ringing(String verificationId) {
        Entry entry = entries.get(verificationId);
        return entry == null || entry.state != State.REQUESTED ? null : new LinkedHashMap<>(entry.requested);
    }

    @Override
    public synchronized int countPinRejection(String verificationId) {
        Entry entry = entries.get(verificationId);
        return entry == null ? 1 : ++entry.pinRejections;
    }

    @Override
    public synchronized double chargedToday() {
        return LocalDate.now(clock).equals(chargedDay) ? chargedThatDay : 0;
    }

    private void addCharge(double amount) {
        LocalDate today = LocalDate.now(clock);
        if (!today.equals(chargedDay)) {
            chargedDay = today;
            chargedThatDay = 0;
        }
        chargedThatDay += amount;
    }

    @Override
    public synchronized long pendingCount() {
        return entries.values().stream()
                .filter(e -> e.state != State.ENDED && e.state != State.CANCELLED_BEFORE_START).count();
    }

    @Override
    public synchronized List<Map<String, Object>> overdue(Duration grace, Duration lease, int limit) {
        long cutoff = clock.millis() - grace.toMillis();
        return lease(e -> e.state == State.REQUESTED && e.requested != null
                        && e.requested.get(EXPIRES_AT) instanceof Number expiresAt && expiresAt.longValue() < cutoff,
                lease, limit, (id, e) -> new LinkedHashMap<>(e.requested));
    }

    @Override
    public synchronized List<Map<String, Object>> interrupted(Duration olderThan, Duration lease, int limit) {
        Instant cutoff = clock.instant().minus(olderThan);
        return lease(e -> (e.state == State.CLAIMED || e.state == State.VERIFY_CLAIMED)
                        && e.updatedAt.isBefore(cutoff),
                lease, limit, (id, e) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put(Fields.VERIFICATION_ID, id);
                    row.put("ledgerState", e.state.name());
                    row.put("verifyIntent", e.verifyIntent);
                    row.put("requested", e.requested);
                    return row;
                });
    }

    @Override
    public synchronized List<Map<String, Object>> unpublished(Duration olderThan, Duration lease, int limit) {
        Instant cutoff = clock.instant().minus(olderThan);
        return lease(e -> e.state == State.ENDED && !e.published && e.updatedAt.isBefore(cutoff),
                lease, limit, (id, e) -> new LinkedHashMap<>(e.outcome));
    }

    private List<Map<String, Object>> lease(Predicate<Entry> due, Duration lease, int limit,
                                            java.util.function.BiFunction<String, Entry, Map<String, Object>> row) {
        Instant now = clock.instant();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, Entry> entry : entries.entrySet()) {
            if (rows.size() >= limit) {
                break;
            }
            Entry e = entry.getValue();
            if (due.test(e) && e.leasedUntil.isBefore(now)) {
                e.leasedUntil = now.plus(lease);
                rows.add(row.apply(entry.getKey(), e));
            }
        }
        return rows;
    }

    private Entry touch(Entry entry, State state) {
        entry.state = state;
        entry.updatedAt = clock.instant();
        return entry;
    }
}
