package dev.vigil.testutil;

import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.score.ScoreState;
import dev.vigil.score.Scorer;

import java.nio.ByteBuffer;

/** Detector states as releases before the current format wrote them, made from today's bytes for upgrade tests. */
public final class LegacyDetectorState {
    private LegacyDetectorState() {
    }

    /**
     * {@code current} (format 18, a state without window novelty) without its score section's novelty byte, as format
     * 15 wrote it: the version byte 15, everything else and the (now stale) CRC as they were.
     */
    public static byte[] withoutNovelty(byte[] current) {
        if (current[0] != DetectorStateCodec.VERSION_WITHOUT_OFFSET) {
            throw new IllegalArgumentException("format " + DetectorStateCodec.VERSION_WITHOUT_OFFSET + " only, got "
                    + current[0]);
        }
        int at = scoreEnd(current) - 1;
        if (current[at] != 0) {
            throw new IllegalArgumentException("a state with window novelty has no format-15 form");
        }
        byte[] out = cut(current, at, 1);
        out[0] = 15;
        return out;
    }

    /**
     * {@code current} (format 16) without the input offset, as format 15 wrote it: the version byte 15, everything
     * else and the (now stale) CRC as they were.
     */
    public static byte[] withoutInputOffset(byte[] current) {
        int head = ByteBuffer.wrap(current).getInt(current.length - 4 - 4);
        byte[] out = cut(current, current.length - 4 - 4 - head - Long.BYTES, Long.BYTES);
        out[0] = 15;
        return out;
    }

    /**
     * {@code latest} (format 15, 16 or 18) without the model centre (and the input offset of format 16, the novelty
     * byte of format 18), as format 14 wrote it: the version byte 14, everything else and the (now stale) CRC as they
     * were.
     */
    public static byte[] withoutModelCentre(byte[] latest) {
        byte[] current = latest[0] == 16 ? withoutInputOffset(latest)
                : latest[0] == DetectorStateCodec.VERSION_WITHOUT_OFFSET ? withoutNovelty(latest) : latest;
        int head = ByteBuffer.wrap(current).getInt(current.length - 4 - 4);
        int centre = 8 * Byte.toUnsignedInt(current[4]);
        byte[] out = cut(current, current.length - 4 - 4 - head - centre, centre);
        out[0] = 14;
        return out;
    }

    /**
     * {@code current} (format 14 or later, one channel, no rhythm state) without its model centre (format 15 on) and
     * its score section's rhythm byte, as format 13 wrote it; everything else, the version byte and the (now stale)
     * CRC as they were.
     */
    public static byte[] withoutRhythm(byte[] latest) {
        DetectorState s = DetectorStateCodec.decode(latest);
        if (s.score().rhythm() != null) {
            throw new IllegalArgumentException("a state with a rhythm state has no format-13 form");
        }
        byte[] current = latest[0] >= 15 ? withoutModelCentre(latest) : latest;
        return cut(current, scoreEnd(current) - 1, 1);
    }

    /** {@code bytes} without the {@code n} bytes from {@code at}. */
    private static byte[] cut(byte[] bytes, int at, int n) {
        byte[] out = new byte[bytes.length - n];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(bytes, at + n, out, at, bytes.length - at - n);
        return out;
    }

    /**
     * {@code current} (format 14 or later, one channel, no rhythm state) as {@link #withoutRhythm}, with its three
     * rings of recent raw values (the error's, the pattern signal's and the drift signal's) written as doubles, as
     * formats before 13 wrote them; everything else, the version byte and the (now stale) CRC as they were. Callers cut
     * the sections the older format lacks and seal the result with {@link #sealed}.
     */
    public static byte[] ringsAsDoubles(byte[] latest) {
        DetectorState s = DetectorStateCodec.decode(latest);
        byte[] current = withoutRhythm(latest);
        ScoreState score = s.score();
        if (s.channels() != 1) {
            throw new IllegalArgumentException("one channel only, got " + s.channels());
        }
        int scoreStart = 5 + 2 * s.lstm().layers() * s.lstm().hiddenSize() * Float.BYTES + 8 + 1 + 11 * 8;
        int scoreEnd = scoreEnd(current);
        int errorAt = scoreStart + 2 + 4 * 8;
        // after the drift ring: its scalars, the run count, the jumps, the spike section and the time-of-day profile
        int driftAt = scoreEnd - (2 + 3 * 8) - 8 - (3 * 8 + 8) - (2 * Scorer.SPIKE_WIDTHS * 8 + 8)
                - 4 * Scorer.HOUR_BINS - Float.BYTES;
        // before it: the pattern ring, its scalars, the count flags and the recent mean
        int patternAt = driftAt - 8 - 1 - (2 + 3 * 8) - Float.BYTES * score.pattern().window();
        ByteBuffer in = ByteBuffer.wrap(current);
        ByteBuffer out = ByteBuffer.allocate(current.length
                + Float.BYTES * (score.error().window() + score.pattern().window() + 1));
        out.put(current, 0, errorAt);
        widen(in.position(errorAt), out, score.error().window());
        out.put(current, in.position(), patternAt - in.position());
        widen(in.position(patternAt), out, score.pattern().window());
        out.put(current, in.position(), driftAt - in.position());
        widen(in.position(driftAt), out, 1);
        out.put(current, in.position(), current.length - in.position());
        return out.array();
    }

    /**
     * Where the score section of a detector state {@code bytes} (format 9 to 16 or 18, whatever its CRC) ends: before
     * the cold-start flag, the first event time, the model centre (format 15 on), the input offset (format 16), the
     * history head, the head's length and the CRC.
     */
    public static int scoreEnd(byte[] bytes) {
        if (bytes[0] == 17 || bytes[0] > DetectorStateCodec.VERSION_WITHOUT_OFFSET) {
            throw new IllegalArgumentException("a compact input offset is not read here: format " + bytes[0]);
        }
        int head = ByteBuffer.wrap(bytes).getInt(bytes.length - 4 - 4);
        int centre = bytes[0] >= 15 ? 8 * Byte.toUnsignedInt(bytes[4]) : 0;
        int offset = bytes[0] == 16 ? Long.BYTES : 0;
        return bytes.length - 4 - 4 - head - offset - centre - 8 - 1;
    }

    /** {@code bytes} as format {@code version}: the version byte set and the CRC of everything before it renewed. */
    public static byte[] sealed(byte[] bytes, int version) {
        bytes[0] = (byte) version;
        PayloadMutations.fixChecksum(bytes);
        return bytes;
    }

    private static void widen(ByteBuffer in, ByteBuffer out, int values) {
        for (int i = 0; i < values; i++) {
            out.putDouble(in.getFloat());
        }
    }
}
