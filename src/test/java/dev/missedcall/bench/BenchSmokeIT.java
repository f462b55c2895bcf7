package dev.missedcall.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the benchmark harness working: a few seconds of it at a low rate with the packaged application and the
 * peer. It asserts that figures were produced, never how fast anything was (no timed unit tests).
 */
class BenchSmokeIT {

    @Test
    @SuppressWarnings("unchecked")
    void theHarnessProducesFiguresForTheBundleAndThePeer() throws Exception {
        Path out = Path.of("target/bench-smoke");
        Files.deleteIfExists(out.resolve("results.json"));
        Map<String, Object> results = BenchRun.run(BenchRun.Options.parse(new String[] {"--smoke"}));

        assertFalse(results.containsKey("error"), "the run failed: " + results.get("error"));
        assertTrue(Files.isRegularFile(out.resolve("results.json")), "results.json written");
        assertTrue(Files.readString(out.resolve("results.md")).contains("## Targets (issue 6)"), "results.md written");
        for (String system : List.of(BenchRun.MEMORY, BenchRun.PEER)) {
            List<Map<String, Object>> steps = (List<Map<String, Object>>) Report.at(results, "zeroLatency", system, "steps");
            assertNotNull(steps, system + " ran its ladder");
            assertTrue(steps.stream().anyMatch(step -> ((Number) step.get("completedPerSecond")).doubleValue() > 0),
                    system + " completed verifications: " + steps);
            Object latency = Report.at(results, "zeroLatency", system, "latency", "halfSaturation", "callerIdToOutcomeMs", "count");
            assertTrue(latency instanceof Number n && n.intValue() > 0, system + " latency measured: " + latency);
            Object lateness = Report.at(results, "zeroLatency", system, "latency", "halfSaturation", "hangupLatenessMs", "count");
            assertTrue(lateness instanceof Number n && n.intValue() > 0, system + " HANGUP lateness measured: " + lateness);
        }
        assertTrue(Report.at(results, "pending", BenchRun.MEMORY, "heapUsedAfterGcMiB") instanceof Number n
                && n.doubleValue() > 0, "heap with pending verifications measured");
        assertTrue(Report.at(results, "zeroLatency", BenchRun.MEMORY, "startupMillis") instanceof Number,
                "start-up time measured");
    }
}
