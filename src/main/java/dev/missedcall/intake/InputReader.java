package dev.missedcall.intake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.missedcall.phone.PhoneNumbers;

import static dev.missedcall.verification.Fields.CALLER_ID_SOURCE;
import static dev.missedcall.verification.Fields.DIGITS;
import static dev.missedcall.verification.Fields.METADATA;
import static dev.missedcall.verification.Fields.NUMBER;
import static dev.missedcall.verification.Fields.PLATFORM;
import static dev.missedcall.verification.Fields.TIMEOUT_SECONDS;
import static dev.missedcall.verification.Fields.TYPE;
import static dev.missedcall.verification.Fields.VERIFICATION_ID;

/**
 * Reads the two input topics' records into plain maps, or says precisely why a record cannot be read. Everything
 * stored later is a map of strings and numbers, because the aggregation repository serializes it.
 */
public class InputReader {

    public static final String NOT_UTF8 = "not_utf8";
    public static final String NOT_JSON = "not_json";
    public static final String NOT_AN_OBJECT = "not_an_object";
    public static final String OVERSIZED = "oversized";
    public static final String MISSING_FIELD = "missing_field";
    public static final String INVALID_FIELD = "invalid_field";
    public static final String UNKNOWN_TYPE = "unknown_type";

    private static final Pattern VERIFICATION_ID_SHAPE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern TYPED_PIN = Pattern.compile("[0-9]{" + PhoneNumbers.PIN_LENGTH + "}");
    private static final Set<String> PLATFORMS = Set.of("android", "ios", "web", "desktop");

    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // metadata is echoed unchanged: 1.10 stays 1.10
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private final int maxRecordBytes;
    private final int maxMetadataBytes;
    private final VerificationTimeouts timeouts;

