package dev.missedcall.observe;

import java.util.Map;

import dev.missedcall.verification.VerificationLedger;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: the store answers. Without it no START can be claimed, so the instance must not take traffic. */
public class StoreHealthCheck extends AbstractHealthCheck {

    private final VerificationLedger ledger;

    public StoreHealthCheck(VerificationLedger ledger) {
        super("verification", "store");
        this.ledger = ledger;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            builder.detail("pending", ledger.pendingCount());
            builder.up();
        } catch (RuntimeException e) {
            builder.message("the verification store does not answer: " + e.getClass().getSimpleName());
            builder.down();
        }
    }
}
