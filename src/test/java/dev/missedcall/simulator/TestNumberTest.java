package dev.missedcall.simulator;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestNumberTest {

    @Test
    void numbersAreValidAndListedOnce() {
        List<String> numbers = Arrays.stream(TestNumber.values()).map(TestNumber::number).toList();

        assertEquals(numbers.size(), numbers.stream().distinct().count());
        assertTrue(numbers.stream().allMatch(n -> DestinationNumbers.toE164(n).equals(Optional.of(n))));
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
