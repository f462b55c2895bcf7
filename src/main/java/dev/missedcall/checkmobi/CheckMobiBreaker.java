package dev.missedcall.checkmobi;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.camel.Exchange;

import static dev.missedcall.checkmobi.CheckMobiAnswer.CODE;
import static dev.missedcall.checkmobi.CheckMobiAnswer.HTTP_STATUS;
import static dev.missedcall.checkmobi.CheckMobiAnswer.RESULT;

/**
 * The circuit breaker in front of Request Validation (the routes' {@code circuitBreaker} step uses
 * {@link #circuitBreaker()}): when CheckMobi says "stop calling" (a bad key, no funds, a restricted account, limits
 * exceeded) or keeps failing, STARTs are refused at once instead of each one asking again. Verify PIN is never held
 * back: a call that rings must get its verify.
 */
public class CheckMobiBreaker {

    /** 1 invalid key, 5 insufficient funds, 11 account restricted, 12 account limits exceeded. */
    static final Set<Integer> STOP_CODES = Set.of(1, 5, 11, 12);

    private final CircuitBreaker breaker;

    /**
     * @param openFor          how long STARTs are refused once the breaker opens, before one is let through to try
     * @param failureRate      percentage of failed requests (5xx, no answer) that opens it
     * @param minimumCalls     requests the failure rate is computed over (a count-based window)
     */
    public CheckMobiBreaker(Duration openFor, int failureRate, int minimumCalls) {
        breaker = CircuitBreaker.of("checkmobi-request-validation", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(minimumCalls)
                .minimumNumberOfCalls(minimumCalls)
                .failureRateThreshold(failureRate)
                .waitDurationInOpenState(openFor)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordResult(CheckMobiBreaker::failed)
                .build());
    }

    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /** The state's name: CLOSED, OPEN or HALF_OPEN. */
    public String state() {
        return breaker.getState().name();
    }

    /**
     * Whether STARTs are refused now. Once the open time is over this lets the breaker move to half-open itself
     * rather than wait for resilience4j's timer, which can miss a very short open time.
     */
    public boolean isOpen() {
        if (breaker.getState() != CircuitBreaker.State.OPEN) {
            return false;
        }
        if (breaker.tryAcquirePermission()) {
            // only a look: the trial request itself takes its permission in the circuitBreaker step
            breaker.releasePermission();
            return false;
        }
        return true;
    }

    /** One "stop calling" answer opens the breaker at once: asking again would only be refused (or billed) again. */
    public void afterRequest(Map<String, Object> answer) {
        if (isStopCode(answer) && breaker.getState() != CircuitBreaker.State.OPEN) {
            try {
                breaker.transitionToOpenState();
            } catch (IllegalStateException raced) {
                // another request opened it a moment ago
            }
        }
    }

    private static boolean failed(Object result) {
        if (!(result instanceof Exchange exchange) || !(exchange.getMessage().getBody() instanceof Map<?, ?> answer)) {
            return false;
        }
        return CheckMobiAnswer.UNAVAILABLE.name().equals(answer.get(RESULT)) || isStopCode(answer);
    }

    private static boolean isStopCode(Map<?, ?> answer) {
        if (!CheckMobiAnswer.REFUSED.name().equals(answer.get(RESULT))) {
            return false;
        }
        Object code = answer.get(CODE);
        Object httpStatus = answer.get(HTTP_STATUS);
        return code instanceof Number number ? STOP_CODES.contains(number.intValue())
                : httpStatus instanceof Number status && (status.intValue() == 401 || status.intValue() == 403);
    }
}
