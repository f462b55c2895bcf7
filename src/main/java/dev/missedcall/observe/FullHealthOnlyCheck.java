package dev.missedcall.observe;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check shown in full health ({@code /observe/health}) but in neither liveness nor readiness: what it reports
 * needs an operator, and restarting pods or taking them out of service would not fix it.
 */
abstract class FullHealthOnlyCheck extends AbstractHealthCheck {

    FullHealthOnlyCheck(String id) {
        super("verification", id);
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }
}
