package dev.missedcall.local;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code mvn -Plocal} shows a new user: every demo verification ends with its outcome. */
class LocalRunIT {

    @Test
    void theDemoShowsEveryOutcome() throws Exception {
        assertTrue(LocalRun.demoOnRandomPorts(), "a demo verification got no outcome within 60 s");
    }
}
