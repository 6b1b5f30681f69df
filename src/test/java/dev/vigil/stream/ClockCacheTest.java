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

    @Test
    void shouldLetTheHandPassOverRemovedEntriesWithoutCountingThemAsEvictions() {
        ClockCache<String, Integer> cache = new ClockCache<>(100);
        cache.put("x1", 1, 30);
        cache.put("x2", 2, 30);
        cache.put("x3", 3, 30);
        cache.remove("x1");
        // a key removed and cached again many times: each time a new entry, the old one marked in the clock
        for (int i = 0; i < 1_000; i++) {
            cache.put("y", i, 10);
            cache.remove("y");
        }
        assertEquals(60, cache.bytes());
        assertEquals(2, cache.size());
        cache.get("x2");
        cache.put("z", 4, 70);
        assertEquals(1, cache.evictions(), "x1 and the removed y entries are passed over; x2 was used: x3 goes");
        assertTrue(cache.contains("x2") && cache.contains("z"));
        assertFalse(cache.contains("x3") || cache.contains("x1") || cache.contains("y"));
        assertEquals(100, cache.bytes());
    }

    @Test
    void shouldHoldAKeysValueInItsHandleUntilTheEntryIsEvictedOrRemoved() {
        ClockCache<String, Integer> cache = new ClockCache<>(100);
        cache.put("a", 1, 40);
        cache.put("b", 2, 40);
        ClockCache.Cached<String, Integer> a = cache.slot("a");
        ClockCache.Cached<String, Integer> b = cache.slot("b");
        assertNull(cache.slot("none"));
        cache.put("a", 3, 40);
        assertEquals(3, ClockCache.value(a), "cached again: the handle follows the key's entry");
        cache.remove("b");
        assertNull(ClockCache.value(b), "removed: the handle holds nothing the bound no longer counts");
        cache.put("c", 4, 40);
        cache.put("d", 5, 40);
        cache.put("e", 6, 40);
        assertFalse(cache.contains("a"));
        assertNull(ClockCache.value(a), "evicted: the same");
        ClockCache.Cached<String, Integer> e = cache.slot("e");
        cache.removeIf(k -> k.equals("e"));
        assertNull(ClockCache.value(e), "removed by a predicate: the same");
        cache.put("big", 7, 101);
        assertNull(cache.slot("big"), "larger than the bound: never cached, no handle");
    }
}
