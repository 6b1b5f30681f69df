package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * The detector's per-key cache of decoded models, so that a payload is decoded once per version rather than
 * once per event, and read from the global model store only when the store changed. Each event reads the store's
 * {@link ModelGeneration} (9 bytes); if the key's entry was checked at that generation, its model stands.
 * Otherwise the key's payload is read; the same bytes as last time return the cached model (now checked at this
 * generation). A store without a generation entry (written by an older version) has its payload read every time.
 * "The same bytes" is decided by a {@link PayloadFingerprint} (length and two CRCs) rather than a copy of the
 * payload, so a key costs the heap of its decoded model only (about 19 KB at H=32), not another 18 KB.
 *
 * <p>The model store normally holds only payloads the {@link ModelStoreUpdater} accepted. Should it hold one
 * that does not decode or fit anyway, the payload is refused here too (logged once, counted) and the key's last
 * good model stays in force while this instance lives; a key with no good model so far runs without one
 * (persistence predictor). No payload for the key (never published, or retracted by a tombstone) means no
 * model. One per processor; not thread-safe.
 */
final class ModelCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final LstmConfig shape;
    private final int maxBytes;
    private final Sensor refused;
    private final Map<String, Entry> entries = new HashMap<>();

    /**
     * The fingerprints of a key's last good payload and model, of the last payload refused after it (if any), and the
     * store generation at which the key's payload was last read (the payload read came after the generation read).
     */
    private record Entry(PayloadFingerprint payload, LstmModel model, PayloadFingerprint refused, long generation) {
    }

    ModelCache(ReadOnlyKeyValueStore<String, byte[]> store, LstmConfig shape, int maxBytes, Sensor refused) {
        this.store = store;
        this.shape = shape;
        this.maxBytes = maxBytes;
        this.refused = refused;
    }

    /** The model in force for {@code key}. */
    LstmModel current(String key) {
        long generation = ModelGeneration.decode(store.get(ModelGeneration.KEY));
        Entry entry = entries.get(key);
        if (entry != null && generation != ModelGeneration.UNKNOWN && entry.generation == generation) {
            return entry.model;
        }
        return current(key, store.get(key), generation);
    }

    /** The model in force for {@code key}, given the model store's current payload for it (may be null). */
    private LstmModel current(String key, byte[] payload, long generation) {
        Entry entry = entries.get(key);
        if (payload == null) {
            entries.put(key, new Entry(null, null, null, generation));
            return null;
        }
        PayloadFingerprint fingerprint = PayloadFingerprint.of(payload);
        if (entry != null && (fingerprint.equals(entry.payload) || fingerprint.equals(entry.refused))) {
            entries.put(key, new Entry(entry.payload, entry.model, entry.refused, generation));
            return entry.model;
        }
        try {
            LstmModel model = ModelPayloads.decode(key, payload, shape, maxBytes);
            entries.put(key, new Entry(fingerprint, model, null, generation));
            return model;
        } catch (BadBytesException e) {
            refused.record();
            LstmModel kept = entry == null ? null : entry.model;
            LOG.warn("model payload for key '{}' refused, {}: {}", key,
                    kept == null ? "the key runs without a model" : "version " + kept.info().version() + " stays in force",
                    e.getMessage());
            entries.put(key, new Entry(entry == null ? null : entry.payload, kept, fingerprint, generation));
            return kept;
        }
    }
}
