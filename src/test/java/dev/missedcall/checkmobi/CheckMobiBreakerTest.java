package dev.missedcall.checkmobi;

import java.time.Duration;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckMobiBreakerTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final CheckMobiBreaker breaker = new CheckMobiBreaker(Duration.ofMillis(300), 50, 4);

    private static Map<String, Object> refused(int httpStatus, Integer code) {
        return code == null ? Map.of("result", "REFUSED", "httpStatus", httpStatus)
                : Map.of("result", "REFUSED", "httpStatus", httpStatus, "code", code);
    }

    private static final Map<String, Object> UNAVAILABLE = Map.of("result", "UNAVAILABLE", "httpStatus", 500);
    private static final Map<String, Object> OK = Map.of("result", "OK", "httpStatus", 200);

    /** One request through the breaker, the way the circuitBreaker step runs it: the exchange is the result. */
    private void request(Map<String, Object> answer) throws Exception {
        request(breaker, answer);
    }

    private void request(CheckMobiBreaker through, Map<String, Object> answer) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(answer);
        through.circuitBreaker().executeCallable(() -> exchange);
        through.afterRequest(answer);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 11, 12})
    void oneStopCallingAnswerOpensItAtOnce(int code) throws Exception {
        request(refused(400, code));
        assertTrue(breaker.isOpen());
        assertEquals("OPEN", breaker.state());
    }

    @Test
    void aRefusedKeyWithoutACodeOpensItToo() throws Exception {
        request(refused(401, null));
        assertTrue(breaker.isOpen());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 8, 13, 14})
    void refusalsAboutOneNumberLeaveItClosed(int code) throws Exception {
        for (int i = 0; i < 10; i++) {
            request(refused(400, code));
        }
        assertFalse(breaker.isOpen());
    }

    @Test
    void repeatedUnavailabilityOpensItOnceTheWindowIsFull() throws Exception {
        request(UNAVAILABLE);
        request(UNAVAILABLE);
        request(OK);
        assertFalse(breaker.isOpen(), "three calls are fewer than the four the rate is computed over");
        request(UNAVAILABLE);
        assertTrue(breaker.isOpen(), "3 of 4 unavailable is over 50 %");
    }

    @Test
    void afterOpenForOneRequestIsTriedAndItsSuccessClosesIt() throws Exception {
        request(refused(400, 5));
        await().atMost(Duration.ofSeconds(5)).until(() -> "HALF_OPEN".equals(breaker.state()));
        assertTrue(breaker.circuitBreaker().tryAcquirePermission(), "one trial request is let through");
        assertFalse(breaker.circuitBreaker().tryAcquirePermission(), "only one");
        breaker.circuitBreaker().releasePermission();
        request(OK);
        assertEquals(CircuitBreaker.State.CLOSED.name(), breaker.state());
    }

    @Test
    void onceTheOpenTimeIsOverATrialIsLetThroughWithoutWaitingForTheTimer() throws Exception {
        CheckMobiBreaker shortlyOpen = new CheckMobiBreaker(Duration.ofMillis(1), 50, 4);
        request(shortlyOpen, refused(400, 5));
        Thread.sleep(5);
        assertFalse(shortlyOpen.isOpen());
        request(shortlyOpen, OK);
        assertEquals("CLOSED", shortlyOpen.state(), "the trial took the one half-open permission and closed it");
    }

    @Test
    void aFailedTrialOpensItAgain() throws Exception {
        request(refused(400, 12));
        await().atMost(Duration.ofSeconds(5)).until(() -> "HALF_OPEN".equals(breaker.state()));
        request(UNAVAILABLE);
        assertTrue(breaker.isOpen());
    }
}
