package dev.vigil.stream;

import dev.vigil.BadConfigException;
import dev.vigil.config.AppConfig;
import dev.vigil.lstm.LstmModel;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded models of one Vigil instance, bounded by an estimate of their heap bytes: when an entry would take the
 * total past {@link #maxBytes()}, the least recently used entries are dropped first (access order), and the key of a
 * dropped entry has its model decoded again from the model store at its next event ({@link ModelCache}). An entry
 * larger than the whole bound is not kept at all (a bound below one model caches nothing; every event decodes).
 * Shared by every detector of an instance (all stream threads, all topologies; entries are keyed by model store and
 * model id), so the heap they take does not grow with the number of keys or tasks beyond the bound. Thread-safe
 * (one lock, held for a map lookup or insertion; decoding happens outside it).
 */
public final class DecodedModels {
    /**
     * Heap of a cache entry besides the model's parameters: the key and map node, the fingerprints, and the model's
     * own objects (row headers, normalisation, training info); with {@link #modelBytes} it gives 19,076 bytes at
     * H=32, where {@code bench lstm} measures 18,831 bytes per decoded model.
     */
    static final long ENTRY_OVERHEAD_BYTES = 1_536;
    /** Heap of an entry without a model (a key with no payload, or only refused ones): key, map node, record. */
    static final long EMPTY_ENTRY_BYTES = 256;

    /** Which model store a model id belongs to (a service may run several topologies). */
    record Key(String store, String id) {
    }

    private final long maxBytes;
    private final Map<Key, Cached> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long evictions;

    private record Cached(ModelCache.Entry entry, long bytes) {
    }

    /**
     * @param maxBytes the bound on the estimated heap of the cached entries, {@code models.cache.bytes}:
     *                 0..{@value AppConfig#MAX_MODEL_CACHE_BYTES}, {@value AppConfig#DEFAULT_MODEL_CACHE_BYTES} by default
     */
    public DecodedModels(long maxBytes) {
        if (maxBytes < 0 || maxBytes > AppConfig.MAX_MODEL_CACHE_BYTES) {
            throw new BadConfigException("models.cache.bytes must be in [0, " + AppConfig.MAX_MODEL_CACHE_BYTES
                    + "], got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The estimated heap bytes of an entry holding {@code model} (null: no model): parameters as float32 and overhead. */
    static long entryBytes(LstmModel model) {
        return model == null ? EMPTY_ENTRY_BYTES : ENTRY_OVERHEAD_BYTES + 4L * model.parameterCount();
    }

    /** The entry of {@code key}, now the most recently used, or null if none is cached. */
    synchronized ModelCache.Entry get(Key key) {
        Cached cached = entries.get(key);
        return cached == null ? null : cached.entry;
    }

    /**
     * Caches {@code entry} for {@code key} (replacing any), most recently used, then drops least recently used
     * entries until the total is within the bound. An entry larger than the bound is not kept.
     */
    synchronized void put(Key key, ModelCache.Entry entry) {
        long size = entryBytes(entry.model());
        Cached old = entries.remove(key);
        if (old != null) {
            bytes -= old.bytes;
        }
        if (size > maxBytes) {
            return;
        }
        Iterator<Cached> eldest = entries.values().iterator();
        while (bytes + size > maxBytes) {
            bytes -= eldest.next().bytes;
            eldest.remove();
            evictions++;
        }
        entries.put(key, new Cached(entry, size));
        bytes += size;
    }

    /** The bound on {@link #bytes()}. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The estimated heap bytes of the cached entries; never above {@link #maxBytes()}. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Entries cached. */
    public synchronized int size() {
        return entries.size();
    }

    /** Entries dropped to stay within the bound, since this cache was made. */
    public synchronized long evictions() {
        return evictions;
    }

    /** Whether {@code key} has an entry (without making it the most recently used). */
    synchronized boolean contains(Key key) {
        return entries.containsKey(key);
    }
}
