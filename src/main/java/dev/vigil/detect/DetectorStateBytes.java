package dev.vigil.detect;

import dev.vigil.BadBytesException;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Single fields of a stored detector state ({@link DetectorStateCodec}'s bytes, any format), read without decoding the
 * state: what a store scan reads from every key's value, and the checks every read starts with.
 */
public final class DetectorStateBytes {
    private DetectorStateBytes() {
    }

    /**
     * The history head stored beside the state: empty when none, null when the bytes are of a format before 5 (whose
     * head, if any, is in the history store).
     *
     * @throws BadBytesException for the reasons {@link DetectorStateCodec#decode} gives, short of decoding the state
     *                           itself
     */
    public static byte[] historyHead(byte[] bytes) {
        int version = checkedVersion(bytes);
        if (version < DetectorStateCodec.FIRST_VERSION_WITH_HISTORY_HEAD) {
            return null;
        }
        int end = bytes.length - 4 - 4;
        int n = historyHeadLength(bytes);
        return Arrays.copyOfRange(bytes, end - n, end);
    }

    /**
     * The event time of the key's latest event ({@link DetectorState#lastTimestamp()}), read without decoding the rest
     * of the state (a store scan for idle keys reads it from every state).
     *
     * @throws BadBytesException for the reasons {@link DetectorStateCodec#decode} gives, short of decoding the state
     *                           itself
     */
    public static long lastTimestamp(byte[] bytes) {
        checkedVersion(bytes);
        // after the counters events and resets
        int at = countersAt(bytes) + 2 * Long.BYTES;
        if (at + Long.BYTES > bytes.length) {
            throw new BadBytesException("detector state of " + bytes.length + " bytes is too short for its shape");
        }
        return ByteBuffer.wrap(bytes).getLong(at);
    }

    /**
     * The input offset the state was written with ({@link DetectorStateCodec#encode(DetectorState, byte[], long)}),
     * read without decoding the rest; {@link DetectorStateCodec#NO_OFFSET} for a format before 16.
     *
     * @throws BadBytesException for the reasons {@link DetectorStateCodec#decode} gives, short of decoding the state
     *                           itself
     */
    public static long inputOffset(byte[] bytes) {
        int version = checkedVersion(bytes);
        if (!DetectorStateCodec.withInputOffset(version)) {
            return DetectorStateCodec.NO_OFFSET;
        }
        int end = bytes.length - 4 - 4 - historyHeadLength(bytes);
        if (DetectorStateCodec.compact(version)) {
            if (end - CompactLongs.offsetLength(bytes, end) < 9) {
                throw new BadBytesException("detector state of " + bytes.length + " bytes is too short for its shape");
            }
            return CompactLongs.offsetBefore(bytes, end);
        }
        int at = end - Long.BYTES;
        if (at < 9) {
            throw new BadBytesException("detector state of " + bytes.length + " bytes is too short for its shape");
        }
        return ByteBuffer.wrap(bytes).getLong(at);
    }

    /**
     * Whether the key has an alert open ({@link dev.vigil.score.ScoreState#alertOpen()}), read without decoding the
     * rest of the state from format {@value DetectorStateCodec#FIRST_VERSION_WITH_FLOAT_RINGS} on (a count of open
     * alerts reads it from every state); an earlier format is decoded.
     *
     * @throws BadBytesException for the reasons {@link DetectorStateCodec#decode} gives, short of decoding the state
     *                           itself
     */
    public static boolean alertOpen(byte[] bytes) {
        int version = checkedVersion(bytes);
        if (version < DetectorStateCodec.FIRST_VERSION_WITH_FLOAT_RINGS) {
            return DetectorStateCodec.decode(bytes).score().alertOpen();
        }
        // after the four counters, the schedule and its pending swap (six), lastScore: the score section
        int score = scheduleEnd(bytes, version) + Double.BYTES;
        if (score + 2 > bytes.length) {
            throw new BadBytesException("detector state of " + bytes.length + " bytes is too short for its shape");
        }
        // its channels and short window, centre, scale, min and max, the error's ring (floats), updates, the ring's
        // count and next, long-run mean and variance, level updates; then the alert byte
        int d = Byte.toUnsignedInt(bytes[score]);
        int window = Byte.toUnsignedInt(bytes[score + 1]);
        int at = score + 2 + 4 * d * Double.BYTES + window * Float.BYTES + Long.BYTES + 2 + 2 * Double.BYTES
                + Long.BYTES;
        if (d != Byte.toUnsignedInt(bytes[4]) || at >= bytes.length) {
            throw new BadBytesException("detector state has an inconsistent score section");
        }
        return bytes[at] != 0;
    }

    /**
     * Where the detector's counters ({@code events}, then {@code resets}, {@code lastTimestamp}, ...) start in checked
     * state bytes of any format: after the shape, h and c of every layer, the prediction and {@code hasPrediction}.
     */
    private static int countersAt(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int layers = Byte.toUnsignedInt(in.get(1));
        int hidden = Short.toUnsignedInt(in.getShort(2));
        int channels = Byte.toUnsignedInt(in.get(4));
        return 5 + 2 * layers * hidden * Float.BYTES + channels * Double.BYTES + 1;
    }

    /** Where the schedule and its pending swap end in checked state bytes of {@code version} 2 or later. */
    private static int scheduleEnd(byte[] bytes, int version) {
        int at = countersAt(bytes) + 4 * Long.BYTES;
        if (!DetectorStateCodec.compact(version)) {
            return at + 6 * Long.BYTES;
        }
        int limit = bytes.length - 4;
        at = CompactLongs.skipVarint(bytes, CompactLongs.skipVarint(bytes, at, limit), limit) + Long.BYTES;
        for (int i = 0; i < 3; i++) {
            at = CompactLongs.skipVarint(bytes, at, limit);
        }
        return at;
    }

    /** Verifies the length, version and checksum; returns the version. */
    static int checkedVersion(byte[] bytes) {
        if (bytes == null || bytes.length < 9) {
            throw new BadBytesException("detector state is truncated: " + (bytes == null ? 0 : bytes.length)
                    + " bytes");
        }
        int version = Byte.toUnsignedInt(bytes[0]);
        if (version < 1 || version > DetectorStateCodec.FORMAT_VERSION) {
            throw new BadBytesException("detector state format version " + version + " is not supported (expected "
                    + DetectorStateCodec.FORMAT_VERSION + ")");
        }
        int stored = ByteBuffer.wrap(bytes).getInt(bytes.length - 4);
        if (stored != (int) DetectorStateCodec.crc(bytes, bytes.length - 4)) {
            throw new BadBytesException("detector state checksum mismatch (corrupt or truncated bytes)");
        }
        return version;
    }

    /** The history head's length in checked bytes of format 5 or later. */
    static int historyHeadLength(byte[] bytes) {
        int n = ByteBuffer.wrap(bytes).getInt(bytes.length - 4 - 4);
        if (n < 0 || n > bytes.length - 9 - 4 - 4) {
            throw new BadBytesException("detector state has an impossible history head of " + n + " bytes");
        }
        return n;
    }
}
