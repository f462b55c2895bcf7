package dev.missedcall.simulator;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestNumberTest {

    private static final PhoneNumberUtil LIBPHONENUMBER = PhoneNumberUtil.getInstance();

    @Test
    void numbersAreValidAndListedOnce() {
        List<String> numbers = Arrays.stream(TestNumber.values()).map(TestNumber::number).toList();

        assertEquals(numbers.size(), numbers.stream().distinct().count());
        assertTrue(numbers.stream().allMatch(n -> DestinationNumbers.toE164(n).equals(Optional.of(n))));
    }

    // The routes check numbers with libphonenumber: a test number it refused would never reach the simulator.
    @ParameterizedTest
    @EnumSource(TestNumber.class)
    void libphonenumberSeesMobileNumbersExceptTheRefusedTypes(TestNumber testNumber) throws NumberParseException {
        PhoneNumber number = LIBPHONENUMBER.parse(testNumber.number(), null);
        PhoneNumberType expectedType = switch (testNumber) {
            case PREMIUM_RATE -> PhoneNumberType.PREMIUM_RATE;
            case SHARED_COST -> PhoneNumberType.SHARED_COST;
            default -> PhoneNumberType.MOBILE;
        };

        assertTrue(LIBPHONENUMBER.isValidNumber(number), testNumber.number());
        assertEquals(expectedType, LIBPHONENUMBER.getNumberType(number), testNumber.number());
    }

    @ParameterizedTest
    @CsvSource({"PREMIUM_RATE, GB", "SHARED_COST, FR"})
    void refusedTypesComeFromTheirCountries(TestNumber testNumber, String region) throws NumberParseException {
        assertEquals(region, LIBPHONENUMBER.getRegionCodeForNumber(LIBPHONENUMBER.parse(testNumber.number(), null)));
    }

    @Test
    void unlistedNumbersBehaveLikeTheFirst() {
        assertEquals(TestNumber.VERIFIED_E164, TestNumber.of("+40743123456"));
        assertEquals(TestNumber.WRONG_DIGITS, TestNumber.of("+447400900010"));
    }

    @Test
    void readmeTableHasARowPerNumber() {
        String table = TestNumber.markdownTable();

        assertTrue(table.startsWith("| number | behaviour | expected outcome |\n|---|---|---|\n"));
        assertEquals(TestNumber.values().length + 3, table.lines().count());
        assertTrue(table.endsWith("| any other valid number | Behaves like `+447400900001`. | VERIFIED |\n"));
        assertTrue(table.contains("| `+447400900020` | The call never reaches the phone: nothing is reported. | "
                + "TIMED_OUT (CANCELLED if the sender cancels first) |"));
    }
}
