package dev.vigil.stream;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Values bounded by an estimate of their heap bytes: when an entry would take the total past {@link #maxBytes()},
 * entries not used since the eviction hand last passed them are dropped first (CLOCK, or second chance: an
 * approximation of least recently used). An entry larger than the whole bound is not kept at all. Thread-safe: a
 * lookup takes no lock and moves nothing (a concurrent map, and a use flag it sets when not set yet); caching,
 * removing and evicting take one lock. A removal leaves the entry in the clock, marked, for the hand to discard (or a
 * sweep, once the marked outnumber the cached), so that removing one key costs the same at any size, not a pass.
 * The instance's decoded models ({@link DecodedModels}) and decoded detector states ({@link DecodedStates}) are two
 * of these.
 */
final class ClockCache<K, V> {
    private final long maxBytes;
    private final Map<K, Cached<K, V>> entries = new ConcurrentHashMap<>();
    /** The cached entries in the eviction hand's order (head: next to look at); guarded by this. */
    private final ArrayDeque<Cached<K, V>> clock = new ArrayDeque<>();
    private long bytes;
    private long evictions;
    /** Removed entries still in {@link #clock}; guarded by this. */
    private int removed;

    /**
     * One key's entry; replaced in place (under the lock) when the key is cached again, so that it also serves as a
     * handle on the key's value ({@link #slot}): its value is the cached one until the entry is evicted or removed,
     * null from then on (a handle kept elsewhere then holds no value the bound no longer counts).
     */
    static final class Cached<K, V> {
        final K key;
        volatile V value;
        long bytes;
        /** Used since the hand last passed (a benign race: a lost flag costs one entry an early eviction). */
        boolean used;
        /** Removed from the map; the hand discards it (guarded by the cache). */
        boolean gone;

        Cached(K key, V value, long bytes) {
            this.key = key;
            this.value = value;
            this.bytes = bytes;
        }
    }

    /** @param maxBytes the bound on the estimated heap of the cached entries, at least 0 */
    ClockCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The value of {@code key}, now marked used, or null if none is cached. */
    V get(K key) {
        Cached<K, V> cached = slot(key);
        return cached == null ? null : cached.value;
    }

    /**
     * The entry of {@code key} as a handle, now marked used, or null if none is cached: {@link #value(Cached)} reads
     * it again later without a lookup, as long as the key stays cached.
     */
    Cached<K, V> slot(K key) {
        Cached<K, V> cached = entries.get(key);
        if (cached != null && !cached.used) {
            cached.used = true;
        }
        return cached;
    }

    /** The value {@code slot} holds now, marked used; null once its entry was evicted or removed. */
    static <K, V> V value(Cached<K, V> slot) {
        V value = slot.value;
        if (value != null && !slot.used) {
            slot.used = true;
        }
        return value;
    }

    /**
     * Caches {@code value} of an estimated {@code size} heap bytes for {@code key} (replacing any), marked used, after
     * evicting entries (those not used since the hand last passed them first) until the total is within the bound.
     * An entry larger than the bound is not kept (and drops the one it would replace).
     */
    synchronized void put(K key, V value, long size) {
        Cached<K, V> old = entries.get(key);
        if (size > maxBytes) {
            if (old != null) {
                drop(old);
            }
            return;
        }
        long others = old == null ? bytes : bytes - old.bytes;
        while (others + size > maxBytes) {
            Cached<K, V> next = clock.pollFirst();
            if (next.gone) {
                removed--;
                continue;
            }
            if (next == old || next.used) {
                // the entry being replaced stays; a used one gets a second chance, behind the others
                next.used = false;
                clock.addLast(next);
                continue;
            }
            entries.remove(next.key);
            next.value = null;
            bytes -= next.bytes;
            others -= next.bytes;
            evictions++;
        }
        if (old != null) {
            bytes += size - old.bytes;
            old.bytes = size;
            old.value = value;
            old.used = true;
            return;
        }
        Cached<K, V> cached = new Cached<>(key, value, size);
        entries.put(key, cached);
        clock.addLast(cached);
        bytes += size;
    }

    /** Drops the entry of {@code key}, if any (not counted as an eviction). */
    synchronized void remove(K key) {
        Cached<K, V> old = entries.get(key);
        if (old != null) {
            drop(old);
        }
    }

    /**
     * Drops every entry whose key {@code which} accepts (not counted as evictions); one pass over the clock, which
     * also sweeps the entries removed before.
     */
    synchronized void removeIf(Predicate<K> which) {
        clock.removeIf(c -> {
            if (c.gone) {
                return true;
            }
            if (!which.test(c.key)) {
                return false;
            }
            entries.remove(c.key);
            c.value = null;
            bytes -= c.bytes;
            return true;
        });
        removed = 0;
    }

    /**
     * Takes {@code old} out of the map and the count, marked for the hand to discard; sweeps the clock once the marked
     * outnumber the cached.
     */
    private void drop(Cached<K, V> old) {
        entries.remove(old.key);
        old.value = null;
        bytes -= old.bytes;
        old.gone = true;
        if (++removed > entries.size()) {
            clock.removeIf(c -> c.gone);
            removed = 0;
        }
    }

    /** The bound on {@link #bytes()}. */
    long maxBytes() {
        return maxBytes;
    }

    /** The estimated heap bytes of the cached entries; never above {@link #maxBytes()}. */
    synchronized long bytes() {
        return bytes;
    }

    /** Entries cached. */
    int size() {
        return entries.size();
    }

    /** Entries dropped to stay within the bound, since this cache was made. */
    synchronized long evictions() {
        return evictions;
    }

    /** Whether {@code key} has an entry (without marking it used). */
    boolean contains(K key) {
        return entries.containsKey(key);
    }
}
