package dev.missedcall.checkmobi;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.missedcall.verification.NextStep;
import org.apache.camel.Exchange;

import static dev.missedcall.checkmobi.CheckMobiAnswer.CODE;
import static dev.missedcall.checkmobi.CheckMobiAnswer.HTTP_STATUS;
import static dev.missedcall.checkmobi.CheckMobiAnswer.MESSAGE;
import static dev.missedcall.checkmobi.CheckMobiAnswer.RESPONSE;
import static dev.missedcall.checkmobi.CheckMobiAnswer.RESULT;
import static dev.missedcall.verification.Fields.DIGITS;
import static dev.missedcall.verification.Fields.NEXT_STEP;
import static dev.missedcall.verification.Fields.NUMBER;
import static dev.missedcall.verification.Fields.PLATFORM;
import static dev.missedcall.verification.Fields.VALIDATION_ID;

/** CheckMobi's request bodies, and its answers read into one shape whatever happened on the wire. */
public class CheckMobiCalls {

    public static final String HANGUP_PIN = "HANGUP";

    private final ObjectMapper json = new ObjectMapper();

    /** {@code {"number", "type": "reverse_cli", "platform"}} for a START command. */
    public String requestValidationBody(Map<String, Object> command) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("number", command.get(NUMBER));
        body.put("type", "reverse_cli");
        if (command.get(PLATFORM) != null) {
            body.put("platform", command.get(PLATFORM));
        }
        return json.writeValueAsString(body);
    }

    /** Verify PIN for a decided verification: its digits, or {@code HANGUP}; always with the server hangup. */
    public String verifyPinBody(Map<String, Object> state) throws JsonProcessingException {
        boolean hangup = NextStep.HANGUP.name().equals(state.get(NEXT_STEP));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", state.get(VALIDATION_ID));
        body.put("pin", hangup ? HANGUP_PIN : state.get(DIGITS));
        body.put("use_server_hangup", Boolean.TRUE);
        return json.writeValueAsString(body);
    }

    /** Reads CheckMobi's HTTP answer (the endpoint does not throw on error statuses). */
    public Map<String, Object> readAnswer(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        Map<String, Object> parsed = parseObject(body);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(HTTP_STATUS, status);
        if (status >= 200 && status < 300) {
            answer.put(RESULT, CheckMobiAnswer.OK.name());
            answer.put(RESPONSE, parsed == null ? new LinkedHashMap<>() : parsed);
            return answer;
        }
        answer.put(RESULT, status >= 400 && status < 500 ? CheckMobiAnswer.REFUSED.name() : CheckMobiAnswer.UNAVAILABLE.name());
        Object code = parsed == null ? null : parsed.get("code");
        answer.put(CODE, code instanceof Number number ? number.intValue() : null);
        Object message = parsed == null ? null : parsed.get("error");
        answer.put(MESSAGE, message instanceof String text ? text : "HTTP " + status + " without a CheckMobi error body");
        return answer;
    }

    /** The answer when no HTTP answer came: the connection failed (after retries) or the answer was too late. */
    public Map<String, Object> unreachable(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(RESULT, CheckMobiAnswer.UNAVAILABLE.name());
        answer.put(HTTP_STATUS, null);
        answer.put(CODE, null);
        answer.put(MESSAGE, describe(failure));
        return answer;
    }

    private static String describe(Throwable failure) {
        if (failure instanceof ConnectException || failure instanceof UnknownHostException) {
            return "could not connect to CheckMobi (" + failure.getClass().getSimpleName() + ")";
        }
        if (failure instanceof SocketTimeoutException) {
            return "CheckMobi did not answer in time";
        }
        return "no answer from CheckMobi (" + (failure == null ? "unknown" : failure.getClass().getSimpleName()) + ")";
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parseObject(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            Object value = json.readValue(body, Object.class);
            return value instanceof Map ? (Map<String, Object>) value : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
