package dev.missedcall.intake;

/** How long a verification waits for the caller ID: the START's own wish, clamped to the operator's range. */
public record VerificationTimeouts(int defaultSeconds, int minSeconds, int maxSeconds) {

    public VerificationTimeouts {
        if (minSeconds < 1 || minSeconds > maxSeconds || defaultSeconds < minSeconds || defaultSeconds > maxSeconds) {
            throw new IllegalArgumentException("verification.timeout (" + defaultSeconds
                    + ") must lie within verification.timeout.min (" + minSeconds
                    + ") and verification.timeout.max (" + maxSeconds + "), and min must be at least 1");
        }
    }

    public int effectiveSeconds(Integer requested) {
        if (requested == null) {
            return defaultSeconds;
        }
        return Math.max(minSeconds, Math.min(maxSeconds, requested));
    }
}
