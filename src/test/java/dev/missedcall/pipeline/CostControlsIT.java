package dev.missedcall.pipeline;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.missedcall.simulator.Faults;
import dev.missedcall.simulator.RecordedCall;
import dev.missedcall.testing.AppProcess;
import dev.missedcall.testing.Pipeline;
import dev.missedcall.testing.SharedKafkaBroker;
import dev.missedcall.testing.SharedPostgres;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cost and abuse controls on the real pipeline (Kafka broker, the simulator over HTTP, PostgreSQL where limits
 * are shared): each refused START ends REJECTED with its reason and not one request reaches the simulator for it.
 * The controls keep state (counts, spend, the breaker), so tests share a pipeline only where they use different
 * numbers and one setting cannot stop the other's calls.
 */
@ExtendWith({SharedKafkaBroker.class, SharedPostgres.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CostControlsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REQUEST = "/v1/validation/request";
    /** Behaves like the simulator's VERIFIED_E164 (any valid number that is not a test number does). */
    private static final String SOME_MOBILE = "+447401555001";

    private final Map<String, Pipeline> pipelines = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final int breakerManagementPort = AppProcess.freePort();

    CostControlsIT() throws Exception {
    }

    @AfterAll
    void closePipelines() throws Exception {
        for (Pipeline pipeline : pipelines.values()) {
            pipeline.close();
        }
    }

    /** Number rules, the cooldown and pacing: each test calls numbers of its own. */
    private Pipeline numberRules() throws Exception {
        return pipeline("number-rules", Map.of("verification.policy.mobile-only", "true",
                "verification.policy.countries.deny", "RU", "verification.policy.number.cooldown", "3s",
                "verification.policy.max-requests-per-second", "5"));
    }

    /** Limits that instances share through PostgreSQL. */
    private Pipeline sharedLimits() throws Exception {
        Map<String, String> settings = new HashMap<>(postgres());
        settings.put("verification.policy.number.daily-max", "3");
        settings.put("verification.policy.metadata-key", "clientIp");
        settings.put("verification.policy.metadata-key.daily-max", "2");
        return pipeline("shared-limits", settings);
    }

    private Pipeline spendCeiling() throws Exception {
        return pipeline("spend", Map.of("verification.policy.spend.daily-max", "0.05"));
    }

    private Pipeline breaker() throws Exception {
        return pipeline("breaker", Map.of("checkmobi.breaker.open-for", "3s", "checkmobi.breaker.minimum-calls", "4",
                "checkmobi.breaker.failure-rate", "50", "management.port", Integer.toString(breakerManagementPort)));
    }

    /** The pipeline with these settings and one instance running, started on first use. */
    private Pipeline pipeline(String name, Map<String, String> settings) throws Exception {
        Pipeline existing = pipelines.get(name);
        if (existing != null) {
            return existing;
        }
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("verification.policy.number.cooldown", "0s");
        all.putIfAbsent("verification.policy.number.daily-max", "0");
        Pipeline pipeline = Pipeline.withoutApp(SharedKafkaBroker.bootstrapServers(), all);
        pipelines.put(name, pipeline);
        pipeline.startApp(all.containsKey("management.port")
                ? Map.of("management.port", all.get("management.port")) : Map.of());
        return pipeline;
    }

    private static Map<String, String> postgres() {
        return Map.of("verification.store.url", SharedPostgres.newDatabase(), "verification.store.user", "postgres",
                "verification.store.password", "postgres");
    }

    private static String newId(String label) {
        return label + "-" + UUID.randomUUID();
    }

    private static List<RecordedCall> requestsTo(Pipeline pipeline, String number) {
        return pipeline.simulator.calls().stream().filter(call -> call.path().equals(REQUEST))
                .filter(call -> call.body() != null && number.equals(call.body().get("number"))).toList();
    }

    private static void assertRejected(Pipeline pipeline, String id, String reason) throws Exception {
        Map<String, Object> outcome = pipeline.awaitOutcome(id, WAIT);
        assertEquals("REJECTED", outcome.get("status"), id);
        assertEquals(reason, outcome.get("reason"), id);
        assertNull(outcome.get("validationId"), "no call was placed");
        assertTrue(pipeline.eventsOf(id).isEmpty(), "no CALL_REQUESTED for " + id);
    }

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Accept", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1").build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void numbersThatMayNotBeCalledAreRejectedBeforeAnyRequest() throws Exception {
        Pipeline pipeline = numberRules();
        Map<String, String> refusals = Map.of(
                "0743123456", "invalid_number",
                "+447700900001", "invalid_number",
                "+449098790900", "number_type_not_allowed",
                "+33810900300", "number_type_not_allowed",
                "+442079460811", "number_type_not_allowed",
                "+79001234567", "country_not_allowed");
        Map<String, String> ids = new HashMap<>();
        for (String number : refusals.keySet()) {
            ids.put(number, newId("refused"));
            pipeline.start(ids.get(number), number);
        }
        String allowed = newId("allowed");
        pipeline.start(allowed, "+40 743 123 456");

        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            assertRejected(pipeline, ids.get(refusal.getKey()), refusal.getValue());
        }
        assertEquals("VERIFIED", pipeline.awaitOutcome(allowed, WAIT).get("status"));
        for (String number : refusals.keySet()) {
            assertEquals(0, requestsTo(pipeline, number).size(), number);
        }
        assertEquals(1, requestsTo(pipeline, "+40743123456").size(), "the allowed number is sent in E.164");
    }

    @Test
    void aNumbersDailyMaximumHoldsAcrossInstancesOnPostgres() throws Exception {
        Pipeline pipeline = sharedLimits();
        List<String> early = List.of(newId("daily"), newId("daily"));
        for (String id : early) {
            pipeline.start(id, SOME_MOBILE);
            assertEquals("VERIFIED", pipeline.awaitOutcome(id, WAIT).get("status"));
        }
        // a new instance that never saw those two calls takes over
        for (Main running : pipeline.apps()) {
            running.stop();
        }
        pipeline.startApp(Map.of());
        List<String> late = List.of(newId("daily"), newId("daily"), newId("daily"));
        for (String id : late) {
            pipeline.start(id, SOME_MOBILE);
        }

        List<Object> reasons = new ArrayList<>();
        for (String id : late) {
            reasons.add(pipeline.awaitOutcome(id, WAIT).get("reason"));
        }
        assertEquals(2, reasons.stream().filter("number_daily_limit"::equals).count(), reasons.toString());
        assertEquals(3, requestsTo(pipeline, SOME_MOBILE).size(), "three calls a day, whichever instance asks");
    }

    @Test
    void aMetadataValueIsLimitedAcrossNumbers() throws Exception {
        Pipeline pipeline = sharedLimits();
        List<String> numbers = List.of("+447401555011", "+447401555012", "+447401555013");
        List<String> ids = new ArrayList<>();
        for (String number : numbers) {
            String id = newId("same-ip");
            ids.add(id);
            pipeline.start(id, number, Map.of("metadata", Map.of("clientIp", "198.51.100.7")));
            pipeline.awaitOutcome(id, WAIT);
        }
        String otherIp = newId("other-ip");
        pipeline.start(otherIp, "+447401555014", Map.of("metadata", Map.of("clientIp", "198.51.100.8")));

        assertEquals("VERIFIED", pipeline.awaitOutcome(ids.get(0), WAIT).get("status"));
        assertEquals("VERIFIED", pipeline.awaitOutcome(ids.get(1), WAIT).get("status"));
        assertRejected(pipeline, ids.get(2), "metadata_daily_limit");
        assertEquals(0, requestsTo(pipeline, numbers.get(2)).size());
        assertEquals("VERIFIED", pipeline.awaitOutcome(otherIp, WAIT).get("status"));
    }

    @Test
    void aSecondStartWithinTheCooldownIsRefusedAndOneAfterItCalls() throws Exception {
        Pipeline pipeline = numberRules();
        String number = "+447401555002";
        String first = newId("cooldown");
        pipeline.start(first, number);
        assertEquals("VERIFIED", pipeline.awaitOutcome(first, WAIT).get("status"));
        Instant firstCall = requestsTo(pipeline, number).get(0).receivedAt();

        String second = newId("cooldown");
        pipeline.start(second, number);
        assertRejected(pipeline, second, "number_cooldown");
        assertTrue(Instant.now().isBefore(firstCall.plusSeconds(3)), "the refusal came within the cooldown");

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), firstCall.plusMillis(3_200)).toMillis()));
        String third = newId("cooldown");
        pipeline.start(third, number);
        assertEquals("VERIFIED", pipeline.awaitOutcome(third, WAIT).get("status"));
        assertEquals(2, requestsTo(pipeline, number).size());
    }

    @Test
    void theDailySpendCeilingStopsCallsOnceReached() throws Exception {
        Pipeline pipeline = spendCeiling();
        String billed = newId("billed");
        pipeline.start(billed, "+447400900005");
        Map<String, Object> outcome = pipeline.awaitOutcome(billed, WAIT);
        assertEquals("VERIFIED", outcome.get("status"));
        assertEquals(0.05, ((Number) outcome.get("chargedAmount")).doubleValue(), 1e-9);
        Thread.sleep(1_100); // the day's spend is read at most once a second

        String next = newId("over-budget");
        pipeline.start(next, SOME_MOBILE);
        assertRejected(pipeline, next, "spend_limit");
        assertEquals(0, requestsTo(pipeline, SOME_MOBILE).size());
    }

    /** The breaker tests share an instance: whichever runs second waits for the first one's breaker to reopen. */
    private void awaitBreakerNotOpen() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !get(breakerManagementPort, "/observe/metrics")
                .contains("checkmobi_breaker_state{state=\"open\"} 1.0"));
    }

    @Test
    void aStopCallingAnswerOpensTheBreakerUntilATrialSucceeds() throws Exception {
        int port = breakerManagementPort;
        Pipeline pipeline = breaker();
        awaitBreakerNotOpen();
        String noFunds = newId("no-funds");
        pipeline.start(noFunds, "+447400900105");
        assertEquals("checkmobi.5", pipeline.awaitOutcome(noFunds, WAIT).get("reason"));

        String whileOpen = newId("while-open");
        pipeline.start(whileOpen, SOME_MOBILE);
        assertRejected(pipeline, whileOpen, "checkmobi_unavailable");
        assertEquals(0, requestsTo(pipeline, SOME_MOBILE).size(), "CheckMobi is not asked while the breaker is open");
        String health = get(port, "/observe/health");
        assertTrue(health.contains("{\"name\":\"checkmobi-breaker\",\"status\":\"DOWN\""), health);
        assertTrue(get(port, "/observe/metrics").contains("checkmobi_breaker_state{state=\"open\"} 1.0"));

        await().atMost(Duration.ofSeconds(10)).until(
                () -> get(port, "/observe/metrics").contains("checkmobi_breaker_state{state=\"half_open\"} 1.0"));
        String trial = newId("trial");
        pipeline.start(trial, SOME_MOBILE);
        assertEquals("VERIFIED", pipeline.awaitOutcome(trial, WAIT).get("status"));
        assertTrue(get(port, "/observe/metrics").contains("checkmobi_breaker_state{state=\"closed\"} 1.0"));
        assertTrue(get(port, "/observe/health").contains("{\"name\":\"checkmobi-breaker\",\"status\":\"UP\""));
        assertEquals(1, requestsTo(pipeline, SOME_MOBILE).size());
    }

    @Test
    void repeatedServerErrorsOpenTheBreaker() throws Exception {
        Pipeline pipeline = breaker();
        awaitBreakerNotOpen();
        pipeline.simulator.setFaults(new Faults(Duration.ZERO, 1.0, 0));
        for (int i = 0; i < 4; i++) {
            String failing = newId("server-error");
            pipeline.start(failing, "+44740155502" + i);
            Map<String, Object> outcome = pipeline.awaitOutcome(failing, WAIT);
            assertEquals("FAILED", outcome.get("status"));
        }
        pipeline.simulator.setFaults(Faults.NONE);

        String afterwards = newId("after-errors");
        pipeline.start(afterwards, "+447401555029");
        assertRejected(pipeline, afterwards, "checkmobi_unavailable");
        assertEquals(0, requestsTo(pipeline, "+447401555029").size());
    }

    @Test
    void aBurstIsPacedNotDropped() throws Exception {
        Pipeline pipeline = numberRules();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            String id = newId("burst");
            ids.add(id);
            pipeline.start(id, "+4474015551" + (10 + i));
        }

        for (String id : ids) {
            assertEquals("VERIFIED", pipeline.awaitOutcome(id, WAIT).get("status"), "nothing is dropped");
        }
        List<Instant> requests = pipeline.simulator.calls().stream().filter(call -> call.path().equals(REQUEST))
                .filter(call -> call.body() != null && ((String) call.body().get("number")).startsWith("+4474015551"))
                .map(RecordedCall::receivedAt).sorted().toList();
        assertEquals(15, requests.size());
        for (int i = 0; i + 5 < requests.size(); i++) {
            // any 6 consecutive requests span at least a second (5 per second), give or take the clock's jitter
            Duration span = Duration.between(requests.get(i), requests.get(i + 5));
            assertTrue(span.toMillis() >= 900, "6 requests within " + span.toMillis() + " ms");
        }
    }
}
