package dev.vigil.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ClockCache}'s removals (its eviction is tested through {@link DecodedModels}, {@link DecodedModelsTest}). */
class ClockCacheTest {

    @Test
    void shouldRemoveOneKeyOrEveryKeyAPredicateAcceptsAndCountTheirBytesOut() {
        ClockCache<String, Integer> cache = new ClockCache<>(100);
        cache.put("a1", 1, 10);
        cache.put("a2", 2, 20);
        cache.put("b1", 3, 30);
        cache.remove("a2");
        cache.remove("none");
        assertNull(cache.get("a2"));
        assertEquals(40, cache.bytes());
        cache.put("a3", 4, 40);
        cache.removeIf(k -> k.startsWith("a"));
        assertFalse(cache.contains("a1") || cache.contains("a3"));
        assertTrue(cache.contains("b1"));
        assertEquals(30, cache.bytes());
        assertEquals(1, cache.size());
        assertEquals(0, cache.evictions(), "removals are not evictions");
        cache.put("c", 5, 70);
        cache.put("d", 6, 1);
        assertEquals(1, cache.evictions(), "the removed entries left the clock too: the hand found b1 first");
        assertEquals(71, cache.bytes());
    }
}
