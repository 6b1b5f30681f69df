package dev.vigil.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.BadConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedListTest {
    @Test
    void shouldReadListsRangesAndBothInTheOrderGiven() {
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), SeedList.parse("1,2,3,4,5"));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), SeedList.parse("1-5"));
        assertEquals(List.of(42L, 1L, 2L, 3L), SeedList.parse("42, 1-3"));
        assertEquals(List.of(7L), SeedList.parse("7"));
    }

    @Test
    void shouldRejectBadListsWithOneLine() {
        assertEquals("--seeds must list non-negative integers or ranges like 1-5, got '1,x'",
                assertThrows(BadConfigException.class, () -> SeedList.parse("1,x")).getMessage());
        assertEquals("--seeds must list non-negative integers or ranges like 1-5, got '-3'",
                assertThrows(BadConfigException.class, () -> SeedList.parse("-3")).getMessage());
        assertEquals("--seeds must list non-negative integers or ranges like 1-5, got '1,'",
                assertThrows(BadConfigException.class, () -> SeedList.parse("1,")).getMessage());
        assertEquals("--seeds range '5-1' must not run backwards",
                assertThrows(BadConfigException.class, () -> SeedList.parse("5-1")).getMessage());
        assertEquals("--seeds lists seed 3 twice",
                assertThrows(BadConfigException.class, () -> SeedList.parse("1-3,3")).getMessage());
        assertEquals("--seeds must list at most 1000 seeds, got '0-1000'",
                assertThrows(BadConfigException.class, () -> SeedList.parse("0-1000")).getMessage());
        assertEquals("--seeds must list seeds, e.g. 1,2,3 or 1-5, got ' '",
                assertThrows(BadConfigException.class, () -> SeedList.parse(" ")).getMessage());
    }
}
