package dev.vigil.stream;

import dev.vigil.config.AppConfig;
import dev.vigil.lstm.LstmModel;

/**
 * The decoded models of one Vigil instance, bounded by an estimate of their heap bytes (a {@link ClockCache}): when an
 * entry would take the total past {@link #maxBytes()}, entries not used since the eviction hand last passed them are
 * dropped first (CLOCK, or second chance: an approximation of least recently used), and the key of a dropped entry
 * has its model decoded again from the model store at its next event ({@link ModelCache}). An entry larger than the
 * whole bound is not kept at all (a bound below one model caches nothing; every event decodes).
 * Shared by every detector of an instance (all stream threads, all topologies; entries are keyed by model store and
 * model id), so the heap they take does not grow with the number of keys or tasks beyond the bound. Thread-safe: a
 * lookup takes no lock and moves nothing (a concurrent map, and a use flag it sets when not set yet); caching an
 * entry and evicting take one lock (decoding happens outside it).
 */
public final class DecodedModels extends DecodedCache<DecodedModels.Key, ModelCache.Entry> {
    /**
     * Heap of a cache entry besides the model's parameters: the key and map node, the fingerprints, and the model's
     * own objects (row headers, normalisation, training info); with {@link LstmModel#parameterBytes} it gives 19,076
     * bytes at H=32, where {@code bench lstm} measures 18,831 bytes per decoded model (in 16-bit rows 10,306, measured
     * 10,443 with the calendar inputs, estimated 10,818).
     */
    static final long ENTRY_OVERHEAD_BYTES = 1_536;
    /** Heap of an entry without a model (a key with no payload, or only refused ones): key, map node, record. */
    static final long EMPTY_ENTRY_BYTES = 256;

    /** Which model store a model id belongs to (a service may run several topologies). */
    record Key(String store, String id) {
    }

    /**
     * @param maxBytes the bound on the estimated heap of the cached entries, {@code models.cache.bytes}:
     *                 0..{@value AppConfig#MAX_MODEL_CACHE_BYTES}, {@value AppConfig#DEFAULT_MODEL_CACHE_BYTES} by default
     */
    public DecodedModels(long maxBytes) {
        super("models.cache.bytes", AppConfig.MAX_MODEL_CACHE_BYTES, maxBytes);
    }

    /**
     * The estimated heap bytes of an entry holding {@code model} (null: no model): its parameters as it holds them
     * (float32, or 16 bits where the JDK steps half-precision rows: {@link LstmModel#parameterBytes}) and overhead.
     */
    static long entryBytes(LstmModel model) {
        return model == null ? EMPTY_ENTRY_BYTES : ENTRY_OVERHEAD_BYTES + model.parameterBytes();
    }

    /** The entry of {@code key}, now marked used, or null if none is cached. */
    ModelCache.Entry get(Key key) {
        return cache.get(key);
    }

    /**
     * The entry of {@code key} as a handle ({@link ClockCache#slot}), now marked used, or null if none is cached: a
     * detector keeps it with the key's state and reads the entry through it at the key's next event.
     */
    ClockCache.Cached<Key, ModelCache.Entry> slot(Key key) {
        return cache.slot(key);
    }

    /**
     * Caches {@code entry} for {@code key} (replacing any), marked used, after evicting entries (those not used since
     * the hand last passed them first) until the total is within the bound. An entry larger than the bound is not
     * kept.
     */
    void put(Key key, ModelCache.Entry entry) {
        cache.put(key, entry, entryBytes(entry.model()));
    }

    /** Whether {@code key} has an entry (without marking it used). */
    boolean contains(Key key) {
        return cache.contains(key);
    }
}
