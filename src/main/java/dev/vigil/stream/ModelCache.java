package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import org.apache.kafka.common.metrics.Sensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The detector's per-key cache of decoded models, so that a payload is decoded once per version rather than
 * once per event. Each event looks up the key's payload in the global model store and passes it here; the same
 * bytes as last time return the cached model.
 *
 * <p>The model store normally holds only payloads the {@link ModelStoreUpdater} accepted. Should it hold one
 * that does not decode or fit anyway, the payload is refused here too (logged once, counted) and the key's last
 * good model stays in force while this instance lives; a key with no good model so far runs without one
 * (persistence predictor). No payload for the key (never published, or retracted by a tombstone) means no
 * model. One per processor; not thread-safe.
 */
final class ModelCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

    private final LstmConfig shape;
    private final Sensor refused;
    private final Map<String, Entry> entries = new HashMap<>();

    /** The last good payload and model of a key, and the last payload refused after it (if any). */
    private record Entry(byte[] payload, LstmModel model, byte[] refused) {
    }

    ModelCache(LstmConfig shape, Sensor refused) {
        this.shape = shape;
        this.refused = refused;
    }

    /** The model in force for {@code key}, given the model store's current payload for it (may be null). */
    LstmModel current(String key, byte[] payload) {
        Entry entry = entries.get(key);
        if (payload == null) {
            if (entry != null) {
                entries.remove(key);
            }
            return null;
        }
        if (entry != null && (same(entry.payload, payload) || same(entry.refused, payload))) {
            return entry.model;
        }
        try {
            LstmModel model = ModelPayloads.decode(key, payload, shape);
            entries.put(key, new Entry(payload, model, null));
            return model;
        } catch (BadBytesException e) {
            refused.record();
            LstmModel kept = entry == null ? null : entry.model;
            LOG.warn("model payload for key '{}' refused, {}: {}", key,
                    kept == null ? "the key runs without a model" : "version " + kept.info().version() + " stays in force",
                    e.getMessage());
            entries.put(key, new Entry(entry == null ? null : entry.payload, kept, payload));
            return kept;
        }
    }

    private static boolean same(byte[] a, byte[] b) {
        return a == b || (a != null && a.length == b.length && Arrays.equals(a, b));
    }
}
