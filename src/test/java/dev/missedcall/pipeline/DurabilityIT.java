package dev.missedcall.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.missedcall.simulator.Faults;
import dev.missedcall.verification.Publications;
import dev.missedcall.simulator.RecordedCall;
import dev.missedcall.testing.AppProcess;
import dev.missedcall.testing.Pipeline;
import dev.missedcall.testing.SharedKafkaBroker;
import dev.missedcall.testing.SharedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invariants when processes stop, die at any instruction, or share the work: PostgreSQL store, the packaged
 * application as separate processes (so that {@code kill -9} is real), a real broker and the simulator over HTTP.
 */
@ExtendWith({SharedKafkaBroker.class, SharedPostgres.class})
class DurabilityIT {

    private static final String NEVER_CALLED = "+447400900020";
    private static final AtomicInteger NEXT_NUMBER = new AtomicInteger(ThreadLocalRandom.current().nextInt(1_000_000));
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final String REQUEST = "/v1/validation/request";
    private static final String VERIFY = "/v1/validation/verify";
    /** kafka.consumers of application.properties: the requests one instance can have on the wire at once. */
    private static final int COMMAND_CONSUMERS = 3;
    /** verification.completion.threads: the verifies one instance can have on the wire at once. */
    private static final int COMPLETION_THREADS = 16;

    private static Map<String, String> store() {
        Map<String, String> settings = new HashMap<>();
        settings.put("verification.store.url", SharedPostgres.newDatabase());
        settings.put("verification.store.user", "postgres");
        settings.put("verification.store.password", "postgres");
        settings.put("verification.sweeper.grace", GRACE.toMillis() + "ms");
        settings.put("verification.sweeper.interval", "500");
        settings.put("verification.sweeper.interrupted-after", "10s");
        settings.put("verification.timeout.min", "1");
        return settings;
    }

    private static String uniqueNumber() {
        return "+447401" + String.format("%06d", NEXT_NUMBER.getAndIncrement() % 1_000_000);
    }

