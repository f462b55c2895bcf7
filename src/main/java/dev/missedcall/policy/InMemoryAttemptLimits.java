package dev.missedcall.policy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link AttemptLimits} of one process, for the in-memory mode. */
public class InMemoryAttemptLimits implements AttemptLimits {

    private final Clock clock;
    private final Map<String, Deque<Instant>> attempts = new HashMap<>();

    public InMemoryAttemptLimits(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized String admit(List<Limit> limits) {
        Instant now = clock.instant();
        for (Limit limit : limits) {
            Deque<Instant> times = attempts.getOrDefault(limit.key(), new ArrayDeque<>());
            dropBefore(times, now.minus(WINDOW));
            if (!limit.cooldown().isZero() && !times.isEmpty()
                    && times.peekLast().plus(limit.cooldown()).isAfter(now)) {
                return limit.cooldownReason();
            }
            if (limit.dailyMax() > 0 && times.size() >= limit.dailyMax()) {
                return limit.dailyReason();
            }
        }
        for (Limit limit : limits) {
            attempts.computeIfAbsent(limit.key(), key -> new ArrayDeque<>()).addLast(now);
        }
        return null;
    }

    @Override
    public synchronized int forgetOldAttempts() {
        Instant oldest = clock.instant().minus(WINDOW);
        int before = attempts.values().stream().mapToInt(Deque::size).sum();
        attempts.values().removeIf(times -> {
            dropBefore(times, oldest);
            return times.isEmpty();
        });
        return before - attempts.values().stream().mapToInt(Deque::size).sum();
    }

    private static void dropBefore(Deque<Instant> times, Instant oldest) {
        while (!times.isEmpty() && times.peekFirst().isBefore(oldest)) {
            times.pollFirst();
        }
    }
}
