package dev.missedcall.checkmobi;

/** How a call to CheckMobi ended, in the {@code answer} map the CheckMobi routes return. */
public enum CheckMobiAnswer {
    /** 2xx: the body is in {@code response}. */
    OK,
    /** 4xx: CheckMobi refused, with {@code code} and {@code message} from its error body. */
    REFUSED,
    /** 5xx, no connection or no answer in time: CheckMobi's decision is unknown. */
    UNAVAILABLE;

    public static final String RESULT = "result";
    public static final String HTTP_STATUS = "httpStatus";
    public static final String CODE = "code";
    public static final String MESSAGE = "message";
    public static final String RESPONSE = "response";
}
