package dev.missedcall.intake;

/**
 * An input record that cannot be read. The record goes to the dead-letter topic unchanged, with {@link #getReason()}
 * (stable, machine-readable) and the message (for people) in its headers.
 */
public class UnreadableRecordException extends Exception {

    private final String reason;

    public UnreadableRecordException(String reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public String getReason() {
        return reason;
    }
}
