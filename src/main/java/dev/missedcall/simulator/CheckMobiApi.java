package dev.missedcall.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** The behaviour of CheckMobi's {@code /v1} endpoints, free of HTTP so each answer is a plain value. */
final class CheckMobiApi {

    static final String CLI_PREFIX = "+4420794";

    private static final Logger LOG = LoggerFactory.getLogger(CheckMobiApi.class);
    private static final Map<String, String> ID_PREFIX_BY_TYPE =
            Map.of("sms", "SMS-", "ivr", "IVR-", "reverse_cli", "RCL-", "cli", "CLI-");
    private static final Set<String> PLATFORMS = Set.of("ios", "android", "web", "desktop");
    private static final String HANGUP = "HANGUP";

    private final Map<String, Validation> validations = new ConcurrentHashMap<>();
    // A delayed answer leaves the client without the id while the phone already rings: tests find it by number.
    private final Map<String, Validation> latestMissedCallByNumber = new ConcurrentHashMap<>();

    ApiResponse requestValidation(JsonNode body) {
        if (!(body instanceof ObjectNode)) {
            return ApiResponse.error(CheckMobiError.INVALID_PAYLOAD);
        }
        String type = text(body, "type");
        if (type == null || !ID_PREFIX_BY_TYPE.containsKey(type)) {
            return ApiResponse.error(CheckMobiError.INVALID_VALIDATION_TYPE);
        }
        Optional<String> number = DestinationNumbers.toE164(text(body, "number"));
        if (number.isEmpty()) {
            return ApiResponse.error(CheckMobiError.INVALID_NUMBER);
        }
        JsonNode platform = body.get("platform");
        if (platform != null && !platform.isNull() && !PLATFORMS.contains(platform.asText())) {
            return ApiResponse.error(CheckMobiError.INVALID_PAYLOAD);
        }

        TestNumber testNumber = TestNumber.of(number.get());
        TestNumber.Script script = testNumber.script();
        if (script.dropsRequest()) {
            LOG.info("Request Validation for {}: dropping the connection ({})",
                    DestinationNumbers.mask(number.get()), testNumber);
            return ApiResponse.dropConnection();
        }
        if (script.requestError() != null) {
            LOG.info("Request Validation for {}: answering code {} ({})",
                    DestinationNumbers.mask(number.get()), script.requestError().code(), testNumber);
            return ApiResponse.error(script.requestError());
        }

        String id = ID_PREFIX_BY_TYPE.get(type) + UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        boolean missedCall = type.equals("reverse_cli");
        String callingNumber = missedCall ? randomCallingNumber() : null;
        // Registered before any delay: like CheckMobi, the call is placed whether or not the client waits.
        Validation validation = new Validation(id, number.get(), callingNumber, testNumber);
        validations.put(id, validation);
        if (missedCall) {
            latestMissedCallByNumber.put(number.get(), validation);
        }
        LOG.info("Request Validation {} for {} ({}, {})", id, DestinationNumbers.mask(number.get()), type, testNumber);

        ObjectNode response = Json.MAPPER.createObjectNode().put("id", id).put("type", type);
        if (missedCall) {
            response.put("pin_hash", pinHash(callingNumber));
            response.put("cli_prefix", CLI_PREFIX);
        }
        response.set("validation_info", DestinationNumbers.validationInfo(number.get()));
        return ApiResponse.ok(response).after(script.requestDelay());
    }

    ApiResponse verify(JsonNode body) {
        if (!(body instanceof ObjectNode)) {
            return ApiResponse.error(CheckMobiError.INVALID_PAYLOAD);
        }
        String id = text(body, "id");
        String pin = text(body, "pin");
        if (id == null || pin == null) {
            return ApiResponse.error(CheckMobiError.INVALID_PAYLOAD);
        }
        Validation validation = validations.get(id);
        if (validation == null) {
            return ApiResponse.error(CheckMobiError.INVALID_REQUEST_ID);
        }
        if (validation.testNumber().script().failsVerify()) {
            LOG.info("Verify PIN {}: answering 500 ({})", id, validation.testNumber());
            return ApiResponse.error(CheckMobiError.INTERNAL_ERROR);
        }
        if (pin.equals(HANGUP)) {
            validation.hangUp();
        } else {
            validation.verify(pin, body.path("use_server_hangup").asBoolean(false), Instant.now());
        }
        ObjectNode status = statusOf(validation);
        LOG.info("Verify PIN {} with {}: validated {}", id, pin.equals(HANGUP) ? HANGUP : "digits",
                status.get("validated").asBoolean());
        return ApiResponse.ok(status);
    }

    ApiResponse status(String id) {
        Validation validation = validations.get(id);
        return validation == null
                ? ApiResponse.error(CheckMobiError.INVALID_REQUEST_ID)
                : ApiResponse.ok(statusOf(validation));
    }

    ApiResponse hangUp(String id) {
        Validation validation = validations.get(id);
        if (validation == null) {
            return ApiResponse.error(CheckMobiError.INVALID_REQUEST_ID);
        }
        validation.hangUp();
        LOG.info("Hangup {}", id);
        return ApiResponse.noContent();
    }

    ApiResponse checkNumber(JsonNode body) {
        if (!(body instanceof ObjectNode)) {
            return ApiResponse.error(CheckMobiError.INVALID_PAYLOAD);
        }
        Optional<String> number = DestinationNumbers.toE164(text(body, "number"));
        if (number.isEmpty()) {
            return ApiResponse.error(CheckMobiError.INVALID_NUMBER);
        }
        // Check number agrees with what Request Validation would say about the same test number.
        CheckMobiError refusal = TestNumber.of(number.get()).script().requestError();
        if (refusal == CheckMobiError.INVALID_NUMBER) {
            return ApiResponse.error(refusal);
        }
        ObjectNode response = DestinationNumbers.countryFacts(number.get()).put("e164_format", number.get());
        var methods = response.putArray("validation_methods").add("sms").add("ivr").add("cli");
        if (refusal != CheckMobiError.METHOD_NOT_AVAILABLE) {
            methods.add("reverse_cli");
        }
        return ApiResponse.ok(response);
    }

    Optional<Ringing> ringing(String validationId) {
        Validation validation = validations.get(validationId);
        return validation == null ? Optional.empty() : validation.ringing();
    }

    Optional<Ringing> latestRingingTo(String number) {
        return DestinationNumbers.toE164(number)
                .map(latestMissedCallByNumber::get)
                .flatMap(Validation::ringing);
    }

    /** SHA-1, lower-case hex, of the calling number's last 3 digits: what lets a phone spot the right call. */
    static String pinHash(String callingNumber) {
        try {
            byte[] lastThree = callingNumber.substring(callingNumber.length() - 3).getBytes(StandardCharsets.US_ASCII);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(lastThree));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static ObjectNode statusOf(Validation validation) {
        Optional<Instant> validatedAt = validation.validatedAt();
        ObjectNode status = Json.MAPPER.createObjectNode()
                .put("number", validation.number())
                .put("validated", validatedAt.isPresent());
        if (validatedAt.isPresent()) {
            status.put("validation_date", validatedAt.get().getEpochSecond());
        } else {
            status.putNull("validation_date");
        }
        return status.put("charged_amount", validation.chargedAmount());
    }

    private static String randomCallingNumber() {
        return CLI_PREFIX + String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
