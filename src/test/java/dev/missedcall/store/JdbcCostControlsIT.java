package dev.missedcall.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.missedcall.policy.AttemptLimits.Limit;
import dev.missedcall.testing.SharedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The store's share of the cost controls on a real PostgreSQL: attempt limits that two instances (two pools) admit
 * against at the same moment, the day's spend, and the typed-PIN count.
 */
@ExtendWith(SharedPostgres.class)
class JdbcCostControlsIT {

    private static final int THREADS = 8;

    private String url;
    private VerificationStore first;
    private VerificationStore second;

    @BeforeEach
    void twoInstancesOnOneDatabase() {
        url = SharedPostgres.newDatabase();
        first = new VerificationStore(url, "postgres", "postgres", THREADS);
        first.start();
        second = new VerificationStore(url, "postgres", "postgres", THREADS);
        second.start();
    }

    @AfterEach
    void closeStores() {
        first.stop();
        second.stop();
    }

    private static Limit number(Duration cooldown, int dailyMax) {
        return new Limit("number:+40743123456", cooldown, dailyMax, "number_cooldown", "number_daily_limit");
    }

    private static Limit clientIp(int dailyMax) {
        return new Limit("metadata:clientIp=192.0.2.1", Duration.ZERO, dailyMax, "metadata_cooldown",
                "metadata_daily_limit");
    }

    @Test
    void sixteenConcurrentAdmissionsFromTwoInstancesAdmitExactlyTheDailyMaximum() throws Exception {
        List<JdbcAttemptLimits> instances = List.of(new JdbcAttemptLimits(first.dataSource()),
                new JdbcAttemptLimits(second.dataSource()));
        CyclicBarrier together = new CyclicBarrier(2 * THREADS);
        ExecutorService threads = Executors.newFixedThreadPool(2 * THREADS);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 2 * THREADS; i++) {
                JdbcAttemptLimits limits = instances.get(i % 2);
                Callable<String> admit = () -> {
                    together.await();
                    return limits.admit(List.of(number(Duration.ZERO, 3)));
                };
                answers.add(threads.submit(admit));
            }
            int admitted = 0;
            for (Future<String> answer : answers) {
                String refusal = answer.get();
                if (refusal == null) {
                    admitted++;
                } else {
                    assertEquals("number_daily_limit", refusal);
                }
            }
            assertEquals(3, admitted);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theCooldownRunsOnTheDatabasesClock() throws Exception {
        JdbcAttemptLimits limits = new JdbcAttemptLimits(first.dataSource());
        assertNull(limits.admit(List.of(number(Duration.ofSeconds(2), 0))));
        assertEquals("number_cooldown",
                new JdbcAttemptLimits(second.dataSource()).admit(List.of(number(Duration.ofSeconds(2), 0))));
        Thread.sleep(2_100);
        assertNull(limits.admit(List.of(number(Duration.ofSeconds(2), 0))));
    }

    @Test
    void aRefusalCountsForNoKey() {
        JdbcAttemptLimits limits = new JdbcAttemptLimits(first.dataSource());
        assertNull(limits.admit(List.of(clientIp(1))));
        assertEquals("metadata_daily_limit", limits.admit(List.of(number(Duration.ZERO, 1), clientIp(1))));
        assertNull(limits.admit(List.of(number(Duration.ZERO, 1))), "the refused attempt did not count");
    }

    @Test
    void attemptsOlderThanADayAreForgotten() throws Exception {
        JdbcAttemptLimits limits = new JdbcAttemptLimits(first.dataSource());
        limits.admit(List.of(number(Duration.ZERO, 2)));
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("update verification_attempt set attempted_at = now() - interval '25 hours'");
        }
        limits.admit(List.of(number(Duration.ZERO, 2)));
        assertNull(limits.admit(List.of(number(Duration.ZERO, 2))), "the day-old attempt no longer counts");
        assertEquals(0, limits.forgetOldAttempts(), "admitting the key again already dropped its old attempt");
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("update verification_attempt set attempted_at = now() - interval '25 hours'");
        }
        assertEquals(2, limits.forgetOldAttempts());
    }

    private static Map<String, Object> outcome(String id, double charged) {
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("verificationId", id);
        outcome.put("status", "VERIFIED");
        outcome.put("chargedAmount", charged);
        return outcome;
    }

    @Test
    void theDaysSpendSumsEachOutcomeOnceAcrossInstances() {
        JdbcVerificationLedger one = new JdbcVerificationLedger(first.dataSource());
        JdbcVerificationLedger other = new JdbcVerificationLedger(second.dataSource());
        one.end("v-1", outcome("v-1", 0.05));
        other.end("v-1", outcome("v-1", 0.05)); // the same outcome kept again (a recovery): not charged twice
        other.end("v-2", outcome("v-2", 0.10));
        one.end("v-3", outcome("v-3", 0.0));
        assertEquals(0.15, one.chargedToday(), 1e-9);
        assertEquals(0.15, other.chargedToday(), 1e-9);
    }

    @Test
    void typedPinRejectionsAreCountedPerVerification() {
        JdbcVerificationLedger ledger = new JdbcVerificationLedger(first.dataSource());
        Map<String, Object> command = new LinkedHashMap<>(Map.of("verificationId", "v-pin", "number", "+40743123456"));
        ledger.claimRequest(command);
        assertNull(ledger.ringing("v-pin"), "not ringing before CheckMobi accepted the request");
        Map<String, Object> requested = new LinkedHashMap<>(Map.of("verificationId", "v-pin", "validationId",
                "RCL-PIN", "expiresAt", System.currentTimeMillis() + 40_000, "pinHash", "abc"));
        ledger.recordRequested(requested);
        assertEquals("abc", ledger.ringing("v-pin").get("pinHash"));
        assertEquals(1, ledger.countPinRejection("v-pin"));
        assertEquals(2, new JdbcVerificationLedger(second.dataSource()).countPinRejection("v-pin"));
        ledger.claimVerify("v-pin", "RCL-PIN", "NOT_VERIFIED");
        assertNull(ledger.ringing("v-pin"), "no longer ringing once the verify is claimed");
    }
}
