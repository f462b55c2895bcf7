package dev.missedcall.policy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.missedcall.checkmobi.CheckMobiBreaker;
import dev.missedcall.verification.Fields;
import dev.missedcall.verification.Signals;
import dev.missedcall.verification.VerificationLedger;

/**
 * Whether a START may cost a call: the number's rules, the day's spend, CheckMobi's state, then the per-number and
 * per-metadata limits (last, because admitting an attempt records it). Each refusal is a stable reason.
 */
public class StartPolicy {

    public static final String NUMBER_COOLDOWN = "number_cooldown";
    public static final String NUMBER_DAILY_LIMIT = "number_daily_limit";
    public static final String METADATA_COOLDOWN = "metadata_cooldown";
    public static final String METADATA_DAILY_LIMIT = "metadata_daily_limit";
    public static final String SPEND_LIMIT = "spend_limit";
    /** How long the day's spend is reused before it is read again: a START should not cost a store round trip. */
    private static final Duration SPEND_REFRESH = Duration.ofSeconds(1);

    /**
     * How often a number, or a value of one metadata key, may be called.
     *
     * @param metadataKey the START metadata field limited like a number (a client IP, a tenant); empty for none
     */
    public record Limits(Duration numberCooldown, int numberDailyMax, String metadataKey, Duration metadataCooldown,
                         int metadataDailyMax) {
    }

    private final NumberRules numberRules;
    private final Limits limits;
    private final AttemptLimits attempts;
    private final double spendDailyMax;
    private final VerificationLedger ledger;
    private final CheckMobiBreaker breaker;
    private final Clock clock;
    private long spendReadAt = -1;
    private double spentToday;

    /** @param spendDailyMax the most CheckMobi may charge per UTC day; zero for no ceiling */
    public StartPolicy(NumberRules numberRules, Limits limits, AttemptLimits attempts, double spendDailyMax,
                       VerificationLedger ledger, CheckMobiBreaker breaker, Clock clock) {
        this.numberRules = numberRules;
        this.limits = limits;
        this.attempts = attempts;
        this.spendDailyMax = spendDailyMax;
        this.ledger = ledger;
        this.breaker = breaker;
        this.clock = clock;
    }

    /**
     * The reason this START may not place a call, or null when it may. Writes the number back in E.164 form, the one
     * CheckMobi is sent and the limits count.
     */
    public String refusal(Map<String, Object> command) {
        NumberRules.Verdict verdict = numberRules.check((String) command.get(Fields.NUMBER));
        if (verdict.e164() != null) {
            command.put(Fields.NUMBER, verdict.e164());
        }
        if (!verdict.allowed()) {
            return verdict.refusal();
        }
        if (spendDailyMax > 0 && spentToday() >= spendDailyMax) {
            return SPEND_LIMIT;
        }
        if (breaker.isOpen()) {
            return Signals.CHECKMOBI_UNAVAILABLE;
        }
        List<AttemptLimits.Limit> applicable = applicableLimits(command, verdict.e164());
        return applicable.isEmpty() ? null : attempts.admit(applicable);
    }

    private List<AttemptLimits.Limit> applicableLimits(Map<String, Object> command, String e164) {
        List<AttemptLimits.Limit> applicable = new ArrayList<>(2);
        AttemptLimits.Limit number = new AttemptLimits.Limit("number:" + e164, limits.numberCooldown(),
                limits.numberDailyMax(), NUMBER_COOLDOWN, NUMBER_DAILY_LIMIT);
        if (number.limitsAnything()) {
            applicable.add(number);
        }
        if (!limits.metadataKey().isEmpty() && command.get(Fields.METADATA) instanceof Map<?, ?> metadata
                && metadata.get(limits.metadataKey()) != null) {
            AttemptLimits.Limit byMetadata = new AttemptLimits.Limit(
                    "metadata:" + limits.metadataKey() + "=" + metadata.get(limits.metadataKey()),
                    limits.metadataCooldown(), limits.metadataDailyMax(), METADATA_COOLDOWN, METADATA_DAILY_LIMIT);
            if (byMetadata.limitsAnything()) {
                applicable.add(byMetadata);
            }
        }
        return applicable;
    }

    private synchronized double spentToday() {
        long now = clock.millis();
        if (spendReadAt < 0 || now - spendReadAt >= SPEND_REFRESH.toMillis()) {
            spentToday = ledger.chargedToday();
            spendReadAt = now;
        }
        return spentToday;
    }
}
