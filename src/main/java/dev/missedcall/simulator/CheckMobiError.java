package dev.missedcall.simulator;

/**
 * The error answers the simulator gives, with CheckMobi's codes and messages. The HTTP status per code is
 * unconfirmed for the real API; the simulator uses 401 for the key and 400 for the other refusals.
 */
enum CheckMobiError {
    INVALID_SECRET_KEY(1, 401, "Invalid or expired secret key"),
    INVALID_NUMBER(2, 400, "Invalid phone number"),
    INVALID_REQUEST_ID(3, 400, "Invalid request id"),
    INVALID_VALIDATION_TYPE(4, 400, "Invalid validation type"),
    INSUFFICIENT_FUNDS(5, 400, "Insufficient funds"),
    INSUFFICIENT_CLI_VALIDATION_COUNT(6, 400, "Insufficient CLI validation count"),
    INVALID_PAYLOAD(7, 400, "Invalid request payload"),
    METHOD_NOT_AVAILABLE(8, 400, "Validation method not available in this country"),
    ACCOUNT_RESTRICTED(11, 400, "Account restricted for suspicious activity"),
    LIMITS_EXCEEDED(12, 400, "Account exceeded one or more limits"),
    DESTINATION_BLOCKED(13, 400, "Destination blocked by application restrictions"),
    TOO_MANY_ATTEMPTS(14, 400, "Number temporarily blocked after too many attempts"),
    UNKNOWN_ENDPOINT(7, 404, "Unknown endpoint"),
    INTERNAL_ERROR(500, 500, "Internal server error");

    private final int code;
    private final int httpStatus;
    private final String message;

    CheckMobiError(int code, int httpStatus, String message) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.message = message;
    }

    int code() {
        return code;
    }

    int httpStatus() {
        return httpStatus;
    }

    String message() {
        return message;
    }
}
