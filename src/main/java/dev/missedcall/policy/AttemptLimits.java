package dev.missedcall.policy;

import java.time.Duration;
import java.util.List;

/**
 * How often one number (or one metadata value, such as a client IP) may be sent a call: a minimum time between two
 * calls and a maximum per 24 hours. Only admitted attempts count, so a refused START does not push the limit further
 * out. With the PostgreSQL store every instance shares the counts.
 */
public interface AttemptLimits {

    /** The 24 hours a daily maximum counts over: a rolling window, not a calendar day. */
    Duration WINDOW = Duration.ofHours(24);

    /**
     * A limit on one key.
     *
     * @param key            what is counted, e.g. {@code number:+40743123456}
     * @param cooldown       minimum time since the key's last admitted attempt; zero for none
     * @param dailyMax       attempts admitted per {@link #WINDOW}; zero for no maximum
     * @param cooldownReason the refusal's reason when the cooldown has not passed
     * @param dailyReason    the refusal's reason when the maximum is reached
     */
    record Limit(String key, Duration cooldown, int dailyMax, String cooldownReason, String dailyReason) {

        public boolean limitsAnything() {
            return !cooldown.isZero() || dailyMax > 0;
        }
    }

    /**
     * Admits one attempt unless a limit refuses it. Atomic across all the keys: either the attempt is recorded
     * for every key, or for none and the first refusing limit's reason is returned.
     *
     * @return null when admitted, else the reason of the refusal
     */
    String admit(List<Limit> limits);

    /** Forgets the keys whose attempts all left the window (run from time to time); returns how many attempts went. */
    int forgetOldAttempts();
}
