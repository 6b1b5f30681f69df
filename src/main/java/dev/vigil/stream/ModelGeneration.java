package dev.vigil.stream;

import java.nio.ByteBuffer;

/**
 * The model store's generation: a counter the {@link ModelStoreUpdater} raises after every change to the store
 * (a payload accepted or retracted), kept in the store itself under the empty key {@value #KEY} (never a model
 * key: the updater refuses records without a key). A reader that has seen generation g and reads g again knows
 * no payload changed in between, so the detector reads 9 bytes per event instead of the key's model payload
 * (about 18 KB at H=32). Value: u8 format version (1), i64 generation, big-endian. Stateless, thread-safe.
 */
final class ModelGeneration {
    /** Store key of the generation entry. */
    static final String KEY = "";
    static final int FORMAT_VERSION = 1;
    /** What {@link #decode} returns for no entry or an unreadable one: "unknown", matches nothing. */
    static final long UNKNOWN = -1;
    private static final int BYTES = 1 + Long.BYTES;

    private ModelGeneration() {
    }

    static byte[] encode(long generation) {
        return ByteBuffer.allocate(BYTES).put((byte) FORMAT_VERSION).putLong(generation).array();
    }

    /** The generation in {@code bytes}, or {@link #UNKNOWN} for null or bytes of another format. */
    static long decode(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES || bytes[0] != FORMAT_VERSION) {
            return UNKNOWN;
        }
        long generation = ByteBuffer.wrap(bytes, 1, Long.BYTES).getLong();
        return generation < 0 ? UNKNOWN : generation;
    }
}
