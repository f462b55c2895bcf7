package dev.missedcall.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Faults injected into every {@code /v1} request on top of the test numbers' own behaviour, to exercise a client's
 * retries and timeouts against any number. Applied before authentication, as a network or load balancer would.
 *
 * @param extraLatency           added before each answer
 * @param serverErrorProbability chance (0..1) of answering 500 {@code {"code":500,...}} without processing
 * @param dropProbability        chance (0..1) of closing the connection without any answer or processing
 */
public record Faults(Duration extraLatency, double serverErrorProbability, double dropProbability) {

    public static final Faults NONE = new Faults(Duration.ZERO, 0, 0);

    public Faults {
        Objects.requireNonNull(extraLatency, "extraLatency");
        if (extraLatency.isNegative()) {
            throw new IllegalArgumentException("extraLatency must not be negative");
        }
        requireProbability(serverErrorProbability, "serverErrorProbability");
        requireProbability(dropProbability, "dropProbability");
    }

    private static void requireProbability(double p, String name) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1");
        }
    }
}
