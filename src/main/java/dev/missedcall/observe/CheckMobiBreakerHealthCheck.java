package dev.missedcall.observe;

import java.util.Map;

import dev.missedcall.checkmobi.CheckMobiBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The breaker in front of Request Validation: DOWN while it is open (STARTs are being refused with
 * checkmobi_unavailable). In full health only, like the credentials check: restarting or unrouting pods cannot make
 * CheckMobi answer again, an operator can.
 */
public class CheckMobiBreakerHealthCheck extends FullHealthOnlyCheck {

    private final CheckMobiBreaker breaker;

    public CheckMobiBreakerHealthCheck(CheckMobiBreaker breaker) {
        super("checkmobi-breaker");
        this.breaker = breaker;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        CircuitBreaker.Metrics metrics = breaker.circuitBreaker().getMetrics();
        builder.detail("state", breaker.state());
        builder.detail("failureRate", metrics.getFailureRate());
        if (breaker.isOpen()) {
            builder.message("CheckMobi asked to stop calling or kept failing: STARTs are refused until it is tried again");
            builder.down();
        } else {
            builder.up();
        }
    }
}
