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
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Binary form of a {@link DetectorState}, as kept in the state store, with the stream's history head beside it (so an
 * event reads and writes one value). Big-endian:
 * <pre>
 *   u8  format version (19; version 18, written without an input offset, the same as 19 without it and with the
 *       schedule's counters as i64; version 17, without the score section's window novelty, version 16, with the
 *       schedule's counters and the input offset as i64, version 15,
 *       written without an input offset, the same without it, version 14, without the model centre either,
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
 *                                              ({@link TrainingSchedule}; absent in version 1: a fresh schedule;
 *                                              formats 17 and 19: each but lastAttemptTime a zigzag varint, {@link
 *                                              CompactLongs})
 *   i64 schedule.pendingThrough, i64 schedule.pendingVersion
 *                                              (the pending model swap, 0 0 for none; absent before version 4: none;
 *                                              formats 17 and 19: zigzag varints)
 *   f64 lastScore                              (the latest event's anomaly score; absent in version 1: 0)
 *   ... score section ({@link ScoreStateCodec})
 *   u8  coldStart                              (1: modelVersion is the shared model's, serving a per-key-scope key
 *                                              without a model of its own; absent before version 7: 0)
 *   i64 firstTimestamp                         (the key's first accepted event time, for the range rule's young
 *                                              range; absent before version 9: not known, the key is established)
 *   f64 modelCentre[channels]                  (the key's running centre when its model was put in force, NaN
 *                                              before its first; absent before version 15: the centre as decoded,
 *                                              so the model's frame follows the key's level from then on)
 *   u8[k] inputOffset, u8 k                    (formats 17 and 19: the stream's offset of the input record of the
 *                                              key's latest event the state holds, for a restart's replay of the
 *                                              input when states are written behind, as its k significant bytes,
 *                                              big-endian, then k; format 16: i64; a state without one, as in a
 *                                              replay or with states written at every event, is still written as
 *                                              format 18)
 *   u8[n] history head                         (the open block of the key's history ring, as the stream's store
 *                                              keeps it; opaque here, empty when none, e.g. in a replay)
 *   i32 n                                      (absent before version 5, with the head: it was in the history store)
 *   i32 CRC32 of everything before it
 * </pre>
 */
public final class DetectorStateCodec {
    /**
     * The newest format read: 19, a state with its input offset, compact counters and the score section's window
     * novelty; {@link #VERSION_WITHOUT_OFFSET} without an offset.
     */
    public static final int FORMAT_VERSION = 19;
    /**
     * The format of a state written without an input offset ({@link #NO_OFFSET}): 18, format 15 with the score
     * section's window novelty.
     */
    public static final int VERSION_WITHOUT_OFFSET = 18;
    /** The input offset of a state written outside a stream, or by a format before 16: not known. */
    public static final long NO_OFFSET = -1;
    private static final int FIRST_VERSION_WITH_SCHEDULE = 2;
    private static final int FIRST_VERSION_WITH_PATTERNS = 3;
    private static final int FIRST_VERSION_WITH_PENDING_SWAP = 4;
    static final int FIRST_VERSION_WITH_HISTORY_HEAD = 5;
    private static final int FIRST_VERSION_WITH_COUNTS = 6;
    private static final int FIRST_VERSION_WITH_COLD_START = 7;
    private static final int FIRST_VERSION_WITH_RUNS = 8;
    private static final int FIRST_VERSION_WITH_FIRST_TIMESTAMP = 9;
    private static final int FIRST_VERSION_WITH_JUMPS = 10;
    private static final int FIRST_VERSION_WITH_SPIKES = 11;
    private static final int FIRST_VERSION_WITH_HOURS = 12;
    static final int FIRST_VERSION_WITH_FLOAT_RINGS = 13;
    private static final int FIRST_VERSION_WITH_RHYTHM = 14;
    private static final int FIRST_VERSION_WITH_MODEL_CENTRE = 15;
    static final int FIRST_VERSION_WITH_INPUT_OFFSET = 16;
    static final int FIRST_COMPACT_VERSION = 17;
    /** The first format whose score section holds the window novelty: 18 (without an offset) and 19 (with one). */
    private static final int FIRST_VERSION_WITH_NOVELTY = 18;
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
     * inputOffset} of the stream's partition (format 19); {@link #NO_OFFSET}: not known (format 18).
     */
    public static byte[] encode(DetectorState s, byte[] historyHead, long inputOffset) {
        LstmState lstm = s.lstm();
        boolean withOffset = inputOffset != NO_OFFSET;
        if (withOffset && inputOffset < 0) {
            throw new IllegalArgumentException("an input offset is >= 0 or NO_OFFSET, got " + inputOffset);
        }
        TrainingSchedule t = s.schedule();
        int recurrent = 2 * lstm.layers() * lstm.hiddenSize() * Float.BYTES;
        int size = 5 + recurrent + 2 * 8 * s.channels() + 1 + 5 * 8 + (withOffset ? compactScheduleSize(t) : 6 * 8)
                + 1 + 8 + ScoreStateCodec.size(s.score()) + (withOffset ? CompactLongs.offsetSize(inputOffset) : 0)
                + historyHead.length + 4 + 4;
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) (withOffset ? FORMAT_VERSION : VERSION_WITHOUT_OFFSET)).put((byte) lstm.layers())
                .putShort((short) lstm.hiddenSize()).put((byte) s.channels());
        for (int l = 0; l < lstm.layers(); l++) {
            putFloats(out, lstm.h(l));
            putFloats(out, lstm.c(l));
        }
        for (double p : s.prediction()) {
            out.putDouble(p);
        }
        out.put((byte) (s.hasPrediction ? 1 : 0)).putLong(s.events).putLong(s.resets)
                .putLong(s.lastTimestamp).putLong(s.modelVersion);
        if (withOffset) {
            CompactLongs.putVarint(out, t.sinceAttempt);
            CompactLongs.putVarint(out, t.attempts);
            out.putLong(t.lastAttemptTime);
            CompactLongs.putVarint(out, t.alertRun);
            CompactLongs.putVarint(out, t.pendingThrough);
            CompactLongs.putVarint(out, t.pendingVersion);
        } else {
            out.putLong(t.sinceAttempt).putLong(t.attempts).putLong(t.lastAttemptTime).putLong(t.alertRun);
            out.putLong(t.pendingThrough).putLong(t.pendingVersion);
        }
        out.putDouble(s.lastScore);
        ScoreStateCodec.write(s.score(), out);
        out.put((byte) (s.coldStart ? 1 : 0));
        out.putLong(s.firstTimestamp);
        for (double c : s.modelCentre()) {
            out.putDouble(c);
        }
        if (withOffset) {
            CompactLongs.putOffset(out, inputOffset);
        }
        out.put(historyHead).putInt(historyHead.length);
        out.putInt((int) crc(out.array(), out.position()));
        return out.array();
    }

    /** Bytes of the schedule in formats 17 and 19: its counters as varints, the last attempt's time as 8 bytes. */
    private static int compactScheduleSize(TrainingSchedule t) {
        return CompactLongs.varintSize(t.sinceAttempt) + CompactLongs.varintSize(t.attempts) + Long.BYTES
                + CompactLongs.varintSize(t.alertRun) + CompactLongs.varintSize(t.pendingThrough)
                + CompactLongs.varintSize(t.pendingVersion);
    }

    /**
     * Decodes a state; {@link BadBytesException} for an unknown version, truncated bytes, a bad checksum or
     * inconsistent shapes.
     */
    public static DetectorState decode(byte[] bytes) {
        int version = DetectorStateBytes.checkedVersion(bytes);
        int end = bytes.length - 4;
        if (version >= FIRST_VERSION_WITH_HISTORY_HEAD) {
            end -= 4 + DetectorStateBytes.historyHeadLength(bytes);
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
            long[] schedule = readSchedule(in, version);
            long[] pending = readPending(in, version);
            double lastScore = version >= FIRST_VERSION_WITH_SCHEDULE ? in.getDouble() : 0;
            ScoreState score = ScoreStateCodec.read(in, scoreSections(version));
            boolean coldStart = version >= FIRST_VERSION_WITH_COLD_START && in.get() != 0;
            long first = version >= FIRST_VERSION_WITH_FIRST_TIMESTAMP ? in.getLong() : DetectorState.NO_TIMESTAMP;
            if (score.channels() != channels) {
                throw new BadBytesException("detector state has " + channels + " channels but its score section has "
                        + score.channels());
            }
            double[] modelCentre = readModelCentre(in, version, score);
            readInputOffsetToEnd(bytes, in, end, version);
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

    /** The pending swap's event and version ({@code NO_PENDING_SWAP} and 0 before the format had one), checked. */
    private static long[] readPending(ByteBuffer in, int version) {
        long[] pending = compact(version)
                ? new long[] {CompactLongs.getVarint(in), CompactLongs.getVarint(in)}
                : version >= FIRST_VERSION_WITH_PENDING_SWAP ? new long[] {in.getLong(), in.getLong()}
                : new long[] {TrainingSchedule.NO_PENDING_SWAP, 0};
        if (pending[0] < 0 || (pending[0] > 0) != (pending[1] > 0)) {
            throw new BadBytesException("detector state has an impossible pending swap: through " + pending[0]
                    + ", version " + pending[1]);
        }
        return pending;
    }

    /**
     * Reads past the input offset (formats that carry one), which must end the state's section at {@code end}: no byte
     * may be left between them.
     */
    private static void readInputOffsetToEnd(byte[] bytes, ByteBuffer in, int end, int version) {
        if (compact(version)) {
            // the input offset ends where the history head starts: its bytes must follow the model centre
            CompactLongs.offsetBefore(bytes, end);
            int offsetAt = end - CompactLongs.offsetLength(bytes, end);
            if (in.position() != offsetAt) {
                throw new BadBytesException("detector state has " + (offsetAt - in.position())
                        + " unexpected bytes before its input offset");
            }
            in.position(end);
        } else if (withInputOffset(version) && in.getLong() < 0) {
            throw new BadBytesException("detector state has a negative input offset");
        }
        if (in.position() != end) {
            throw new BadBytesException("detector state has " + (end - in.position()) + " unexpected trailing bytes");
        }
    }

    /**
     * Whether a state of {@code version} carries its input offset: 16, 17 and 19 (18, like 15, is written without
     * one).
     */
    static boolean withInputOffset(int version) {
        return version >= FIRST_VERSION_WITH_INPUT_OFFSET && version != VERSION_WITHOUT_OFFSET;
    }

    /** Whether a state of {@code version} writes its counters compactly and its input offset as k bytes: 17 and 19. */
    static boolean compact(int version) {
        return version >= FIRST_COMPACT_VERSION && version != VERSION_WITHOUT_OFFSET;
    }

    static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    /** The schedule's since-attempt, attempts, last attempt time and alert run, as format {@code version} has them. */
    private static long[] readSchedule(ByteBuffer in, int version) {
        if (compact(version)) {
            long since = CompactLongs.getVarint(in);
            long attempts = CompactLongs.getVarint(in);
            long last = in.getLong();
            return new long[] {since, attempts, last, CompactLongs.getVarint(in)};
        }
        return version >= FIRST_VERSION_WITH_SCHEDULE
                ? new long[] {in.getLong(), in.getLong(), in.getLong(), in.getLong()}
                : new long[] {0, 0, DetectorState.NO_TIMESTAMP, 0};
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
                case NOVELTY -> FIRST_VERSION_WITH_NOVELTY;
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

    /** As {@code out.putFloat(v)} for each value, straight into the (heap) buffer's array. */
    private static void putFloats(ByteBuffer out, float[] values) {
        int bytes = Float.BYTES * values.length;
        if (out.remaining() < bytes) {
            throw new BufferOverflowException();
        }
        byte[] array = out.array();
        int at = out.arrayOffset() + out.position();
        for (float v : values) {
            FLOATS.set(array, at, v);
            at += Float.BYTES;
        }
        out.position(out.position() + bytes);
    }

    /** As {@code values[i] = in.getFloat()} for each value, straight from the (wrapped) buffer's array. */
    private static void getFloats(ByteBuffer in, float[] values) {
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
