package dev.missedcall.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.missedcall.CamelConfiguration;
import dev.missedcall.testing.SharedPostgres;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.processor.aggregate.AggregateProcessor;
import dev.missedcall.testing.Pipeline;
import dev.missedcall.testing.RealRoutesTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real YAML routes and beans with the PostgreSQL store, Kafka and CheckMobi replaced at their edges: what happens
 * to a verification whose completion (Verify PIN, outcome) fails downstream. Two mechanisms can deliver an outcome
 * that Kafka did not acknowledge:
 * <ul>
 *   <li>the aggregator's recovery: the completed group stays in {@code verification_completed} until its completion
 *   succeeds, and is recovered (run through {@code complete-verification} again) once it is older than the
 *   repository's {@code recoverAfterMillis}; CamelConfiguration uses 60 s;</li>
 *   <li>the sweeper: ledger rows ENDED but not published are republished 10 s after the end (Sweeper's
 *   REPUBLISH_AFTER), each row leased for 10 s per attempt.</li>
 * </ul>
 * Every outcome publication attempt is tagged with the mechanism that made it ({@link #VIA}), so each test can say
 * which one delivered the outcome.
 */
@ExtendWith(SharedPostgres.class)
class CompletionRecoveryIT extends RealRoutesTestSupport {

    private static final String OUTCOMES_TOPIC = "verification.outcomes";
    /** Exchange property: which mechanism is publishing the outcome. */
    private static final String VIA = "test.outcomeVia";

    private String databaseUrl;
    private VerificationStore testStore;

    /** How many of the next outcome publications Kafka "fails" (no acknowledgement). */
    private final AtomicInteger outcomePublicationsToFail = new AtomicInteger();
    /** Every outcome publication attempt, as {@code <mechanism>:ok|failed}, in order. */
    private final List<String> outcomeAttempts = new CopyOnWriteArrayList<>();
    /** Every run of complete-verification: {@code completion} or {@code recovery-<n>}. */
    private final List<String> completionRuns = new CopyOnWriteArrayList<>();
    private final AtomicInteger requestAttempts = new AtomicInteger();
    private final AtomicInteger verifyAttempts = new AtomicInteger();
    private volatile Processor verifyPin;

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        databaseUrl = SharedPostgres.newDatabase();
        Properties properties = testProperties("completion-recovery-test-key");
        properties.put("verification.store.url", databaseUrl);
        properties.put("verification.store.user", "postgres");
        properties.put("verification.store.password", "postgres");
        properties.put("verification.sweeper.interval", "500");
        return properties;
    }

    @AfterEach
    void stopTestStore() {
        if (testStore != null) {
            testStore.stop();
        }
    }

    /**
     * Advises the routes and starts them.
     *
     * @param recoverAfterMillis null for the repository CamelConfiguration makes (60 s); otherwise the aggregator gets
     *                           a repository on the same database that recovers completions this much sooner
     */
    private void startRoutes(Long recoverAfterMillis) throws Exception {
        AdviceWith.adviceWith(context, "command-intake", route -> route.replaceFromWith("direct:commands"));
        AdviceWith.adviceWith(context, "callerid-intake", route -> route.replaceFromWith("direct:callerid"));
        AdviceWith.adviceWith(context, "checkmobi-http", route ->
                route.weaveById("checkmobi-call").replace().process(exchange -> {
                    String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
                    if (path.equals("/validation/request")) {
                        requestAttempts.incrementAndGet();
                        // pin_hash: SHA-1 of "811", the last 3 digits of the caller IDs these tests report
                        answer(200, "{\"id\":\"RCL-RECOVERY\",\"type\":\"reverse_cli\",\"pin_hash\":"
                                + "\"6f8246002c1c5967ffc5e0ec80f2d7b59a60b1e3\",\"cli_prefix\":\"+4420794\"}")
                                .process(exchange);
                    } else {
                        assertEquals("/validation/verify", path);
                        verifyAttempts.incrementAndGet();
                        template.sendBody("mock:verify-sent", exchange.getMessage().getBody(String.class));
                        verifyPin.process(exchange);
                    }
                }));
        AdviceWith.adviceWith(context, "publish", route ->
                route.weaveById("publish-record").replace().process(this::kafkaSend).to("mock:published"));
        AdviceWith.adviceWith(context, "dead-letter", route ->
                route.weaveById("dead-letter-publish").replace().to("mock:dlq"));
        AdviceWith.adviceWith(context, "completion-dead-letter", route ->
                route.weaveByToUri("kafka:*").replace().to("mock:completion-dlq"));
        // tag who publishes: the aggregator's completion (recovered ones carry CamelRedeliveryCounter) or the sweeper
        AdviceWith.adviceWith(context, "complete-verification", route -> route.weaveAddFirst().process(exchange -> {
            Integer recovery = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
            String via = recovery == null ? "completion" : "recovery-" + recovery;
            exchange.setProperty(VIA, via);
            completionRuns.add(via);
        }));
        AdviceWith.adviceWith(context, "sweep-unpublished", route ->
                route.weaveByToUri("direct:publish-outcome").before().process(e -> e.setProperty(VIA, "sweeper")));

        JdbcVerificationRepository repository = null;
        if (recoverAfterMillis != null) {
            // the same class and settings as CamelConfiguration, but a shorter recoverAfterMillis (a constructor
            // argument there, fixed at 60 s); bound before the routes are built, so the aggregator takes this one
            testStore = new VerificationStore(databaseUrl, "postgres", "postgres", 4);
            testStore.start();
            repository = new JdbcVerificationRepository(testStore.dataSource(), recoverAfterMillis);
            repository.setRecoveryInterval(500);
            repository.setMaximumRedeliveries(5);
            repository.setDeadLetterUri("direct:completion-dead-letter");
            context.getRegistry().bind("verificationRepository", repository);
        }
        verifyPin = answer(200, "{\"number\":\"+40743123456\",\"validated\":true,\"validation_date\":1416946931,"
                + "\"charged_amount\":0.0}");
        context.start();

        AggregateProcessor aggregator = (AggregateProcessor) context.getProcessor("verification-aggregate");
        if (repository != null) {
            assertSame(repository, aggregator.getAggregationRepository(), "the aggregator uses the test repository");
        } else {
            assertTrue(aggregator.getAggregationRepository() instanceof JdbcVerificationRepository,
                    "the PostgreSQL store is in use");
        }
    }

    /** The stand-in for the Kafka producer: outcome publications fail while {@link #outcomePublicationsToFail} lasts. */
    private void kafkaSend(Exchange exchange) {
        if (!OUTCOMES_TOPIC.equals(exchange.getMessage().getHeader("kafka.OVERRIDE_TOPIC"))) {
            return;
        }
        String via = exchange.getProperty(VIA, "unknown", String.class);
        if (outcomePublicationsToFail.getAndDecrement() > 0) {
            outcomeAttempts.add(via + ":failed");
            throw new org.apache.kafka.common.errors.TimeoutException(
                    "test: the outcome record was not acknowledged in time");
        }
        outcomeAttempts.add(via + ":ok");
    }

    private static Processor answer(int status, String body) {
        return exchange -> {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            exchange.getMessage().setBody(body);
        };
    }

    private void start(String id) {
        template.sendBody("direct:commands", ("{\"type\":\"START\",\"verificationId\":\"" + id
                + "\",\"number\":\"+40743123456\",\"platform\":\"android\",\"timeoutSeconds\":120,"
                + "\"metadata\":{\"signupId\":\"s-1\"}}").getBytes(StandardCharsets.UTF_8));
    }

    private void callerId(String id, String pin) {
        template.sendBody("direct:callerid",
                ("{\"verificationId\":\"" + id + "\",\"pin\":\"" + pin + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private List<Map<String, Object>> publishedOutcomes() {
        return getMockEndpoint("mock:published").getExchanges().stream()
                .filter(e -> OUTCOMES_TOPIC.equals(e.getMessage().getHeader("kafka.OVERRIDE_TOPIC")))
                .map(e -> Pipeline.parse(e.getMessage().getBody(byte[].class)))
                .toList();
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "postgres");
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private String ledgerRow(String verificationId) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "postgres");
             PreparedStatement statement = connection.prepareStatement(
                     "select state, published from verification where verification_id = ?")) {
            statement.setString(1, verificationId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) + (rows.getBoolean(2) ? ",published" : ",unpublished") : null;
            }
        }
    }

    private void assertOneVerifyWithTheDigits() {
        assertEquals(List.of(Map.of("id", "RCL-RECOVERY", "pin", "0811", "use_server_hangup", true)), verifiesSent());
        assertEquals(1, verifyAttempts.get());
        assertEquals(1, requestAttempts.get());
    }

    /** An ended verification nobody will touch again: outcome acknowledged, completion confirmed, nothing pending. */
    private void awaitSettled(String id, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertEquals("ENDED,published", ledgerRow(id));
            assertEquals(0, count("select count(*) from verification_completed"), "completion confirmed");
            assertEquals(0, count("select count(*) from verification_pending"));
        });
    }

    @Test
    void anOutcomeKafkaDidNotAcknowledgeIsRepublishedByTheSweeperOnce() throws Exception {
        // production wiring: the repository from CamelConfiguration, which recovers completions only after 60 s.
        // The outcome publications of the completion and of the sweeper's first attempt fail; the sweeper's second
        // attempt (10 s after the first, when its lease ends) delivers it, about 20 s after the end. The aggregator's
        // own recovery would come at 60 s, after this test; see aSweeperRepublicationIsNotRepeatedByTheRecovery.
        startRoutes(null);
        outcomePublicationsToFail.set(2);

        start("rec-sweeper");
        callerId("rec-sweeper", "0811");

        await().atMost(Duration.ofSeconds(10)).until(() -> outcomeAttempts.size() == 1);
        assertEquals("ENDED,unpublished", ledgerRow("rec-sweeper"), "the outcome is kept though Kafka failed");
        assertEquals(List.of(), publishedOutcomes());

        await().atMost(Duration.ofSeconds(35)).until(() -> !publishedOutcomes().isEmpty());
        await().atMost(Duration.ofSeconds(2)).until(() -> "ENDED,published".equals(ledgerRow("rec-sweeper")));
        Thread.sleep(1_500); // a few more sweeps: nothing else is published

        assertEquals(List.of("completion:failed", "sweeper:failed", "sweeper:ok"), outcomeAttempts);
        assertEquals(List.of("completion"), completionRuns, "the aggregator's recovery has not run (60 s)");
        List<Map<String, Object>> outcomes = publishedOutcomes();
        assertEquals(1, outcomes.size(), "published exactly once: " + outcomes);
        assertEquals("rec-sweeper", outcomes.get(0).get("verificationId"));
        assertEquals("VERIFIED", outcomes.get(0).get("status"));
        assertEquals(Map.of("signupId", "s-1"), outcomes.get(0).get("metadata"));
        assertOneVerifyWithTheDigits();
        assertEquals(0, getMockEndpoint("mock:completion-dlq").getReceivedCounter());
    }

    @Test
    void aCompletionWhosePublishFailedIsRecoveredByTheAggregatorOnce() throws Exception {
        // the aggregator's recovery, with recoverAfterMillis 2 s instead of 60 s so that it comes before the sweeper
        // (10 s): the completion fails, the first recovery fails, the second recovery publishes the outcome.
        startRoutes(2_000L);
        outcomePublicationsToFail.set(2);

        start("rec-aggregator");
        callerId("rec-aggregator", "0811");

        awaitSettled("rec-aggregator", Duration.ofSeconds(9));

        assertEquals(List.of("completion:failed", "recovery-1:failed", "recovery-2:ok"), outcomeAttempts);
        assertEquals(List.of("completion", "recovery-1", "recovery-2"), completionRuns);
        List<Map<String, Object>> outcomes = publishedOutcomes();
        assertEquals(1, outcomes.size(), "published exactly once: " + outcomes);
        assertEquals("VERIFIED", outcomes.get(0).get("status"));
        assertEquals("rec-aggregator", outcomes.get(0).get("verificationId"));
        assertOneVerifyWithTheDigits();
        assertEquals(0, getMockEndpoint("mock:completion-dlq").getReceivedCounter());
    }

    @Test
    void aSweeperRepublicationIsNotRepeatedByTheRecovery() throws Exception {
        // Both mechanisms in their production order: the sweeper (10 s) before the aggregator's recovery (60 s in
        // CamelConfiguration; 12 s here to keep the test short, still after the sweeper). Kafka fails only the first
        // publication. The sweeper republishes the outcome and marks it published; the completed group is still
        // unconfirmed, so the recovery then runs complete-verification again. Expected: the outcome is published once.
        startRoutes(12_000L);
        outcomePublicationsToFail.set(1);

        start("rec-both");
        callerId("rec-both", "0811");

        awaitSettled("rec-both", Duration.ofSeconds(20));
        Thread.sleep(1_000);

        List<Map<String, Object>> outcomes = publishedOutcomes();
        assertEquals(1, outcomes.size(), "published exactly once; attempts: " + outcomeAttempts
                + ", completion runs: " + completionRuns);
        assertOneVerifyWithTheDigits();
    }

    @Test
    void aVerifyAnswered500EndsTheVerificationFailedOnce() throws Exception {
        startRoutes(null);
        start("rec-500");
        verifyPin = answer(500, "{\"code\":500,\"error\":\"Internal server error\"}");

        callerId("rec-500", "0811");

        awaitSettled("rec-500", Duration.ofSeconds(10));
        Thread.sleep(1_500); // a few more sweeps and recovery scans: nothing else happens

        List<Map<String, Object>> outcomes = publishedOutcomes();
        assertEquals(1, outcomes.size(), "exactly one outcome: " + outcomes);
        Map<String, Object> outcome = outcomes.get(0);
        assertEquals("rec-500", outcome.get("verificationId"));
        assertEquals("FAILED", outcome.get("status"));
        assertEquals("checkmobi_unavailable", outcome.get("reason"));
        assertEquals("RCL-RECOVERY", outcome.get("validationId"));
        assertEquals(Map.of("code", 500, "message", "Internal server error", "httpStatus", 500), outcome.get("error"));
        assertOneVerifyWithTheDigits();
        assertEquals(List.of("completion:ok"), outcomeAttempts);
        assertEquals(0, getMockEndpoint("mock:completion-dlq").getReceivedCounter());
    }
}
