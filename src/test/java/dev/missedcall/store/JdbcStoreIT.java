package dev.missedcall.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.missedcall.testing.SharedPostgres;
import dev.missedcall.verification.VerificationLedger.RequestClaim;
import dev.missedcall.verification.VerificationLedger.VerifyClaim;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.OptimisticLockingAggregationRepository.OptimisticLockingException;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL store on a real server: the ledger's once-only claims (also under concurrency), the sweeper's leased
 * queries, the aggregation repository's optimistic locking and recovery, and Flyway's migrations. Every test gets a
 * fresh database, so the sweeper queries see only the rows the test wrote.
 */
@ExtendWith(SharedPostgres.class)
class JdbcStoreIT {

    private static final int THREADS = 8;

    private String url;
    private VerificationStore store;
    private JdbcVerificationLedger ledger;
    private final CamelContext camel = new DefaultCamelContext();
    private JdbcVerificationRepository repository;

    @BeforeEach
    void newStore() {
        url = SharedPostgres.newDatabase();
        store = new VerificationStore(url, "postgres", "postgres", THREADS + 2);
        store.start();
        ledger = new JdbcVerificationLedger(store.dataSource());
        repository = new JdbcVerificationRepository(store.dataSource(), 0);
    }

    @AfterEach
    void closeStore() {
        store.stop();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Map<String, Object> startCommand(String id) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("type", "START");
        command.put("verificationId", id);
        command.put("number", "+40743123456");
        command.put("platform", "android");
        command.put("timeoutSeconds", 40L);
        command.put("metadata", Map.of("signupId", "s-" + id));
        return command;
    }

    private static Map<String, Object> requestedSignal(String id, String validationId, long expiresAtMillis) {
        Map<String, Object> requested = new LinkedHashMap<>();
        requested.put("signal", "REQUESTED");
        requested.put("verificationId", id);
        requested.put("number", "+40743123456");
        requested.put("platform", "android");
        requested.put("metadata", Map.of("signupId", "s-" + id));
        requested.put("timeoutSeconds", 40L);
        requested.put("validationId", validationId);
        requested.put("pinHash", "6f82");
        requested.put("cliPrefix", null);
        requested.put("expiresAt", expiresAtMillis);
        return requested;
    }

    private static Map<String, Object> outcome(String id, String status, String reason) {
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("verificationId", id);
        outcome.put("status", status);
        outcome.put("number", "+40743123456");
        outcome.put("reason", reason);
        outcome.put("chargedAmount", null);
        outcome.put("completedAt", "2026-11-26T21:00:12.481Z");
        outcome.put("metadata", Map.of("signupId", "s-" + id));
        return outcome;
    }

    /** A verification that CheckMobi accepted: CLAIMED, then REQUESTED with this deadline. */
    private Map<String, Object> requestedVerification(String id, long expiresAtMillis) {
        assertEquals(RequestClaim.CLAIMED, ledger.claimRequest(startCommand(id)));
        Map<String, Object> requested = requestedSignal(id, "RCL-" + id, expiresAtMillis);
        ledger.recordRequested(requested);
        return requested;
    }

