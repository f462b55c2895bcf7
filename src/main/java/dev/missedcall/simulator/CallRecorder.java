package dev.missedcall.simulator;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The calls received, in arrival order. A call is only known once answered (its status is part of it), so each
 * call takes a ticket on arrival and is filed under it when answered.
 */
final class CallRecorder {

    private final AtomicLong tickets = new AtomicLong();
    private final NavigableMap<Long, RecordedCall> calls = new TreeMap<>();
    // A call still in flight when the record is cleared must not reappear when it is finally answered.
    private long clearedUpTo;

    long arrived() {
        return tickets.incrementAndGet();
    }

    synchronized void answered(long ticket, RecordedCall call) {
        if (ticket > clearedUpTo) {
            calls.put(ticket, call);
        }
    }

    synchronized List<RecordedCall> calls() {
        return List.copyOf(calls.values());
    }

    synchronized void clear() {
        clearedUpTo = tickets.get();
        calls.clear();
    }
}
