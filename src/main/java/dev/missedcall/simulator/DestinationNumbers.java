package dev.missedcall.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Number handling as CheckMobi does it: validation, the added {@code +}, and the country facts it answers with. */
final class DestinationNumbers {

    private static final Pattern VALID = Pattern.compile("^\\+?[1-9][0-9]{6,14}$");
    private static final int MASKED_DIGITS = 6;

    // Enough calling codes for demos and tests; numbers elsewhere get null country fields, which clients must
    // tolerate anyway because CheckMobi documents every field but the id as optional.
    private static final Map<String, String> ISO_CODE_BY_CALLING_CODE = Map.ofEntries(
            Map.entry("1", "US"), Map.entry("7", "RU"), Map.entry("27", "ZA"), Map.entry("30", "GR"),
            Map.entry("31", "NL"), Map.entry("32", "BE"), Map.entry("33", "FR"), Map.entry("34", "ES"),
            Map.entry("36", "HU"), Map.entry("39", "IT"), Map.entry("40", "RO"), Map.entry("41", "CH"),
            Map.entry("43", "AT"), Map.entry("44", "GB"), Map.entry("45", "DK"), Map.entry("46", "SE"),
            Map.entry("47", "NO"), Map.entry("48", "PL"), Map.entry("49", "DE"), Map.entry("52", "MX"),
            Map.entry("55", "BR"), Map.entry("61", "AU"), Map.entry("81", "JP"), Map.entry("86", "CN"),
            Map.entry("91", "IN"), Map.entry("351", "PT"), Map.entry("353", "IE"), Map.entry("358", "FI"),
            Map.entry("972", "IL"));

    private DestinationNumbers() {
    }

    /** The number in E.164 with the {@code +} CheckMobi adds when missing, or empty if it is not a valid number. */
    static Optional<String> toE164(String raw) {
        if (raw == null || !VALID.matcher(raw).matches()) {
            return Optional.empty();
        }
        return Optional.of(raw.startsWith("+") ? raw : "+" + raw);
    }

    /** For logs, which must never hold a full phone number: {@code +447400900001} becomes {@code +44740***001}. */
    static String mask(String number) {
        if (number == null || number.length() < 10) {
            return "***";
        }
        return number.substring(0, 6) + "***" + number.substring(number.length() - 3);
    }

    /** CheckMobi's {@code validation_info}: country facts and the number with its last digits hidden. */
    static ObjectNode validationInfo(String e164) {
        String digits = e164.substring(1);
        String callingCode = callingCode(digits);
        String national = callingCode == null ? digits : digits.substring(callingCode.length());
        String visible = national.substring(0, Math.max(0, national.length() - MASKED_DIGITS));
        List<String> groups = new ArrayList<>();
        if (callingCode != null) {
            groups.add(callingCode);
        }
        if (!visible.isEmpty()) {
            groups.add(visible);
        }
        groups.add("XXX XXX");
        ObjectNode info = countryFacts(e164);
        info.put("e164_format", "+" + digits.substring(0, digits.length() - MASKED_DIGITS) + "X".repeat(MASKED_DIGITS));
        info.put("formatting", "+" + String.join(" ", groups));
        return info;
    }

    /** Country code, ISO code, carrier and line type, as Request Validation and Check number both report them. */
    static ObjectNode countryFacts(String e164) {
        String callingCode = callingCode(e164.substring(1));
        ObjectNode facts = Json.MAPPER.createObjectNode();
        if (callingCode == null) {
            facts.putNull("country_code");
            facts.putNull("country_iso_code");
        } else {
            facts.put("country_code", Integer.parseInt(callingCode));
            facts.put("country_iso_code", ISO_CODE_BY_CALLING_CODE.get(callingCode));
        }
        facts.put("carrier", "Simulated");
        facts.put("is_mobile", true);
        return facts;
    }

    // Calling codes are prefix-free, so at most one length matches.
    private static String callingCode(String digits) {
        for (int length = 1; length <= 3; length++) {
            String candidate = digits.substring(0, length);
            if (ISO_CODE_BY_CALLING_CODE.containsKey(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