    public InputReader(int maxRecordBytes, int maxMetadataBytes, VerificationTimeouts timeouts) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxMetadataBytes = maxMetadataBytes;
        this.timeouts = timeouts;
    }

    /** A START or CANCEL command. */
    public Map<String, Object> readCommand(byte[] record) throws UnreadableRecordException {
        JsonNode command = readObject(record);
        String type = requiredText(command, TYPE);
        Map<String, Object> read = new LinkedHashMap<>();
        read.put(TYPE, type);
        read.put(VERIFICATION_ID, verificationId(command));
        switch (type) {
            case "START" -> readStart(command, read);
            case "CANCEL" -> { }
            default -> throw new UnreadableRecordException(UNKNOWN_TYPE,
                    "type must be START or CANCEL, was '" + abbreviate(type) + "'");
        }
        return read;
    }

    /** A caller-ID report: exactly one of {@code callerNumber} or a typed {@code pin}, reduced to the last digits. */
    public Map<String, Object> readCallerId(byte[] record) throws UnreadableRecordException {
        JsonNode report = readObject(record);
        Map<String, Object> read = new LinkedHashMap<>();
        read.put(VERIFICATION_ID, verificationId(report));
        boolean hasNumber = present(report, "callerNumber");
        boolean hasPin = present(report, "pin");
        if (hasNumber == hasPin) {
            throw new UnreadableRecordException(hasNumber ? INVALID_FIELD : MISSING_FIELD,
                    "exactly one of callerNumber or pin is required");
        }
        if (hasNumber) {
            String reported = text(report, "callerNumber");
            if (!PhoneNumbers.isReportedNumber(reported)) {
                throw new UnreadableRecordException(INVALID_FIELD,
                        "callerNumber may hold only digits, spaces, '+', '-', '.', '/' and parentheses");
            }
            String digits = PhoneNumbers.lastPinDigits(reported);
            if (digits == null) {
                throw new UnreadableRecordException(INVALID_FIELD,
                        "callerNumber has fewer than " + PhoneNumbers.PIN_LENGTH + " digits");
            }
            read.put(DIGITS, digits);
            read.put(CALLER_ID_SOURCE, "callerNumber");
        } else {
            String pin = text(report, "pin");
            if (!TYPED_PIN.matcher(pin).matches()) {
                throw new UnreadableRecordException(INVALID_FIELD,
                        "pin must be a string of exactly " + PhoneNumbers.PIN_LENGTH + " digits");
            }
            read.put(DIGITS, pin);
            read.put(CALLER_ID_SOURCE, "pin");
        }
        return read;
    }

    private void readStart(JsonNode command, Map<String, Object> read) throws UnreadableRecordException {
        read.put(NUMBER, requiredText(command, NUMBER));
        if (present(command, PLATFORM)) {
            String platform = text(command, PLATFORM);
            if (!PLATFORMS.contains(platform)) {
                throw new UnreadableRecordException(INVALID_FIELD,
                        "platform must be one of android, ios, web, desktop");
            }
            read.put(PLATFORM, platform);
        }
        Integer requested = null;
        if (present(command, TIMEOUT_SECONDS)) {
            JsonNode timeout = command.get(TIMEOUT_SECONDS);
            if (!timeout.canConvertToInt() || !timeout.isIntegralNumber()) {
                throw new UnreadableRecordException(INVALID_FIELD, "timeoutSeconds must be a whole number");
            }
            requested = timeout.intValue();
        }
        read.put(TIMEOUT_SECONDS, timeouts.effectiveSeconds(requested));
        read.put(METADATA, metadata(command));
    }

    private Map<String, Object> metadata(JsonNode command) throws UnreadableRecordException {
        if (!present(command, METADATA)) {
            return null;
        }
        JsonNode metadata = command.get(METADATA);
        if (!metadata.isObject()) {
            throw new UnreadableRecordException(INVALID_FIELD, "metadata must be a JSON object");
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isContainerNode()) {
                throw new UnreadableRecordException(INVALID_FIELD,
                        "metadata must be flat: '" + abbreviate(field.getKey()) + "' holds an object or array");
            }
            flat.put(field.getKey(), value.isNumber() ? value.numberValue()
                    : value.isBoolean() ? value.booleanValue() : value.isNull() ? null : value.asText());
        }
        try {
            if (json.writeValueAsBytes(metadata).length > maxMetadataBytes) {
                throw new UnreadableRecordException(OVERSIZED,
                        "metadata is larger than " + maxMetadataBytes + " bytes");
            }
        } catch (JsonProcessingException e) {
            throw new UnreadableRecordException(INVALID_FIELD, "metadata cannot be written back as JSON");
        }
        return flat;
    }

    private JsonNode readObject(byte[] record) throws UnreadableRecordException {
        if (record == null || record.length == 0) {
            throw new UnreadableRecordException(NOT_JSON, "the record has no value");
        }
        if (record.length > maxRecordBytes) {
            throw new UnreadableRecordException(OVERSIZED,
                    "the record has " + record.length + " bytes, more than the " + maxRecordBytes + " allowed");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(record)).toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableRecordException(NOT_UTF8, "the record is not UTF-8 text");
        }
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (IOException e) {
            throw new UnreadableRecordException(NOT_JSON, "the record is not JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new UnreadableRecordException(NOT_AN_OBJECT, "the record is JSON but not an object");
        }
        return node;
    }

    private static String verificationId(JsonNode node) throws UnreadableRecordException {
        String id = requiredText(node, VERIFICATION_ID);
        if (!VERIFICATION_ID_SHAPE.matcher(id).matches()) {
            throw new UnreadableRecordException(INVALID_FIELD,
                    "verificationId must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        return id;
    }

    private static boolean present(JsonNode node, String field) {
        return node.hasNonNull(field);
    }

    private static String requiredText(JsonNode node, String field) throws UnreadableRecordException {
        if (!present(node, field)) {
            throw new UnreadableRecordException(MISSING_FIELD, field + " is required");
        }
        return text(node, field);
    }

    private static String text(JsonNode node, String field) throws UnreadableRecordException {
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw new UnreadableRecordException(INVALID_FIELD, field + " must be a string");
        }
        return value.textValue();
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }
}
