package dev.missedcall.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dev.missedcall.testing.MutableClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class InMemoryAttemptLimitsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
    private final InMemoryAttemptLimits limits = new InMemoryAttemptLimits(clock);

    private static AttemptLimits.Limit number(Duration cooldown, int dailyMax) {
        return new AttemptLimits.Limit("number:+40743123456", cooldown, dailyMax, "number_cooldown",
                "number_daily_limit");
    }

    private static AttemptLimits.Limit clientIp(int dailyMax) {
        return new AttemptLimits.Limit("metadata:clientIp=192.0.2.1", Duration.ZERO, dailyMax, "metadata_cooldown",
                "metadata_daily_limit");
    }

    @Test
    void aSecondAttemptWithinTheCooldownIsRefusedAndOneAfterItAdmitted() {
        assertNull(limits.admit(List.of(number(Duration.ofSeconds(30), 0))));
        clock.advance(Duration.ofSeconds(29));
        assertEquals("number_cooldown", limits.admit(List.of(number(Duration.ofSeconds(30), 0))));
        clock.advance(Duration.ofSeconds(1));
        assertNull(limits.admit(List.of(number(Duration.ofSeconds(30), 0))));
    }

    @Test
    void theDailyMaximumCountsARolling24Hours() {
        for (int i = 0; i < 5; i++) {
            assertNull(limits.admit(List.of(number(Duration.ZERO, 5))));
            clock.advance(Duration.ofHours(1));
        }
        assertEquals("number_daily_limit", limits.admit(List.of(number(Duration.ZERO, 5))));
        clock.advance(Duration.ofHours(19).plusSeconds(1)); // the first attempt is now more than 24 h old
        assertNull(limits.admit(List.of(number(Duration.ZERO, 5))));
        assertEquals("number_daily_limit", limits.admit(List.of(number(Duration.ZERO, 5))));
    }

    @Test
    void aRefusedAttemptIsNotCountedForAnyKey() {
        assertNull(limits.admit(List.of(clientIp(1))));
        // the number is fresh, but the client IP is spent: the number's count must not move
        assertEquals("metadata_daily_limit", limits.admit(List.of(number(Duration.ZERO, 1), clientIp(1))));
        assertNull(limits.admit(List.of(number(Duration.ZERO, 1))));
    }

    @Test
    void oldKeysAreForgotten() {
        limits.admit(List.of(number(Duration.ZERO, 5), clientIp(5)));
        clock.advance(Duration.ofHours(23));
        assertEquals(0, limits.forgetOldAttempts());
        clock.advance(Duration.ofHours(2));
        assertEquals(2, limits.forgetOldAttempts());
    }
}
