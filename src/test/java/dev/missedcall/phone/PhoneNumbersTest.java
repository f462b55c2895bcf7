package dev.missedcall.phone;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PhoneNumbersTest {

    @ParameterizedTest
    @CsvSource({"+40743123456, +40743***456", "+447400900001, +44740***001", "+1234567, +1234***567", "12345, ***"})
    void masksNumbers(String number, String masked) {
        assertEquals(masked, PhoneNumbers.mask(number));
    }
}
