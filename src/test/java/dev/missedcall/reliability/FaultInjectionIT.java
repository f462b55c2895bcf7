package dev.missedcall.reliability;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The short version of the fault-injection run that CI runs on every build (the full run: docs/reliability.md). */
class FaultInjectionIT {

    @Test
    void keepsEveryInvariantThroughKillsAndCheckMobiFaults() throws Exception {
        FaultInjectionRun.Result result = FaultInjectionRun.run(new FaultInjectionRun.Options(
                200, 2, 50, Path.of("target/reliability-ci"), System.nanoTime()));

        assertTrue(result.passed(), "violations " + result.violations() + "\nfigures " + result.figures());
        assertTrue(((Number) result.figures().get("kills")).intValue() >= 2, "the run killed as asked");
    }
}
