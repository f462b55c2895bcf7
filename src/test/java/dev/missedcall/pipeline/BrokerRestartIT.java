package dev.missedcall.pipeline;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.missedcall.testing.KafkaTestBroker;
import dev.missedcall.testing.Pipeline;
import dev.missedcall.testing.SharedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The consumers and producers survive a Kafka broker restart mid-run: nothing lost, nothing called twice. */
@ExtendWith(SharedPostgres.class)
class BrokerRestartIT {

    @Test
    void verificationsGoOnAcrossABrokerRestart() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (KafkaTestBroker broker = KafkaTestBroker.start(port);
             Pipeline bed = Pipeline.start("localhost:" + port, Map.of(
                     "verification.store.url", SharedPostgres.newDatabase(),
                     "verification.store.user", "postgres", "verification.store.password", "postgres",
                     "verification.timeout.min", "1"))) {
            List<String> before = startSome(bed, "before", 10);
            // pending while the broker is down: their HANGUP and outcome must still come
            List<String> pending = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = "pending-" + i + "-" + UUID.randomUUID();
                pending.add(id);
                bed.start(id, "+447400900020", Map.of("timeoutSeconds", 3));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> before.stream().allMatch(id -> !bed.outcomesOf(id).isEmpty()));
            await().atMost(Duration.ofSeconds(30)).until(() -> pending.stream().allMatch(id -> !bed.eventsOf(id).isEmpty()));

            broker.restartBroker(Duration.ofSeconds(4));

            List<String> after = startSome(bed, "after", 10);
            List<String> all = new ArrayList<>(before);
            all.addAll(after);
            all.addAll(pending);
            await().atMost(Duration.ofSeconds(90)).until(() -> all.stream().allMatch(id -> !bed.outcomesOf(id).isEmpty()));
            Thread.sleep(1000);
            for (String id : all) {
                List<Map<String, Object>> outcomes = bed.outcomesOf(id);
                assertEquals(1, new HashSet<>(outcomes).size(), "one outcome for " + id);
                String expected = id.startsWith("pending") ? "TIMED_OUT" : "VERIFIED";
                assertEquals(expected, outcomes.get(0).get("status"), id);
                assertEquals(1, bed.simulator.calls().stream().filter(call -> call.path().equals("/v1/validation/verify")
                        && call.body() != null && outcomes.get(0).get("validationId").equals(call.body().get("id")))
                        .count(), "one Verify PIN for " + id);
            }
            long requests = bed.simulator.calls().stream()
                    .filter(call -> call.path().equals("/v1/validation/request")).count();
            assertEquals(all.size(), requests, "one Request Validation per verification");
        }
    }

    private static List<String> startSome(Pipeline bed, String label, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = label + "-" + i + "-" + UUID.randomUUID();
            ids.add(id);
            bed.start(id, "+447400900001");
        }
        return ids;
    }
}
