package dev.missedcall.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DestinationNumbersTest {

    @Test
    void pinHashIsSha1OfTheLastThreeDigits() {
        assertEquals("6f8246002c1c5967ffc5e0ec80f2d7b59a60b1e3", CheckMobiApi.pinHash("+44207940811"));
    }

    @Test
    void masksNumbersForLogs() {
        assertEquals("+44740***001", DestinationNumbers.mask("+447400900001"));
        assertEquals("***", DestinationNumbers.mask("+1234567"));
    }

    @Test
    void acceptsE164WithOrWithoutPlus() {
        assertEquals(Optional.of("+40743123456"), DestinationNumbers.toE164("40743123456"));
        assertEquals(Optional.empty(), DestinationNumbers.toE164("+0743123456"));
        assertEquals(Optional.empty(), DestinationNumbers.toE164("+4074312345678901"));
        assertEquals(Optional.empty(), DestinationNumbers.toE164(null));
    }

    @Test
    void validationInfoHidesTheLastSixDigits() {
        ObjectNode info = DestinationNumbers.validationInfo("+40743123456");

        assertEquals(40, info.get("country_code").asInt());
        assertEquals("RO", info.get("country_iso_code").asText());
        assertEquals("+40743XXXXXX", info.get("e164_format").asText());
        assertEquals("+40 743 XXX XXX", info.get("formatting").asText());
    }

    @Test
    void unknownCountriesHaveNullCountryFields() {
        ObjectNode info = DestinationNumbers.validationInfo("+8881234567");

        assertTrue(info.get("country_code").isNull());
        assertTrue(info.get("country_iso_code").isNull());
        assertEquals("+8881XXXXXX", info.get("e164_format").asText());
        assertEquals("+8881 XXX XXX", info.get("formatting").asText());
    }
}
