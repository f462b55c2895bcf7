package dev.missedcall.policy;

import java.util.EnumSet;
import java.util.Set;

import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NumberRulesTest {

    private static final Set<PhoneNumberType> FRAUD_TYPES = EnumSet.of(PhoneNumberType.PREMIUM_RATE,
            PhoneNumberType.SHARED_COST);
    private final NumberRules defaults = new NumberRules(FRAUD_TYPES, false, Set.of(), Set.of());

    @Test
    void aValidMobileIsAllowedAndNormalisedToE164() {
        NumberRules.Verdict verdict = defaults.check("+40 743-123 456");
        assertTrue(verdict.allowed());
        assertEquals("+40743123456", verdict.e164());
        assertEquals("RO", verdict.country());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0743123456", "40743123456", "+4074312", "+447700900001", "+999123456789", "+40 abc",
        "", "+"})
    void numbersLibphonenumberCannotReadAsValidInternationalNumbersAreInvalid(String number) {
        assertEquals(NumberRules.INVALID_NUMBER, defaults.check(number).refusal());
    }

    @Test
    void aMissingNumberIsInvalid() {
        assertEquals(NumberRules.INVALID_NUMBER, defaults.check(null).refusal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+449098790900", "+448719000001", "+33810900300", "+43900123456"})
    void premiumRateAndSharedCostNumbersAreRefused(String number) {
        assertEquals(NumberRules.NUMBER_TYPE_NOT_ALLOWED, defaults.check(number).refusal());
    }

    @Test
    void mobileOnlyRefusesLandlinesButNotNorthAmericanNumbersThatMayBeMobiles() {
        NumberRules mobileOnly = new NumberRules(FRAUD_TYPES, true, Set.of(), Set.of());
        assertEquals(NumberRules.NUMBER_TYPE_NOT_ALLOWED, mobileOnly.check("+442079460811").refusal());
        assertEquals(NumberRules.NUMBER_TYPE_NOT_ALLOWED, mobileOnly.check("+448001234567").refusal());
        assertNull(mobileOnly.check("+40743123456").refusal());
        assertNull(mobileOnly.check("+14155550123").refusal());
        assertNull(defaults.check("+442079460811").refusal(), "landlines are allowed unless mobile-only");
    }

    @Test
    void theAllowListAdmitsOnlyItsCountriesAndTheDenyListWins() {
        NumberRules rules = new NumberRules(FRAUD_TYPES, false, Set.of("RO", "GB"), Set.of("GB"));
        assertNull(rules.check("+40743123456").refusal());
        assertEquals(NumberRules.COUNTRY_NOT_ALLOWED, rules.check("+447400900001").refusal());
        assertEquals(NumberRules.COUNTRY_NOT_ALLOWED, rules.check("+14155550123").refusal());
    }

    @Test
    void theCountryIsTheNumbersOwnTerritoryNotItsCallingCode() {
        // +44 7911 is Guernsey: a deny-list of GB does not catch it
        NumberRules denyGb = new NumberRules(FRAUD_TYPES, false, Set.of(), Set.of("GB"));
        assertEquals("GG", denyGb.check("+447911123456").country());
        assertNull(denyGb.check("+447911123456").refusal());
    }

    @Test
    void countryListsAreReadCaseInsensitivelyAndUnknownCodesStopTheStart() {
        assertEquals(Set.of("GB", "RO"), NumberRules.countries("p", " ro, gb ,,"));
        assertEquals(Set.of(), NumberRules.countries("p", ""));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> NumberRules.countries("verification.policy.countries.deny", "RO,UK"));
        assertTrue(wrong.getMessage().contains("verification.policy.countries.deny holds 'UK'"), wrong.getMessage());
    }

    @Test
    void numberTypesAreReadByNameAndUnknownNamesStopTheStart() {
        assertEquals(EnumSet.of(PhoneNumberType.PREMIUM_RATE, PhoneNumberType.VOIP),
                NumberRules.numberTypes("p", "premium_rate, VOIP"));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> NumberRules.numberTypes("verification.policy.number-types.deny", "PREMIUM"));
        assertTrue(wrong.getMessage().contains("holds 'PREMIUM'"), wrong.getMessage());
    }
}
