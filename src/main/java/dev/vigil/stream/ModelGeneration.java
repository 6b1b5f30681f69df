package dev.vigil.stream;

import java.nio.ByteBuffer;

/**
 * The model store's generation: a counter the {@link ModelStoreUpdater} raises after every change to the store
 * (a payload accepted or retracted), kept in the store itself under the empty key {@value #KEY} (never a model
 * key: the updater refuses records without a key), with the number of models the store holds. A reader that has
 * seen generation g and reads g again knows no payload changed in between, so the detector reads a few bytes per
 * event instead of the key's model payload (about 18 KB at H=32); the model count answers {@code vigil_models_held}
 * exactly without reading payloads. Value, big-endian: u8 format version (2), i64 generation, i64 models (format 1,
 * still read: without the count). Stateless, thread-safe.
 */
public final class ModelGeneration {
    /** Store key of the generation entry. */
    public static final String KEY = "";
    static final int FORMAT_VERSION = 2;
    static final int LEGACY_VERSION = 1;
    /** What {@link #decode} and {@link #models} return when they cannot tell: "unknown", matches nothing. */
    public static final long UNKNOWN = -1;
    private static final int LEGACY_BYTES = 1 + Long.BYTES;
    private static final int BYTES = 1 + 2 * Long.BYTES;

    private ModelGeneration() {
    }

    static byte[] encode(long generation, long models) {
        return ByteBuffer.allocate(BYTES).put((byte) FORMAT_VERSION).putLong(generation).putLong(models).array();
    }

    /** The generation in {@code bytes}, or {@link #UNKNOWN} for null or bytes of another format. */
    static long decode(byte[] bytes) {
        if (!readable(bytes)) {
            return UNKNOWN;
        }
        long generation = ByteBuffer.wrap(bytes, 1, Long.BYTES).getLong();
        return generation < 0 ? UNKNOWN : generation;
    }

    /**
     * The models a store holds, from its generation entry: 0 for no entry (a store the updater never changed),
     * {@link #UNKNOWN} for an entry of format 1 (written before the count) or unreadable bytes.
     */
    public static long models(byte[] bytes) {
        if (bytes == null) {
            return 0;
        }
        if (!readable(bytes) || bytes[0] != FORMAT_VERSION) {
            return UNKNOWN;
        }
        long models = ByteBuffer.wrap(bytes, 1 + Long.BYTES, Long.BYTES).getLong();
        return models < 0 ? UNKNOWN : models;
    }

    private static boolean readable(byte[] bytes) {
        return bytes != null && ((bytes.length == BYTES && bytes[0] == FORMAT_VERSION)
                || (bytes.length == LEGACY_BYTES && bytes[0] == LEGACY_VERSION));
    }
}
