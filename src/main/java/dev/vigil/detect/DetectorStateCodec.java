package dev.vigil.detect;

import dev.vigil.BadBytesException;
import dev.vigil.BadConfigException;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmState;
import dev.vigil.score.ScoreState;
import dev.vigil.score.ScoreStateCodec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Binary form of a {@link DetectorState}, as kept in the state store, with the stream's history head beside it (so an
 * event reads and writes one value). Big-endian:
 * <pre>
 *   u8  format version (16; version 15, without the input offset, version 14, without the model centre either,
 *       version 13, without the score section's rhythm
 *       section either, version 12, with the score
 *       section's rings of recent raw values written as doubles,
 *       version 11, without its time-of-day profile either, version 10, without its
 *       spike rule either, version 9, without its jumps either,
 *       version 8, without the first event time
 *       either, version 7, without the score section's run count either, version 6, without the cold-start flag
 *       either, version 5, without the score section's count and drift section either, version 4, without the
 *       history head either, version 3, without the pending swap either, version 2, without the score section's
 *       patterns either, and version 1, without the schedule either, are still read)
 *   u8  layers, u16 hiddenSize, u8 channels
 *   f32 h[layer][hidden], c[layer][hidden]     (the detector keeps h and c at float precision, so this is exact)
 *   f64 prediction[channels]
 *   u8  hasPrediction, i64 events, i64 resets, i64 lastTimestamp, i64 modelVersion
 *   i64 schedule.sinceAttempt, i64 schedule.attempts, i64 schedule.lastAttemptTime, i64 schedule.alertRun
 *                                              ({@link TrainingSchedule}; absent in version 1: a fresh schedule)
 *   i64 schedule.pendingThrough, i64 schedule.pendingVersion
 *                                              (the pending model swap, 0 0 for none; absent before version 4: none)
 *   f64 lastScore                              (the latest event's anomaly score; absent in version 1: 0)
 *   ... score section ({@link ScoreStateCodec})
 *   u8  coldStart                              (1: modelVersion is the shared model's, serving a per-key-scope key
 *                                              without a model of its own; absent before version 7: 0)
 *   i64 firstTimestamp                         (the key's first accepted event time, for the range rule's young
 *                                              range; absent before version 9: not known, the key is established)
 *   f64 modelCentre[channels]                  (the key's running centre when its model was put in force, NaN
 *                                              before its first; absent before version 15: the centre as decoded,
 *                                              so the model's frame follows the key's level from then on)
 *   i64 inputOffset                            (format 16 only: the stream's offset of the input record of the
 *                                              key's latest event the state holds, for a restart's replay of the
 *                                              input when states are written behind; a state without one, as at
 *                                              every event by default and in a replay, is still written as format
 *                                              15, 8 bytes shorter)
 *   u8[n] history head                         (the open block of the key's history ring, as the stream's store
 *                                              keeps it; opaque here, empty when none, e.g. in a replay)
 *   i32 n                                      (absent before version 5, with the head: it was in the history store)
 *   i32 CRC32 of everything before it
 * </pre>
 */
public final class DetectorStateCodec {
    /** The newest format read: 16, a state with its input offset; {@link #VERSION_WITHOUT_OFFSET} without one. */
    public static final int FORMAT_VERSION = 16;
    /** The format of a state written without an input offset ({@link #NO_OFFSET}). */
    public static final int VERSION_WITHOUT_OFFSET = 15;
    /** The input offset of a state written outside a stream, or by a format before 16: not known. */
    public static final long NO_OFFSET = -1;
    private static final int FIRST_VERSION_WITH_SCHEDULE = 2;
    private static final int FIRST_VERSION_WITH_PATTERNS = 3;
    private static final int FIRST_VERSION_WITH_PENDING_SWAP = 4;
    private static final int FIRST_VERSION_WITH_HISTORY_HEAD = 5;
    private static final int FIRST_VERSION_WITH_COUNTS = 6;
    private static final int FIRST_VERSION_WITH_COLD_START = 7;
    private static final int FIRST_VERSION_WITH_RUNS = 8;
    private static final int FIRST_VERSION_WITH_FIRST_TIMESTAMP = 9;
    private static final int FIRST_VERSION_WITH_JUMPS = 10;
    private static final int FIRST_VERSION_WITH_SPIKES = 11;
    private static final int FIRST_VERSION_WITH_HOURS = 12;
    private static final int FIRST_VERSION_WITH_FLOAT_RINGS = 13;
    private static final int FIRST_VERSION_WITH_RHYTHM = 14;
    private static final int FIRST_VERSION_WITH_MODEL_CENTRE = 15;
    private static final int FIRST_VERSION_WITH_INPUT_OFFSET = 16;
    private static final byte[] NO_HISTORY_HEAD = new byte[0];
    /** Big-endian floats in a byte array, as {@link ByteBuffer#putFloat} writes them. */
    private static final VarHandle FLOATS = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

    private DetectorStateCodec() {
    }

    /** The state without a history head. */
    public static byte[] encode(DetectorState s) {
        return encode(s, NO_HISTORY_HEAD);
    }

    /** The state with {@code historyHead} (the key's history head as its store keeps it; empty for none) beside it. */
    public static byte[] encode(DetectorState s, byte[] historyHead) {
        return encode(s, historyHead, NO_OFFSET);
    }

    /**
     * The state with {@code historyHead} beside it, holding the key's events up to the input record at {@code
     * inputOffset} of the stream's partition (format 16); {@link #NO_OFFSET}: not known (format 15).
     */
    public static byte[] encode(DetectorState s, byte[] historyHead, long inputOffset) {
        LstmState lstm = s.lstm();
        boolean withOffset = inputOffset != NO_OFFSET;
        int recurrent = 2 * lstm.layers() * lstm.hiddenSize() * Float.BYTES;
        int size = 5 + recurrent + 2 * 8 * s.channels() + 1 + 11 * 8 + 1 + 8 + ScoreStateCodec.size(s.score())
                + (withOffset ? Long.BYTES : 0) + historyHead.length + 4 + 4;
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) (withOffset ? FORMAT_VERSION : VERSION_WITHOUT_OFFSET)).put((byte) lstm.layers()).putShort((short) lstm.hiddenSize())
                .put((byte) s.channels());
        for (int l = 0; l < lstm.layers(); l++) {
            putFloats(out, lstm.h(l));
            putFloats(out, lstm.c(l));
        }
        for (double p : s.prediction()) {
            out.putDouble(p);
        }
        out.put((byte) (s.hasPrediction ? 1 : 0)).putLong(s.events).putLong(s.resets)
                .putLong(s.lastTimestamp).putLong(s.modelVersion);
        TrainingSchedule t = s.schedule();
        out.putLong(t.sinceAttempt).putLong(t.attempts).putLong(t.lastAttemptTime).putLong(t.alertRun);
        out.putLong(t.pendingThrough).putLong(t.pendingVersion);
        out.putDouble(s.lastScore);
        ScoreStateCodec.write(s.score(), out);
        out.put((byte) (s.coldStart ? 1 : 0));
        out.putLong(s.firstTimestamp);
        for (double c : s.modelCentre()) {
            out.putDouble(c);
        }
        if (withOffset) {
            if (inputOffset < 0) {
                throw new IllegalArgumentException("an input offset is >= 0 or NO_OFFSET, got " + inputOffset);
            }
            out.putLong(inputOffset);
        }
        out.put(historyHead).putInt(historyHead.length);
        out.putInt((int) crc(out.array(), out.position()));
        return out.array();
    }

    /**
     * The history head stored beside the state: empty when none, null when the bytes are of a format before 5 (whose
     * head, if any, is in the history store).
     *
     * @throws BadBytesException for the reasons {@link #decode} gives, short of decoding the state itself
     */
    public static byte[] historyHead(byte[] bytes) {
        int version = checkedVersion(bytes);
        if (version < FIRST_VERSION_WITH_HISTORY_HEAD) {
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
     * @throws BadBytesException for the reasons {@link #decode} gives, short of decoding the state itself
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
     * The input offset the state was written with ({@link #encode(DetectorState, byte[], long)}), read without decoding
     * the rest; {@link #NO_OFFSET} for a format before 16.
     *
     * @throws BadBytesException for the reasons {@link #decode} gives, short of decoding the state itself
     */
    public static long inputOffset(byte[] bytes) {
        int version = checkedVersion(bytes);
        if (version < FIRST_VERSION_WITH_INPUT_OFFSET) {
            return NO_OFFSET;
        }
        int at = bytes.length - 4 - 4 - historyHeadLength(bytes) - Long.BYTES;
        if (at < 9) {
            throw new BadBytesException("detector state of " + bytes.length + " bytes is too short for its shape");
        }
        return ByteBuffer.wrap(bytes).getLong(at);
    }

    /**
     * Whether the key has an alert open ({@link dev.vigil.score.ScoreState#alertOpen()}), read without decoding the
     * rest of the state from format {@value #FIRST_VERSION_WITH_FLOAT_RINGS} on (a count of open alerts reads it from
     * every state); an earlier format is decoded.
     *
     * @throws BadBytesException for the reasons {@link #decode} gives, short of decoding the state itself
     */
    public static boolean alertOpen(byte[] bytes) {
        int version = checkedVersion(bytes);
        if (version < FIRST_VERSION_WITH_FLOAT_RINGS) {
            return decode(bytes).score().alertOpen();
        }
        // after the four counters, the schedule and its pending swap (six), lastScore: the score section
        int score = countersAt(bytes) + 10 * Long.BYTES + Double.BYTES;
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

    /** Verifies the length, version and checksum; returns the version. */
    private static int checkedVersion(byte[] bytes) {
        if (bytes == null || bytes.length < 9) {
            throw new BadBytesException("detector state is truncated: " + (bytes == null ? 0 : bytes.length) + " bytes");
        }
        int version = Byte.toUnsignedInt(bytes[0]);
        if (version < 1 || version > FORMAT_VERSION) {
            throw new BadBytesException("detector state format version " + version + " is not supported (expected "
                    + FORMAT_VERSION + ")");
        }
        int stored = ByteBuffer.wrap(bytes).getInt(bytes.length - 4);
        if (stored != (int) crc(bytes, bytes.length - 4)) {
            throw new BadBytesException("detector state checksum mismatch (corrupt or truncated bytes)");
        }
        return version;
    }

    /** The history head's length in checked bytes of format 5 or later. */
    private static int historyHeadLength(byte[] bytes) {
        int n = ByteBuffer.wrap(bytes).getInt(bytes.length - 4 - 4);
        if (n < 0 || n > bytes.length - 9 - 4 - 4) {
            throw new BadBytesException("detector state has an impossible history head of " + n + " bytes");
        }
        return n;
    }

    /**
     * Decodes a state; {@link BadBytesException} for an unknown version, truncated bytes, a bad checksum or
     * inconsistent shapes.
     */
    public static DetectorState decode(byte[] bytes) {
        int version = checkedVersion(bytes);
        int end = bytes.length - 4;
        if (version >= FIRST_VERSION_WITH_HISTORY_HEAD) {
            end -= 4 + historyHeadLength(bytes);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, end);
        try {
            in.position(1);
            int layers = Byte.toUnsignedInt(in.get());
            int hidden = Short.toUnsignedInt(in.getShort());
            int channels = Byte.toUnsignedInt(in.get());
            LstmState lstm = readLstm(in, layers, hidden, channels);
            double[] prediction = new double[channels];
            for (int c = 0; c < channels; c++) {
                prediction[c] = in.getDouble();
            }
            boolean has = in.get() != 0;
            long events = in.getLong();
            long resets = in.getLong();
            long last = in.getLong();
            long model = in.getLong();
            long[] schedule = version >= FIRST_VERSION_WITH_SCHEDULE
                    ? new long[] {in.getLong(), in.getLong(), in.getLong(), in.getLong()}
                    : new long[] {0, 0, DetectorState.NO_TIMESTAMP, 0};
            long[] pending = version >= FIRST_VERSION_WITH_PENDING_SWAP ? new long[] {in.getLong(), in.getLong()}
                    : new long[] {TrainingSchedule.NO_PENDING_SWAP, 0};
            if (pending[0] < 0 || (pending[0] > 0) != (pending[1] > 0)) {
                throw new BadBytesException("detector state has an impossible pending swap: through " + pending[0]
                        + ", version " + pending[1]);
            }
            double lastScore = version >= FIRST_VERSION_WITH_SCHEDULE ? in.getDouble() : 0;
            ScoreState score = ScoreStateCodec.read(in, scoreSections(version));
            boolean coldStart = version >= FIRST_VERSION_WITH_COLD_START && in.get() != 0;
            long first = version >= FIRST_VERSION_WITH_FIRST_TIMESTAMP ? in.getLong() : DetectorState.NO_TIMESTAMP;
            if (score.channels() != channels) {
                throw new BadBytesException("detector state has " + channels + " channels but its score section has "
                        + score.channels());
            }
            double[] modelCentre = readModelCentre(in, version, score);
            if (version >= FIRST_VERSION_WITH_INPUT_OFFSET && in.getLong() < 0) {
                throw new BadBytesException("detector state has a negative input offset");
            }
            if (in.position() != end) {
                throw new BadBytesException("detector state has " + (end - in.position())
                        + " unexpected trailing bytes");
            }
            DetectorState s = new DetectorState(lstm, score, prediction, modelCentre);
            s.restoreCounters(has, events, resets, last, model);
            s.coldStart = coldStart;
            s.firstTimestamp = first;
            s.schedule().restore(schedule[0], schedule[1], schedule[2], schedule[3]);
            s.schedule().restorePending(pending[0], pending[1]);
            s.lastScore = lastScore;
            return s;
        } catch (BufferUnderflowException e) {
            throw new BadBytesException("detector state is truncated", e);
        }
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    /** The sections of the score state a detector state of {@code version} holds. */
    private static Set<ScoreStateCodec.Section> scoreSections(int version) {
        Set<ScoreStateCodec.Section> sections = EnumSet.noneOf(ScoreStateCodec.Section.class);
        for (ScoreStateCodec.Section section : ScoreStateCodec.Section.values()) {
            int since = switch (section) {
                case PATTERNS -> FIRST_VERSION_WITH_PATTERNS;
                case COUNTS -> FIRST_VERSION_WITH_COUNTS;
                case RUNS -> FIRST_VERSION_WITH_RUNS;
                case JUMPS -> FIRST_VERSION_WITH_JUMPS;
                case SPIKES -> FIRST_VERSION_WITH_SPIKES;
                case HOURS -> FIRST_VERSION_WITH_HOURS;
                case FLOAT_RINGS -> FIRST_VERSION_WITH_FLOAT_RINGS;
                case RHYTHM -> FIRST_VERSION_WITH_RHYTHM;
            };
            if (version >= since) {
                sections.add(section);
            }
        }
        return sections;
    }

    /** Each layer's hidden and cell state, of a network of the shape the state's header gives. */
    private static LstmState readLstm(ByteBuffer in, int layers, int hidden, int channels) {
        LstmState lstm;
        try {
            lstm = new LstmState(new LstmConfig(channels, hidden, layers, 1.0, true));
        } catch (BadConfigException e) {
            throw new BadBytesException("detector state has an impossible shape: " + e.getMessage(), e);
        }
        for (int l = 0; l < layers; l++) {
            getFloats(in, lstm.h(l));
            getFloats(in, lstm.c(l));
        }
        return lstm;
    }

    /** The key's centre when its model was put in force (format 15); before it, the centre as decoded. */
    private static double[] readModelCentre(ByteBuffer in, int version, ScoreState score) {
        double[] modelCentre = score.center().clone();
        if (version >= FIRST_VERSION_WITH_MODEL_CENTRE) {
            for (int c = 0; c < modelCentre.length; c++) {
                modelCentre[c] = in.getDouble();
                if (Double.isInfinite(modelCentre[c])) {
                    throw new BadBytesException("detector state's model centre is " + modelCentre[c]);
                }
            }
        }
        return modelCentre;
    }

    /** As {@code out.putFloat((float) v)} for each value, straight into the (heap) buffer's array. */
    private static void putFloats(ByteBuffer out, double[] values) {
        int bytes = Float.BYTES * values.length;
        if (out.remaining() < bytes) {
            throw new BufferOverflowException();
        }
        byte[] array = out.array();
        int at = out.arrayOffset() + out.position();
        for (double v : values) {
            FLOATS.set(array, at, (float) v);
            at += Float.BYTES;
        }
        out.position(out.position() + bytes);
    }

    /** As {@code values[i] = in.getFloat()} for each value, straight from the (wrapped) buffer's array. */
    private static void getFloats(ByteBuffer in, double[] values) {
        int bytes = Float.BYTES * values.length;
        if (in.remaining() < bytes) {
            throw new BufferUnderflowException();
        }
        byte[] array = in.array();
        int at = in.arrayOffset() + in.position();
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) FLOATS.get(array, at);
            at += Float.BYTES;
        }
        in.position(in.position() + bytes);
    }
}
