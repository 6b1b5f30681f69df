package dev.vigil.stream;

import dev.vigil.BadConfigException;

/**
 * An instance's cache of decoded values, bounded by an estimate of their heap bytes (a {@link ClockCache}): its
 * decoded models ({@link DecodedModels}, {@code models.cache.bytes}) and its detectors' decoded states
 * ({@link DecodedStates}, {@code states.cache.bytes}). What it shows of itself, the bound, the estimated heap, the
 * entries and the evictions, is what the metrics endpoint binds ({@code vigil.model.cache.*},
 * {@code vigil.state.cache.*}).
 */
public abstract sealed class DecodedCache<K, V> permits DecodedModels, DecodedStates {
    final ClockCache<K, V> cache;

    /**
     * @param setting  the setting that bounds it, named in the error
     * @param most     the largest bound allowed
     * @param maxBytes the bound on the estimated heap of the cached entries: 0..{@code most} (0 caches nothing)
     */
    DecodedCache(String setting, long most, long maxBytes) {
        if (maxBytes < 0 || maxBytes > most) {
            throw new BadConfigException(setting + " must be in [0, " + most + "], got " + maxBytes);
        }
        this.cache = new ClockCache<>(maxBytes);
    }

    /** The bound on {@link #bytes()}. */
    public final long maxBytes() {
        return cache.maxBytes();
    }

    /** The estimated heap bytes of the cached entries; never above {@link #maxBytes()}. */
    public final long bytes() {
        return cache.bytes();
    }

    /** Entries cached. */
    public final int size() {
        return cache.size();
    }

    /** Entries dropped to stay within the bound, since this cache was made. */
    public final long evictions() {
        return cache.evictions();
    }
}
