package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.detect.DetectorState;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector's per-key cache of decoded models, so that a payload is decoded once per version rather than
 * once per event, and read from the task's model store only when the store changed. The store's
 * {@link ModelGeneration} (17 bytes) is read again only after the task's updater changed the store
 * ({@link ModelStoreChanges}); if the key's entry was checked at that generation, or the updater has not changed the
 * key since the entry's generation, its model stands.
 * Otherwise the key's payload is read; the same bytes as last time return the cached model (now checked at this
 * generation). A store without a generation entry (written by an older version) has its payload read every time.
 * "The same bytes" is decided by a {@link PayloadFingerprint} (length and two CRCs) rather than a copy of the
 * payload, so a key costs the heap of its decoded model only (about 19 KB at H=32), not another 18 KB.
 *
 * <p>The model store normally holds only payloads the {@link ModelStoreUpdater} accepted. Should it hold one
 * that does not decode or fit anyway, the payload is refused here too (logged once, counted) and the key's last
 * good model stays in force while its entry stays cached (below); a key with no good model so far runs without one
 * (persistence predictor). No payload for the key (never published, or retracted by a tombstone) means no
 * model.
 *
 * <p>The entries live in the instance's {@link DecodedModels}, bounded by bytes ({@code models.cache.bytes}): a key
 * whose entry was evicted (those not used lately first) reads and decodes its payload again at its next event and gets
 * the same model bits back, so its scores do not change (same version: no re-warm). What eviction forgets is a
 * refusal's context: should an evicted key's stored payload be one that is refused, the key has no last good model
 * to keep and runs without one (persistence predictor) until a payload that decodes arrives, and the refusal is
 * logged and counted again. One per processor; not thread-safe (the {@link DecodedModels} it uses is).
 */
