package dev.missedcall.phone;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PhoneNumbersTest {

    @ParameterizedTest
    @CsvSource({"+40743123456, +40743***456", "+447400900001, +44770***001", "+1234567, +1234***567", "12345, ***"})
    void masksNumbers(String number, String masked) {
        assertEquals(masked, PhoneNumbers.mask(number));
    }

    @ParameterizedTest
    @CsvSource({"+40743123456, true", "+1234567, true", "40743123456, false", "+0743123456, false",
            "+40 743 123 456, false", "+1234567890123456, false", "'', false"})
    void recognisesE164(String number, boolean e164) {
        assertEquals(e164, PhoneNumbers.isE164(number));
    }
}
