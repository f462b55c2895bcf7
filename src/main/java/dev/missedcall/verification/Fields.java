package dev.missedcall.verification;

/** Names of the fields of commands, signals, the pending verification's state, events and outcomes. */
public final class Fields {

    public static final String TYPE = "type";
    public static final String VERIFICATION_ID = "verificationId";
    public static final String NUMBER = "number";
    public static final String PLATFORM = "platform";
    public static final String TIMEOUT_SECONDS = "timeoutSeconds";
    public static final String METADATA = "metadata";

    public static final String DIGITS = "digits";
    public static final String CALLER_ID_SOURCE = "callerIdSource";

    /** What a message sent to the aggregator says happened; see {@link Signal}. */
    public static final String SIGNAL = "signal";
    public static final String VALIDATION_ID = "validationId";
    public static final String PIN_HASH = "pinHash";
    public static final String CLI_PREFIX = "cliPrefix";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String CANCELLED = "cancelled";
    public static final String PIN_ATTEMPTS_EXHAUSTED = "pinAttemptsExhausted";
    public static final String ATTEMPTS_LEFT = "attemptsLeft";
    public static final String DEADLINE_PASSED = "deadlinePassed";
    public static final String STATUS = "status";
    public static final String REASON = "reason";
    public static final String ERROR = "error";
    public static final String CHARGED_AMOUNT = "chargedAmount";
    public static final String VALIDATED_AT = "validatedAt";
    public static final String COMPLETED_AT = "completedAt";
    /** What the completion route must do with a decided verification; see {@link NextStep}. */
    public static final String NEXT_STEP = "nextStep";

    private Fields() {
    }
}