final class ModelCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final String storeName;
    private final LstmConfig shape;
    private final int maxBytes;
    private final Sensor refused;
    private final DecodedModels entries;
    private final ModelStoreChanges.Task changes;
    /** The store's generation as last read, and the change count at that read (-1: not read yet). */
    private long generation = ModelGeneration.UNKNOWN;
    private long generationAtChange = -1;

    /**
     * The fingerprints of a key's last good payload and model, of the last payload refused after it (if any), and the
     * store generation at which the key's payload was last read (the payload read came after the generation read).
     */
    static final class Entry {
        private final PayloadFingerprint payload;
        private final LstmModel model;
        private final PayloadFingerprint refused;
        /**
         * Moved on in place when the key's model is found to stand at a later generation (not a new entry: no
         * allocation, no lock, and no reference stored in the cache's older objects at each key's event while models
         * change); an entry is used by its task's thread only.
         */
        private long generation;

        Entry(PayloadFingerprint payload, LstmModel model, PayloadFingerprint refused, long generation) {
            this.payload = payload;
            this.model = model;
            this.refused = refused;
            this.generation = generation;
        }

        PayloadFingerprint payload() {
            return payload;
        }

        LstmModel model() {
            return model;
        }

        PayloadFingerprint refused() {
            return refused;
        }

        long generation() {
            return generation;
        }
    }

    /**
     * @param store     the task's model store
     * @param storeName names the store and task in the shared {@link DecodedModels} (each task holds its own copy
     *                  of a shared model, and its own generation count)
     * @param maxBytes  the largest payload accepted ({@code retrain.maxModelBytes})
     * @param entries   the instance's decoded models, shared by its detectors
     * @param changes   the changes of this task's model store ({@link ModelStoreChanges}); the generation is read at
     *                  the first call and again whenever their count moved, a key's payload only when it changed
     */
    ModelCache(ReadOnlyKeyValueStore<String, byte[]> store, String storeName, LstmConfig shape, int maxBytes,
               Sensor refused, DecodedModels entries, ModelStoreChanges.Task changes) {
        this.store = store;
        this.changes = changes;
        this.storeName = storeName;
        this.entries = entries;
        this.shape = shape;
        this.maxBytes = maxBytes;
        this.refused = refused;
    }

    /**
     * The model in force for the key whose state is {@code state}, its model id {@code key} (the same at each of the
     * key's events): read through the handle on the key's entry the state keeps ({@link DetectorState#modelHandle})
     * while the entry is cached and checked at the store's generation, which saves the key's lookup in the instance's
     * {@link DecodedModels} (a few cache misses an event in a large fleet); otherwise as {@link #current(String)},
     * the handle then taken again.
     */
    LstmModel current(String key, DetectorState state) {
        if (state.modelHandle() instanceof ClockCache.Cached<?, ?> slot) {
            long generation = generation();
            Entry entry = (Entry) ClockCache.value(slot);
            if (entry != null && stands(key, entry, generation)) {
                return entry.model;
            }
        }
        LstmModel model = current(key);
        state.modelHandle(entries.slot(new DecodedModels.Key(storeName, key)));
        return model;
    }

    /**
     * Caches a model the task's {@link ModelStoreUpdater} accepted (decoded to check it) as {@code key}'s in store and
     * task {@code storeName}, checked at the store's {@code generation} that the acceptance raised: the key's detector
     * finds it there at the key's next event instead of reading and decoding the payload again.
     */
    static void accepted(DecodedModels entries, String storeName, String key, byte[] payload, LstmModel model,
                         long generation) {
        entries.put(new DecodedModels.Key(storeName, key),
                new Entry(PayloadFingerprint.of(payload), model, null, generation));
    }

    /** The model in force for {@code key}. */
    LstmModel current(String key) {
        long generation = generation();
        DecodedModels.Key id = new DecodedModels.Key(storeName, key);
        Entry entry = entries.get(id);
        if (entry != null && stands(key, entry, generation)) {
            return entry.model;
        }
        return current(id, entry, store.get(key), generation);
    }

    /**
     * Whether {@code entry}'s model is {@code key}'s at the store's {@code generation}: checked at it, or the store
     * changed since but not this key's payload (the entry then checked at this generation, in place). An entry read
     * while the store had no generation cannot be vouched for: it is read again.
     */
    private boolean stands(String key, Entry entry, long generation) {
        if (generation == ModelGeneration.UNKNOWN) {
            return false;
        }
        if (entry.generation == generation) {
            return true;
        }
        if (entry.generation != ModelGeneration.UNKNOWN && changes.unchangedSince(key, entry.generation)) {
            entry.generation = generation;
            return true;
        }
        return false;
    }

    /** The store's generation: read again only when the updater changed the store since the last read. */
    private long generation() {
        long changed = changes.count();
        if (changed != generationAtChange) {
            generation = ModelGeneration.decode(store.get(ModelGeneration.KEY));
            generationAtChange = changed;
        }
        return generation;
    }

    /**
     * The model in force for {@code id}, given its cached entry (null if none) and the model store's current payload
     * for it (may be null).
     */
    private LstmModel current(DecodedModels.Key id, Entry entry, byte[] payload, long generation) {
        String key = id.id();
        if (payload == null) {
            entries.put(id, new Entry(null, null, null, generation));
            return null;
        }
        PayloadFingerprint fingerprint = PayloadFingerprint.of(payload);
        if (entry != null && (fingerprint.equals(entry.payload) || fingerprint.equals(entry.refused))) {
            entry.generation = generation;
            return entry.model;
        }
        try {
            LstmModel model = ModelPayloads.decode(key, payload, shape, maxBytes);
            entries.put(id, new Entry(fingerprint, model, null, generation));
            return model;
        } catch (BadBytesException e) {
            refused.record();
            LstmModel kept = entry == null ? null : entry.model;
            LOG.warn("model payload for key '{}' refused, {}: {}", key,
                    kept == null ? "the key runs without a model" : "version " + kept.info().version() + " stays in force",
                    e.getMessage());
            entries.put(id, new Entry(entry == null ? null : entry.payload, kept, fingerprint, generation));
            return kept;
        }
    }
}