    @Test
    void pendingVerificationsEndExactlyOnceAfterARestart() throws Exception {
        try (Pipeline bed = Pipeline.withoutApp(SharedKafkaBroker.bootstrapServers(), store())) {
            AppProcess first = AppProcess.start("restart-first", bed.environment(Map.of()));
            first.awaitStarted();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                String id = "restart-" + i + "-" + UUID.randomUUID();
                ids.add(id);
                bed.start(id, NEVER_CALLED, Map.of("timeoutSeconds", 4));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> !bed.eventsOf(id).isEmpty()));
            assertTrue(first.stop(20), "stops on SIGTERM with verifications pending");
            Instant lastDeadline = ids.stream().map(id -> Instant.parse((String) bed.eventsOf(id).get(0).get("expiresAt")))
                    .max(Instant::compareTo).orElseThrow();
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), lastDeadline).toMillis() + 1000));

            try (AppProcess second = AppProcess.start("restart-second", bed.environment(Map.of()))) {
                Instant ready = second.awaitStarted();
                await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> !bed.outcomesOf(id).isEmpty()));

                for (String id : ids) {
                    assertOneOutcome(bed, id, "TIMED_OUT");
                    String validationId = (String) bed.outcomesOf(id).get(0).get("validationId");
                    List<RecordedCall> verifies = verifiesOf(bed, validationId);
                    assertEquals(1, verifies.size(), "one Verify PIN for " + id);
                    assertEquals("HANGUP", verifies.get(0).body().get("pin"));
                    Duration late = Duration.between(ready, verifies.get(0).receivedAt());
                    assertTrue(late.compareTo(GRACE.plusSeconds(2)) <= 0,
                            "HANGUP " + late.toMillis() + " ms after the restarted instance was ready");
                }
                assertTrue(second.stop(20));
            }
        }
    }

    @Test
    void killNineMidFlightLosesNothingAndCallsNothingTwice() throws Exception {
        try (Pipeline bed = Pipeline.withoutApp(SharedKafkaBroker.bootstrapServers(), store())) {
            // slow answers keep requests in flight when the process dies
            bed.simulator.setFaults(new Faults(Duration.ofMillis(150), 0, 0));
            Map<String, String> numbers = new HashMap<>();
            AppProcess first = AppProcess.start("kill-first", bed.environment(Map.of()));
            first.awaitStarted();
            for (int i = 0; i < 40; i++) {
                String id = "kill-" + i + "-" + UUID.randomUUID();
                String number = i % 4 == 0 ? NEVER_CALLED : uniqueNumber();
                numbers.put(id, number);
                bed.start(id, number, Map.of("timeoutSeconds", 3));
            }
            Thread.sleep(1500 + ThreadLocalRandom.current().nextInt(1000));
            first.kill();

            try (AppProcess second = AppProcess.start("kill-second", bed.environment(Map.of()))) {
                second.awaitStarted();
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> numbers.keySet().stream().allMatch(id -> !bed.outcomesOf(id).isEmpty()));
                Thread.sleep(1000);

                int interrupted = 0;
                for (Map.Entry<String, String> verification : numbers.entrySet()) {
                    String id = verification.getKey();
                    List<Map<String, Object>> outcomes = bed.outcomesOf(id);
                    assertEquals(1, new HashSet<>(outcomes).size(), "one outcome (repeats identical) for " + id);
                    Map<String, Object> outcome = outcomes.get(0);
                    if ("request_interrupted".equals(outcome.get("reason"))) {
                        interrupted++;
                    }
                    String number = verification.getValue();
                    if (!number.equals(NEVER_CALLED)) {
                        assertTrue(requestsTo(bed, number) <= 1, "at most one Request Validation for " + id);
                    }
                    if (outcome.get("validationId") != null) {
                        int verifies = verifiesOf(bed, (String) outcome.get("validationId")).size();
                        if (verifyInterrupted(outcome)) {
                            // the kill came between the claim and CheckMobi reading the verify: never a second one
                            interrupted++;
                            assertTrue(verifies <= 1, "at most one Verify PIN for " + id);
                        } else {
                            assertEquals(1, verifies, "exactly one Verify PIN for " + id + " " + outcome);
                        }
                    }
                }
                // only calls on the wire at the kill have an unknown result: a request per command consumer thread,
                // a verify per completion thread that had just claimed one
                assertTrue(interrupted <= COMMAND_CONSUMERS + COMPLETION_THREADS, interrupted + " calls interrupted by one kill");
                int neverCalledStarts = (int) numbers.values().stream().filter(NEVER_CALLED::equals).count();
                assertTrue(requestsTo(bed, NEVER_CALLED) <= neverCalledStarts);
                assertTrue(second.stop(20));
            }
        }
    }

    @Test
    void whenOneOfTwoInstancesDiesTheOtherHangsUpItsCalls() throws Exception {
        try (Pipeline bed = Pipeline.withoutApp(SharedKafkaBroker.bootstrapServers(), store());
             AppProcess first = AppProcess.start("pair-first", bed.environment(Map.of()));
             AppProcess second = AppProcess.start("pair-second", bed.environment(Map.of()))) {
            first.awaitStarted();
            second.awaitStarted();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String id = "pair-" + i + "-" + UUID.randomUUID();
                ids.add(id);
                bed.start(id, NEVER_CALLED, Map.of("timeoutSeconds", 5));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> !bed.eventsOf(id).isEmpty()));
            first.kill();

            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> !bed.outcomesOf(id).isEmpty()));
            Thread.sleep(1000);
            for (String id : ids) {
                assertOneOutcome(bed, id, "TIMED_OUT");
                Instant deadline = Instant.parse((String) bed.eventsOf(id).get(0).get("expiresAt"));
                List<RecordedCall> verifies = verifiesOf(bed, (String) bed.outcomesOf(id).get(0).get("validationId"));
                assertEquals(1, verifies.size());
                Duration late = Duration.between(deadline, verifies.get(0).receivedAt());
                assertTrue(late.compareTo(GRACE.plusSeconds(2)) <= 0, "HANGUP " + late.toMillis() + " ms late");
            }
            assertTrue(second.stop(20));
        }
    }

    @Test
    void theSameStartConsumedByTwoInstancesRingsOnce() throws Exception {
        Map<String, String> settings = store();
        try (Pipeline bed = Pipeline.withoutApp(SharedKafkaBroker.bootstrapServers(), settings)) {
            // two consumer groups: both instances receive every START and every caller ID
            bed.startApp(Map.of("kafka.group-id", "twin-a-" + UUID.randomUUID()));
            bed.startApp(Map.of("kafka.group-id", "twin-b-" + UUID.randomUUID()));
            Map<String, String> numbers = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                String id = "twin-" + i + "-" + UUID.randomUUID();
                String number = uniqueNumber();
                numbers.put(id, number);
                bed.start(id, number);
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> numbers.keySet().stream().allMatch(id -> !bed.outcomesOf(id).isEmpty()));
            Thread.sleep(1500);
            Set<String> statuses = new HashSet<>();
            for (Map.Entry<String, String> verification : numbers.entrySet()) {
                assertEquals(1, requestsTo(bed, verification.getValue()), "one request for " + verification.getKey());
                List<Map<String, Object>> outcomes = bed.outcomesOf(verification.getKey());
                assertEquals(1, new HashSet<>(outcomes).size());
                statuses.add((String) outcomes.get(0).get("status"));
                assertEquals(1, verifiesOf(bed, (String) outcomes.get(0).get("validationId")).size());
            }
            assertEquals(Set.of("VERIFIED"), statuses);
        }
    }

    @SuppressWarnings("unchecked")
    static boolean verifyInterrupted(Map<String, Object> outcome) {
        return outcome.get("error") instanceof Map<?, ?> error && error.get("message") instanceof String message
                && message.startsWith(Publications.VERIFY_INTERRUPTED_MESSAGE);
    }

    private static void assertOneOutcome(Pipeline bed, String id, String status) {
        List<Map<String, Object>> outcomes = bed.outcomesOf(id);
        assertEquals(1, new HashSet<>(outcomes).size(), "one outcome (repeats identical) for " + id);
        assertEquals(status, outcomes.get(0).get("status"), id);
    }

    private static long requestsTo(Pipeline bed, String number) {
        return bed.simulator.calls().stream()
                .filter(call -> call.path().equals(REQUEST) && call.body() != null
                        && number.equals(call.body().get("number")))
                .count();
    }

    private static List<RecordedCall> verifiesOf(Pipeline bed, String validationId) {
        return bed.simulator.calls().stream()
                .filter(call -> call.path().equals(VERIFY) && call.body() != null
                        && validationId.equals(call.body().get("id")))
                .toList();
    }
}