    /** Runs the same call from {@link #THREADS} threads released together; returns every thread's result. */
    private static <T> List<T> atOnce(Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier barrier = new CyclicBarrier(THREADS);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                futures.add(pool.submit(() -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    return call.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> Map<T, Long> counts(List<T> results) {
        return results.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private String stateOf(String verificationId) throws SQLException {
        return queryString("select state from verification where verification_id = ?", verificationId);
    }

    private String queryString(String sql, String parameter) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setString(1, parameter);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private long count(String sql) throws SQLException {
        return Long.parseLong(queryString(sql, null));
    }

    private static Set<Object> ids(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> row.get("verificationId")).collect(Collectors.toSet());
    }

    // ------------------------------------------------------------------------------------------------ ledger

    @Test
    void aRequestIsClaimedOnceThenEveryStartIsADuplicate() throws Exception {
        assertEquals(RequestClaim.CLAIMED, ledger.claimRequest(startCommand("v-claim")));
        assertEquals(RequestClaim.DUPLICATE, ledger.claimRequest(startCommand("v-claim")));
        assertEquals(RequestClaim.DUPLICATE, ledger.claimRequest(startCommand("v-claim")));
        assertEquals("CLAIMED", stateOf("v-claim"));
        // another verification id is not affected
        assertEquals(RequestClaim.CLAIMED, ledger.claimRequest(startCommand("v-other")));
    }

    @Test
    void aCancelBeforeTheStartMakesTheStartCancelledOnce() throws Exception {
        ledger.recordCancel("v-cancel-first");
        assertEquals("CANCELLED_BEFORE_START", stateOf("v-cancel-first"));

        assertEquals(RequestClaim.CANCELLED, ledger.claimRequest(startCommand("v-cancel-first")));
        assertEquals(RequestClaim.DUPLICATE, ledger.claimRequest(startCommand("v-cancel-first")));
    }

    @Test
    void aCancelAfterTheStartDoesNotUndoTheClaim() throws Exception {
        assertEquals(RequestClaim.CLAIMED, ledger.claimRequest(startCommand("v-cancel-late")));
        ledger.recordCancel("v-cancel-late");
        assertEquals("CLAIMED", stateOf("v-cancel-late"));
        assertEquals(RequestClaim.DUPLICATE, ledger.claimRequest(startCommand("v-cancel-late")));
    }

    @Test
    void eightConcurrentStartsClaimTheRequestExactlyOnce() throws Exception {
        List<RequestClaim> claims = atOnce(() -> ledger.claimRequest(startCommand("v-race")));

        assertEquals(Map.of(RequestClaim.CLAIMED, 1L, RequestClaim.DUPLICATE, (long) THREADS - 1), counts(claims));
    }

    @Test
    void eightConcurrentStartsAfterACancelAreCancelledExactlyOnce() throws Exception {
        ledger.recordCancel("v-race-cancel");
        List<RequestClaim> claims = atOnce(() -> ledger.claimRequest(startCommand("v-race-cancel")));

        assertEquals(Map.of(RequestClaim.CANCELLED, 1L, RequestClaim.DUPLICATE, (long) THREADS - 1),
                counts(claims));
    }

    @Test
    void theVerifyIsSentOnceThenItIsInProgress() throws Exception {
        requestedVerification("v-verify", System.currentTimeMillis() + 40_000);
        assertEquals("REQUESTED", stateOf("v-verify"));

        assertEquals(VerifyClaim.SEND, ledger.claimVerify("v-verify", "RCL-v-verify", "VERIFY_DIGITS"));
        assertEquals(VerifyClaim.IN_PROGRESS, ledger.claimVerify("v-verify", "RCL-v-verify", "TIMED_OUT"));
        assertEquals("VERIFY_CLAIMED", stateOf("v-verify"));
        assertEquals("VERIFY_DIGITS",
                queryString("select verify_intent from verification where verification_id = ?", "v-verify"),
                "the first claim's intent stands");
    }

    @Test
    void eightConcurrentCompletionsSendTheVerifyExactlyOnce() throws Exception {
        requestedVerification("v-verify-race", System.currentTimeMillis() + 40_000);

        List<VerifyClaim> claims = atOnce(() -> ledger.claimVerify("v-verify-race", "RCL-v-verify-race",
                "VERIFY_DIGITS"));

        assertEquals(Map.of(VerifyClaim.SEND, 1L, VerifyClaim.IN_PROGRESS, (long) THREADS - 1), counts(claims));
    }

    @Test
    void concurrentCompletionsOfAVerificationWithoutLedgerRowSendTheVerifyExactlyOnce() throws Exception {
        // claimVerify inserts the row when there is none (a verification the ledger never saw): the claim must stay
        // once-only there too, and every other caller must get an answer (IN_PROGRESS), not a store failure.
        // To make the race certain rather than likely, another transaction holds an uncommitted row with the same id:
        // every claim finds no row and waits at its insert; the row is then rolled back, releasing them together.
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (Connection blocker = store.dataSource().getConnection()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement insert = blocker.prepareStatement(
                    "insert into verification (verification_id, state) values ('v-no-row', 'CLAIMED')")) {
                insert.executeUpdate();
            }
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                futures.add(pool.submit(() -> {
                    try {
                        return ledger.claimVerify("v-no-row", "RCL-v-no-row", "VERIFY_DIGITS");
                    } catch (StoreUnavailableException e) {
                        return "store failure: " + e.getMessage();
                    }
                }));
            }
            long waitUntil = System.currentTimeMillis() + 10_000;
            while (count("select count(*) from pg_stat_activity where datname = current_database()"
                    + " and wait_event_type = 'Lock'") < THREADS) {
                assertTrue(System.currentTimeMillis() < waitUntil, "the claims never reached their insert");
                Thread.sleep(20);
            }
            blocker.rollback();
            blocker.setAutoCommit(true);

            List<Object> claims = new ArrayList<>();
            for (Future<Object> future : futures) {
                claims.add(future.get(30, TimeUnit.SECONDS));
            }
            assertEquals(Map.of(VerifyClaim.SEND, 1L, VerifyClaim.IN_PROGRESS, (long) THREADS - 1), counts(claims));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theFirstOutcomeStandsAndEndsTheVerify() throws Exception {
        requestedVerification("v-end", System.currentTimeMillis() + 40_000);
        assertNull(ledger.outcome("v-end"), "no outcome before the end");
        Map<String, Object> verified = outcome("v-end", "VERIFIED", null);
        Map<String, Object> failed = outcome("v-end", "FAILED", "checkmobi_unavailable");

        assertEquals(verified, ledger.end("v-end", verified));
        assertEquals(verified, ledger.end("v-end", failed), "a second end returns the first outcome");
        assertEquals(verified, ledger.outcome("v-end"));
        assertEquals("ENDED", stateOf("v-end"));
        assertEquals(VerifyClaim.ENDED, ledger.claimVerify("v-end", "RCL-v-end", "TIMED_OUT"));
        assertEquals(RequestClaim.DUPLICATE, ledger.claimRequest(startCommand("v-end")));
    }

    @Test
    void concurrentEndsAllReturnTheOneOutcomeThatStands() throws Exception {
        requestedVerification("v-end-race", System.currentTimeMillis() + 40_000);
        String[] statuses = {"VERIFIED", "NOT_VERIFIED", "TIMED_OUT", "CANCELLED", "FAILED", "REJECTED",
                "VERIFIED", "FAILED"};
        AtomicInteger next = new AtomicInteger();

        List<Map<String, Object>> standing = atOnce(() -> ledger.end("v-end-race",
                outcome("v-end-race", statuses[next.getAndIncrement()], null)));

        assertEquals(1, Set.copyOf(standing).size(), "every end returns the same outcome: " + standing);
        assertEquals(standing.get(0), ledger.outcome("v-end-race"));
    }

    @Test
    void anEndWithoutAnyEarlierRecordIsKept() {
        Map<String, Object> failed = outcome("v-end-only", "FAILED", "request_interrupted");
        assertEquals(failed, ledger.end("v-end-only", failed));
        assertEquals(failed, ledger.outcome("v-end-only"));
    }

    @Test
    void overdueRequestsAreLeasedToOneCallerUntilTheLeaseEnds() throws Exception {
        long now = System.currentTimeMillis();
        Map<String, Object> late = requestedVerification("v-overdue", now - 60_000);
        requestedVerification("v-in-grace", now - 2_000);
        requestedVerification("v-running", now + 60_000);
        // past its deadline but its verify is claimed: not the sweeper's
        requestedVerification("v-verifying", now - 60_000);
        assertEquals(VerifyClaim.SEND, ledger.claimVerify("v-verifying", "RCL-v-verifying", "TIMED_OUT"));
        // past its deadline but ended
        requestedVerification("v-ended", now - 60_000);
        ledger.end("v-ended", outcome("v-ended", "VERIFIED", null));

        Duration grace = Duration.ofSeconds(30);
        Duration lease = Duration.ofMillis(1_500);

        assertEquals(List.of(late), ledger.overdue(grace, lease, 10), "the REQUESTED signal of the overdue one");
        assertEquals(List.of(), ledger.overdue(grace, lease, 10), "leased: a second sweep does not get it");

        Thread.sleep(lease.toMillis() + 300);
        assertEquals(List.of(late), ledger.overdue(grace, lease, 10), "again once the lease has ended");
        assertEquals(List.of(), ledger.overdue(grace, lease, 10));
    }

    @Test
    void overdueHonoursTheLimit() {
        long past = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < 5; i++) {
            requestedVerification("v-many-" + i, past);
        }
        Duration lease = Duration.ofMinutes(1);
        assertEquals(3, ledger.overdue(Duration.ZERO, lease, 3).size());
        assertEquals(2, ledger.overdue(Duration.ZERO, lease, 3).size(), "the rest, not the leased ones");
        assertEquals(0, ledger.overdue(Duration.ZERO, lease, 3).size());
    }

    @Test
    void interruptedCallsAreTheClaimedOnesWithoutAResult() throws Exception {
        Map<String, Object> command = startCommand("v-request-interrupted");
        assertEquals(RequestClaim.CLAIMED, ledger.claimRequest(command));
        Map<String, Object> requested = requestedVerification("v-verify-interrupted",
                System.currentTimeMillis() + 40_000);
        assertEquals(VerifyClaim.SEND, ledger.claimVerify("v-verify-interrupted", "RCL-v-verify-interrupted",
                "TIMED_OUT"));
        requestedVerification("v-requested", System.currentTimeMillis() + 40_000);
        requestedVerification("v-ended", System.currentTimeMillis() + 40_000);
        ledger.end("v-ended", outcome("v-ended", "VERIFIED", null));
        ledger.recordCancel("v-cancelled");

        Duration lease = Duration.ofSeconds(30);
        assertEquals(List.of(), ledger.interrupted(Duration.ofHours(1), lease, 10), "nothing is that old");

        Thread.sleep(100);
        List<Map<String, Object>> found = ledger.interrupted(Duration.ofMillis(20), lease, 10);

        assertEquals(Set.of("v-request-interrupted", "v-verify-interrupted"), ids(found));
        Map<Object, Map<String, Object>> byId = found.stream()
                .collect(Collectors.toMap(row -> row.get("verificationId"), row -> row));
        Map<String, Object> request = byId.get("v-request-interrupted");
        assertEquals("CLAIMED", request.get("ledgerState"));
        assertNull(request.get("verifyIntent"));
        assertEquals(command, request.get("requested"), "the START command when the request has no result");
        Map<String, Object> verify = byId.get("v-verify-interrupted");
        assertEquals("VERIFY_CLAIMED", verify.get("ledgerState"));
        assertEquals("TIMED_OUT", verify.get("verifyIntent"));
        assertEquals(requested, verify.get("requested"), "the REQUESTED signal");

        assertEquals(List.of(), ledger.interrupted(Duration.ofMillis(20), lease, 10), "leased");
    }

    @Test
    void unpublishedOutcomesAreTheEndedOnesKafkaNeverAcknowledged() throws Exception {
        Map<String, Object> notAcknowledged = outcome("v-unpublished", "TIMED_OUT", "no_caller_id");
        requestedVerification("v-unpublished", System.currentTimeMillis() - 60_000);
        ledger.end("v-unpublished", notAcknowledged);
        requestedVerification("v-published", System.currentTimeMillis() - 60_000);
        ledger.end("v-published", outcome("v-published", "VERIFIED", null));
        ledger.markPublished("v-published");
        requestedVerification("v-running", System.currentTimeMillis() + 60_000);

        Duration lease = Duration.ofMillis(1_000);
        assertEquals(List.of(), ledger.unpublished(Duration.ofHours(1), lease, 10), "too recent to republish");

        Thread.sleep(100);
        assertEquals(List.of(notAcknowledged), ledger.unpublished(Duration.ofMillis(20), lease, 10));
        assertEquals(List.of(), ledger.unpublished(Duration.ofMillis(20), lease, 10), "leased");

        // the republication was acknowledged: after the lease it is not handed out again
        ledger.markPublished("v-unpublished");
        Thread.sleep(lease.toMillis() + 300);
        assertEquals(List.of(), ledger.unpublished(Duration.ofMillis(20), lease, 10));
    }

    @Test
    void anUnacknowledgedOutcomeIsHandedOutAgainAfterTheLease() throws Exception {
        Map<String, Object> notAcknowledged = outcome("v-retry", "NOT_VERIFIED", "pin_mismatch");
        requestedVerification("v-retry", System.currentTimeMillis() + 40_000);
        ledger.end("v-retry", notAcknowledged);
        Thread.sleep(100);

        Duration lease = Duration.ofMillis(1_000);
        assertEquals(List.of(notAcknowledged), ledger.unpublished(Duration.ofMillis(20), lease, 10));
        Thread.sleep(lease.toMillis() + 300);
        assertEquals(List.of(notAcknowledged), ledger.unpublished(Duration.ofMillis(20), lease, 10));
    }
    // ------------------------------------------------------------------------------------------------ repository

    private Exchange exchange(String verificationId, String digits) {
        Exchange exchange = new DefaultExchange(camel);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("verificationId", verificationId);
        state.put("digits", digits);
        exchange.getMessage().setBody(state);
        return exchange;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> body(Exchange exchange) {
        return exchange.getMessage().getBody(Map.class);
    }

    private long version(Exchange exchange) {
        return exchange.getProperty(JdbcVerificationRepository.VERSION, Long.class);
    }

    @Test
    void aNewGroupIsInsertedOnceAndReadBack() {
        Exchange first = exchange("v-1", "0811");

        assertNull(repository.add(camel, "v-1", null, first));
        assertEquals(1L, version(first));

        Exchange stored = repository.get(camel, "v-1");
        assertNotNull(stored);
        assertEquals(Map.of("verificationId", "v-1", "digits", "0811"), body(stored));
        assertEquals(first.getExchangeId(), stored.getExchangeId());
        assertEquals(1L, version(stored));
        assertEquals("v-1", stored.getMessage().getHeader("verificationId"));
        assertNull(repository.get(camel, "v-unknown"));
    }

    @Test
    void aSecondInsertOfTheSameKeyFailsAndChangesNothing() {
        repository.add(camel, "v-1", null, exchange("v-1", "0811"));

        assertThrows(OptimisticLockingException.class,
                () -> repository.add(camel, "v-1", null, exchange("v-1", "9999")));

        Exchange stored = repository.get(camel, "v-1");
        assertEquals("0811", body(stored).get("digits"));
        assertEquals(1L, version(stored));
    }

    @Test
    void concurrentInsertsOfTheSameKeyLetExactlyOneWin() throws Exception {
        List<String> results = atOnce(() -> {
            try {
                repository.add(camel, "v-race", null, exchange("v-race", "0811"));
                return "inserted";
            } catch (OptimisticLockingException e) {
                return "locked";
            }
        });
        assertEquals(Map.of("inserted", 1L, "locked", (long) THREADS - 1), counts(results));
    }

    @Test
    void anUpdateFromTheCurrentVersionBumpsIt() {
        repository.add(camel, "v-1", null, exchange("v-1", null));
        Exchange current = repository.get(camel, "v-1");
        Exchange next = exchange("v-1", "0811");

        assertSame(current, repository.add(camel, "v-1", current, next));
        assertEquals(2L, version(next));

        Exchange stored = repository.get(camel, "v-1");
        assertEquals(2L, version(stored));
        assertEquals("0811", body(stored).get("digits"));
        assertEquals(next.getExchangeId(), stored.getExchangeId());

        // the aggregator's own pattern: the strategy returns the old exchange with the merged state
        body(stored).put("digits", "1234");
        repository.add(camel, "v-1", stored, stored);
        assertEquals(3L, version(stored));
        assertEquals("1234", body(repository.get(camel, "v-1")).get("digits"));
    }

    @Test
    void anUpdateFromAStaleVersionFailsAndKeepsTheNewerState() {
        repository.add(camel, "v-1", null, exchange("v-1", null));
        Exchange readByOne = repository.get(camel, "v-1");
        Exchange readByOther = repository.get(camel, "v-1");
        repository.add(camel, "v-1", readByOne, exchange("v-1", "0811"));

        assertThrows(OptimisticLockingException.class,
                () -> repository.add(camel, "v-1", readByOther, exchange("v-1", "9999")));

        Exchange stored = repository.get(camel, "v-1");
        assertEquals("0811", body(stored).get("digits"));
        assertEquals(2L, version(stored));
    }

    @Test
    void aStaleRemoveFailsAndLeavesThePendingGroup() {
        repository.add(camel, "v-1", null, exchange("v-1", null));
        Exchange stale = repository.get(camel, "v-1");
        Exchange current = repository.get(camel, "v-1");
        repository.add(camel, "v-1", current, exchange("v-1", "0811"));

        assertThrows(OptimisticLockingException.class, () -> repository.remove(camel, "v-1", stale));

        assertEquals(Set.of("v-1"), repository.getKeys());
        Exchange stored = repository.get(camel, "v-1");
        assertEquals("0811", body(stored).get("digits"));
        assertEquals(2L, version(stored));
        assertEquals(Set.of(), repository.scan(camel), "nothing was moved to the completed groups");
    }

    @Test
    void aRemoveMovesTheGroupToTheCompletedOnesUntilConfirmed() {
        repository.add(camel, "v-1", null, exchange("v-1", null));
        Exchange current = repository.get(camel, "v-1");
        body(current).put("digits", "0811");
        current.setProperty(ExchangePropertyKey.AGGREGATED_COMPLETED_BY, "predicate");

        repository.remove(camel, "v-1", current);

        assertNull(repository.get(camel, "v-1"));
        assertEquals(Set.of(), repository.getKeys());
        assertEquals(Set.of(current.getExchangeId()), repository.scan(camel));

        Exchange recovered = repository.recover(camel, current.getExchangeId());
        assertNotNull(recovered);
        assertEquals(current.getExchangeId(), recovered.getExchangeId());
        assertEquals(Map.of("verificationId", "v-1", "digits", "0811"), body(recovered));
        assertEquals("v-1", recovered.getMessage().getHeader("verificationId"));
        assertEquals("predicate",
                recovered.getProperty(ExchangePropertyKey.AGGREGATED_COMPLETED_BY, String.class));

        assertTrue(repository.confirmWithResult(camel, current.getExchangeId()));
        assertEquals(Set.of(), repository.scan(camel));
        assertNull(repository.recover(camel, current.getExchangeId()));
        assertFalse(repository.confirmWithResult(camel, current.getExchangeId()), "confirmed already");
    }

    @Test
    void aRecoveredGroupCompletedByTimeoutSaysSoAndOneWithoutReasonSaysNothing() {
        repository.add(camel, "v-timeout", null, exchange("v-timeout", null));
        Exchange timedOut = repository.get(camel, "v-timeout");
        timedOut.setProperty(ExchangePropertyKey.AGGREGATED_COMPLETED_BY, "timeout");
        repository.remove(camel, "v-timeout", timedOut);
        repository.add(camel, "v-plain", null, exchange("v-plain", "0811"));
        Exchange plain = repository.get(camel, "v-plain");
        repository.remove(camel, "v-plain", plain);

        assertEquals(Set.of(timedOut.getExchangeId(), plain.getExchangeId()), repository.scan(camel));
        assertEquals("timeout", repository.recover(camel, timedOut.getExchangeId())
                .getProperty(ExchangePropertyKey.AGGREGATED_COMPLETED_BY, String.class));
        assertNull(repository.recover(camel, plain.getExchangeId())
                .getProperty(ExchangePropertyKey.AGGREGATED_COMPLETED_BY));

        repository.confirm(camel, plain.getExchangeId());
        assertEquals(Set.of(timedOut.getExchangeId()), repository.scan(camel));
    }

    @Test
    void aCompletionYoungerThanRecoverAfterIsNotRecoveredYet() {
        JdbcVerificationRepository patient = new JdbcVerificationRepository(store.dataSource(), 60_000);
        repository.add(camel, "v-1", null, exchange("v-1", "0811"));
        Exchange current = repository.get(camel, "v-1");
        repository.remove(camel, "v-1", current);

        assertEquals(Set.of(), patient.scan(camel), "a completion that may still be running is left alone");
        assertEquals(Set.of(current.getExchangeId()), repository.scan(camel));
    }

    @Test
    void getKeysListsThePendingGroups() {
        assertEquals(Set.of(), repository.getKeys());
        repository.add(camel, "v-a", null, exchange("v-a", null));
        repository.add(camel, "v-b", null, exchange("v-b", null));
        repository.add(camel, "v-c", null, exchange("v-c", null));
        repository.remove(camel, "v-b", repository.get(camel, "v-b"));

        assertEquals(Set.of("v-a", "v-c"), repository.getKeys());
    }

    @Test
    void thePlainAddUpsertsTheGroup() {
        repository.add(camel, "v-1", exchange("v-1", null));
        repository.add(camel, "v-1", exchange("v-1", "0811"));

        Exchange stored = repository.get(camel, "v-1");
        assertEquals("0811", body(stored).get("digits"));
        assertEquals(2L, version(stored));
    }
    // ------------------------------------------------------------------------------------------------ migrations

    @Test
    void aSecondStoreOnTheSameDatabaseFindsTheSchemaCurrent() throws Exception {
        assertEquals(RequestClaim.CLAIMED, ledger.claimRequest(startCommand("v-before-restart")));

        VerificationStore second = new VerificationStore(url, "postgres", "postgres", 2);
        second.start();
        try {
            JdbcVerificationLedger secondLedger = new JdbcVerificationLedger(second.dataSource());
            assertEquals(RequestClaim.DUPLICATE, secondLedger.claimRequest(startCommand("v-before-restart")),
                    "the data written before is still there");
            assertEquals(1, count("select count(*) from flyway_schema_history where success and version = '1'"));
            assertEquals(0, count("select count(*) from flyway_schema_history where not success"));
        } finally {
            second.stop();
        }
    }

    @Test
    void storesStartedTogetherMigrateOnce() throws Exception {
        String fresh = SharedPostgres.newDatabase();
        List<String> started = atOnce(() -> {
            // two connections: Flyway needs a second one besides the one it holds for its lock
            VerificationStore concurrent = new VerificationStore(fresh, "postgres", "postgres", 2);
            concurrent.start();
            concurrent.stop();
            return "started";
        });
        assertEquals(THREADS, started.size());

        VerificationStore check = new VerificationStore(fresh, "postgres", "postgres", 2);
        check.start();
        try (Connection connection = check.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "select count(*) from flyway_schema_history where success and version = '1'");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            assertEquals(1, rows.getLong(1));
        } finally {
            check.stop();
        }
    }

}
