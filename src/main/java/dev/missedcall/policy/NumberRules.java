package dev.missedcall.policy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Which destination numbers may be called at all, decided with libphonenumber's metadata (number plans change, and
 * regexes would not follow): a valid number, of an allowed type, in an allowed country. A number a phone could not
 * receive a missed call on, or one that earns its owner money per call (premium rate, shared cost: the toll-fraud
 * targets), is refused before CheckMobi is asked.
 */
public final class NumberRules {

    public static final String INVALID_NUMBER = "invalid_number";
    public static final String NUMBER_TYPE_NOT_ALLOWED = "number_type_not_allowed";
    public static final String COUNTRY_NOT_ALLOWED = "country_not_allowed";

    /** Where libphonenumber cannot tell a mobile from a landline (North America): accepted as a mobile. */
    private static final Set<PhoneNumberType> MOBILE = EnumSet.of(PhoneNumberType.MOBILE,
            PhoneNumberType.FIXED_LINE_OR_MOBILE);

    private final PhoneNumberUtil numbers = PhoneNumberUtil.getInstance();
    private final Set<PhoneNumberType> deniedTypes;
    private final boolean mobileOnly;
    private final Set<String> allowedCountries;
    private final Set<String> deniedCountries;

    /**
     * @param allowedCountries ISO 3166-1 alpha-2 codes; empty allows every country not denied
     */
    public NumberRules(Set<PhoneNumberType> deniedTypes, boolean mobileOnly, Set<String> allowedCountries,
                       Set<String> deniedCountries) {
        this.deniedTypes = Set.copyOf(deniedTypes);
        this.mobileOnly = mobileOnly;
        this.allowedCountries = Set.copyOf(allowedCountries);
        this.deniedCountries = Set.copyOf(deniedCountries);
    }

    /** The verdict on a START's number: its E.164 form when it may be called, else the refusal's reason. */
    public record Verdict(String e164, String country, String refusal) {

        public boolean allowed() {
            return refusal == null;
        }
    }

    public Verdict check(String number) {
        PhoneNumber parsed = parse(number);
        if (parsed == null || !numbers.isValidNumber(parsed)) {
            return new Verdict(null, null, INVALID_NUMBER);
        }
        String e164 = numbers.format(parsed, PhoneNumberFormat.E164);
        String country = numbers.getRegionCodeForNumber(parsed);
        PhoneNumberType type = numbers.getNumberType(parsed);
        if (deniedTypes.contains(type) || (mobileOnly && !MOBILE.contains(type))) {
            return new Verdict(e164, country, NUMBER_TYPE_NOT_ALLOWED);
        }
        if (deniedCountries.contains(country) || !(allowedCountries.isEmpty() || allowedCountries.contains(country))) {
            return new Verdict(e164, country, COUNTRY_NOT_ALLOWED);
        }
        return new Verdict(e164, country, null);
    }

    // Only international numbers: a START carries no region a national number could be read in.
    private PhoneNumber parse(String number) {
        if (number == null || !number.strip().startsWith("+")) {
            return null;
        }
        try {
            return numbers.parse(number, null);
        } catch (NumberParseException e) {
            return null;
        }
    }

    /** Reads a comma-separated list of country codes, refusing any code libphonenumber does not know. */
    public static Set<String> countries(String property, String value) {
        Set<String> codes = new TreeSet<>();
        Set<String> known = PhoneNumberUtil.getInstance().getSupportedRegions();
        for (String code : value.split(",")) {
            String trimmed = code.strip().toUpperCase(Locale.ROOT);
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!known.contains(trimmed)) {
                throw new IllegalArgumentException(property + " holds '" + code.strip()
                        + "', which is not an ISO 3166-1 alpha-2 country code with a numbering plan");
            }
            codes.add(trimmed);
        }
        return codes;
    }

    /** Reads a comma-separated list of libphonenumber number types (PREMIUM_RATE, SHARED_COST, ...). */
    public static Set<PhoneNumberType> numberTypes(String property, String value) {
        Set<PhoneNumberType> types = EnumSet.noneOf(PhoneNumberType.class);
        for (String name : value.split(",")) {
            String trimmed = name.strip().toUpperCase(Locale.ROOT);
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                types.add(PhoneNumberType.valueOf(trimmed));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(property + " holds '" + name.strip() + "'; number types are "
                        + Arrays.toString(PhoneNumberType.values()), e);
            }
        }
        return types;
    }
}
