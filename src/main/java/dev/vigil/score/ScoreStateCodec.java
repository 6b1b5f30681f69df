package dev.vigil.score;

import dev.vigil.BadBytesException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;

/**
 * Persisted form of a {@link ScoreState}, written into a caller's buffer (it is one section of the
 * detector state, which carries the format version and checksum). Layout, big-endian:
 * <pre>
 *   u8  channels, u8 shortWindow
 *   f64 centre[d], scale[d], min[d], max[d]
 *   f32 recent[shortWindow]                   (f64 before detector state version 13, {@link Section#FLOAT_RINGS})
 *   i64 updates, u8 recentCount, u8 recentNext, f64 longMean, f64 longVariance, i64 levelUpdates
 *   u8  alert, i32 quietRun, i64 alertsOpened
 *       (alert: 0 none open; 1 open, what opened it not known (states written before it was kept); 2 + the index of
 *       what opened it in {@link #OPENERS}: range, stuck sensor, prediction error, pattern, drift,
 *       spike)
 *   f64 last[d], i32 flatRun, i64 repeats
 *   pattern section (absent in detector states before version 3: no table, a fresh calibration):
 *   u8  patternBins (0: no table), u8 patternLength
 *   if patternBins > 0: u8 filled, u8 latest[d · (patternLength - 1)], then per channel its counts, either
 *       u8 0, u8 counts[(patternBins + 2)^patternLength]                      (dense), or
 *       u8 1, u16 n, n × (u16 cell, u8 count)                                  (sparse: the non-zero counts)
 *     whichever is shorter
 *   u8  patternWindow, f32 pattern recent[patternWindow] (f64 before version 13), u8 recentCount, u8 recentNext,
 *   f64 longMean,
 *   f64 longVariance, i64 levelUpdates
 *   count and drift section (absent in detector states before version 6: a channel counts when its min, max and
 *   last reading are whole numbers >= 0; the recent means start at the centres, the drift calibration afresh):
 *   u8  counts[ceil(d / 8)]                    (bit c % 8 of byte c / 8: channel c's readings were all counts)
 *   f64 recentMean[d], f32 drift recent[1] (f64 before version 13), u8 recentCount, u8 recentNext, f64 longMean,
 *   f64 longVariance,
 *   i64 levelUpdates
 *   run section (absent in detector states before version 8: estimated as repeats² / updates, what independent
 *   repeats would give, so {@link ScoringConfig#flatlineRuns()} starts from the independent rate):
 *   i64 repeatsAfterRepeat
 *   jump section (absent in detector states before version 10: the recent level starts at the recent mean, no jumps
 *   learnt, so the range rule asks for none until {@link Scorer#JUMP_SETTLE} are):
 *   f64 jumpLevel[d], f64 jumpLow[d], f64 jumpHigh[d], i64 jumpsSeen
 *   spike section (absent in detector states before version 11: the readings before the last start at the last, no
 *   excursions learnt, so the spike rule judges none until {@link Scorer#JUMP_SETTLE} are; W = {@link
 *   Scorer#SPIKE_WIDTHS}):
 *   f64 spikeBefore[d · W], f64 spikeHigh[d · W], i64 spikesSeen
 *   hour section (absent in detector states before version 12: the time-of-day profile starts at zero, which leaves
 *   the drift signal as it was until the profile is learnt; B = {@link Scorer#HOUR_BINS}):
 *   f32 hourMean[d · B]
 *   rhythm section (absent in detector states before version 14: no rhythm state, which starts afresh when the
 *   rhythm signal is on):
 *   u8  flags: bit 0 a rhythm state follows (the rhythm signal on), bit 1 daily error bursts follow it
 *       ({@code scoring.burstByHour}; a state with the setting off is written as before it existed); then for a rhythm
 *       state f32 follow[d], f32 swing[d], f32 weekend[d · B],
 *       i64 weekendReadings, f32 rhythm recent[1], u8 recentCount, u8 recentNext, f64 longMean, f64 longVariance,
 *       i64 levelUpdates; then for daily error bursts f32 mean[24], f32 meanSquare[24], u8 days[24], i8 hour (-1:
 *       none yet), f32 highest; then for idle readings ({@code scoring.flatlineRuns}, bit 2; {@link IdleReadings})
 *       f64 reading[2 · d] (NaN: a slot that matches any run), then per slot i64 repeats, i64 following, then (bit 4,
 *       set with bit 2 since the twenty-ninth session; absent: 0 and false) the run record, i32 the longest quiet run
 *       at a working reading, u8 the run going on flagged; then for a
 *       key with counter channels (bit 3, since the twenty-ninth session, same format) f64 total[d], each counter's
 *       total at the key's previous reading (NaN for a channel that is no counter)
 * </pre>
 * The error fields keep their place of the earlier versions ({@link SignalLevel} of the prediction error).
 * The caller's buffer must be big-endian with a backing array (as {@link ByteBuffer#allocate} and
 * {@link ByteBuffer#wrap} make them): runs of doubles and the pattern counts are read and written in that array.
 */
public final class ScoreStateCodec {
    /** The sections a detector state format may lack, in the order formats added them. */
    public enum Section {
        /** The pattern table and its calibration (detector state format 3). */
        PATTERNS,
        /** The count flags, the recent means and the drift calibration (format 6). */
        COUNTS,
        /** The repeats following a repeat (format 8). */
        RUNS,
        /** The jumps' level and the jumps learnt (format 10). */
        JUMPS,
        /** The spike rule's readings and excursions (format 11). */
        SPIKES,
        /** The time-of-day profile (format 12). */
        HOURS,
        /**
         * The signals' rings of recent raw values at float precision, as they are kept (format 13; before it they were
         * written as doubles, and are read into floats). Not a section of its own: how the rings are written.
         */
        FLOAT_RINGS,
        /** The rhythm signal's state, when it is on (format 14). */
        RHYTHM
    }

    /** What can open an alert, in the order the {@code alert} byte names them (fixed: it is stored). */
    static final AlertReason[] OPENERS = {AlertReason.RANGE, AlertReason.STUCK_SENSOR, AlertReason.PREDICTION_ERROR,
        AlertReason.PATTERN, AlertReason.DRIFT, AlertReason.SPIKE, AlertReason.RHYTHM};
    /** Big-endian doubles in a byte array, as {@link ByteBuffer#putDouble} writes them. */
    /** Bit of the signal flags byte (the rhythm section's first) that a rhythm state follows. */
    private static final int RHYTHM_FLAG = 1;
    /** Bit of the signal flags byte that the daily error bursts follow, after any rhythm state. */
    private static final int BURST_FLAG = 2;
    /** Bit of the signal flags byte that the idle readings follow, after any daily error bursts. */
    private static final int IDLE_FLAG = 4;
    /** Bit of the signal flags byte that a counter key's totals follow, after any idle readings. */
    private static final int COUNTER_FLAG = 8;
    /** Bit of the signal flags byte that the idle readings' run record follows them (always, with them, since 29). */
    private static final int RUN_RECORD_FLAG = 16;
    private static final int FLAGS = RHYTHM_FLAG | BURST_FLAG | IDLE_FLAG | COUNTER_FLAG | RUN_RECORD_FLAG;
    private static final VarHandle DOUBLES = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.BIG_ENDIAN);
    /** Eight pattern counts at a time, to skip the zeros of a sparse table (the byte order does not matter). */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The low seven bits of each byte of a word. */
    private static final long LOW_SEVEN = 0x7f7f7f7f7f7f7f7fL;
    private ScoreStateCodec() {
    }

    public static int size(ScoreState state) {
        int d = state.channels();
        int levelBytes = Float.BYTES * state.shortWindow() + 2 + 8 + 8 + 8;
        int patternLevelBytes = 1 + Float.BYTES * state.pattern().window() + 2 + 8 + 8 + 8;
        PatternTable t = state.patterns();
        int table = 0;
        if (t != null) {
            table = 1 + t.latest().length;
            int cells = PatternTable.cells(t.bins(), t.length());
            for (int c = 0; c < t.channels(); c++) {
                table += 1 + Math.min(cells, 2 + 3 * nonZero(t.counts(), c * cells, cells));
            }
        }
        return 2 + 8 * 4 * d + 8 + levelBytes + 1 + 4 + 8 + 8 * d + 4 + 8 + 2 + table + patternLevelBytes
                + countBytes(d) + 8 * d + Float.BYTES * state.drift().window() + 2 + 8 + 8 + 8 + 8 + 3 * 8 * d + 8
                + 2 * 8 * Scorer.SPIKE_WIDTHS * d + 8
                + 4 * Scorer.HOUR_BINS * d + 1 + (state.rhythm() == null ? 0 : rhythmBytes(d))
                + (state.burst() == null ? 0 : BurstState.BYTES)
                + (state.idle() == null ? 0 : IdleReadings.bytes(d) + IdleReadings.RUN_RECORD_BYTES)
                + (state.counterTotals() == null ? 0 : 8 * d);
    }

    private static int rhythmBytes(int d) {
        return Float.BYTES * (2 * d + Scorer.HOUR_BINS * d) + 8 + Float.BYTES + 2 + 8 + 8 + 8;
    }

    public static void write(ScoreState s, ByteBuffer out) {
        out.put((byte) s.channels()).put((byte) s.shortWindow());
        putAll(out, s.center());
        putAll(out, s.scale());
        putAll(out, s.min());
        putAll(out, s.max());
        SignalLevel error = s.error();
        putFloats(out, error.recent());
        out.putLong(s.updates).put((byte) error.recentCount).put((byte) error.recentNext);
        out.putDouble(error.longMean).putDouble(error.longVariance).putLong(error.levelUpdates);
        out.put(alertByte(s)).putInt(s.quietRun).putLong(s.alertsOpened);
        putAll(out, s.last());
        out.putInt(s.flatRun).putLong(s.repeats);
        PatternTable t = s.patterns();
        out.put((byte) (t == null ? 0 : t.bins())).put((byte) (t == null ? 0 : t.length()));
        if (t != null) {
            out.put((byte) t.filled()).put(t.latest());
            int cells = PatternTable.cells(t.bins(), t.length());
            for (int c = 0; c < t.channels(); c++) {
                writeCounts(out, t.counts(), c * cells, cells);
            }
        }
        out.put((byte) s.pattern().window());
        putLevel(out, s.pattern());
        byte[] bits = new byte[countBytes(s.channels())];
        for (int c = 0; c < s.channels(); c++) {
            if (s.counts()[c]) {
                bits[c / 8] |= (byte) (1 << (c % 8));
            }
        }
        out.put(bits);
        putAll(out, s.recentMean());
        putLevel(out, s.drift());
        out.putLong(s.repeatsAfterRepeat);
        putAll(out, s.jumpLevel());
        putAll(out, s.jumpLow());
        putAll(out, s.jumpHigh());
        out.putLong(s.jumpsSeen);
        putAll(out, s.spikeBefore());
        putAll(out, s.spikeHigh());
        out.putLong(s.spikesSeen);
        putFloats(out, s.hourMean());
        RhythmState r = s.rhythm();
        BurstState b = s.burst();
        IdleReadings idle = s.idle();
        double[] totals = s.counterTotals();
        out.put((byte) ((r == null ? 0 : RHYTHM_FLAG) | (b == null ? 0 : BURST_FLAG)
                | (idle == null ? 0 : IDLE_FLAG | RUN_RECORD_FLAG) | (totals == null ? 0 : COUNTER_FLAG)));
        if (r != null) {
            putFloats(out, r.follow());
            putFloats(out, r.swing());
            putFloats(out, r.weekend());
            out.putLong(r.weekendReadings);
            putLevel(out, r.level());
        }
        if (b != null) {
            putFloats(out, b.mean);
            putFloats(out, b.square);
            out.put(b.days).put((byte) b.hour).putFloat(b.highest);
        }
        if (idle != null) {
            putAll(out, idle.reading);
            for (int k = 0; k < IdleReadings.SLOTS; k++) {
                out.putLong(idle.repeats[k]).putLong(idle.following[k]);
            }
            out.putInt(idle.longestQuiet).put((byte) (idle.runFlagged ? 1 : 0));
        }
        if (totals != null) {
            putAll(out, totals);
        }
    }

    /** A signal's ring of recent raw values (floats) and its scalars, as {@link #readLevel} reads them. */
    private static void putLevel(ByteBuffer out, SignalLevel level) {
        putFloats(out, level.recent());
        out.put((byte) level.recentCount).put((byte) level.recentNext);
        out.putDouble(level.longMean).putDouble(level.longVariance).putLong(level.levelUpdates);
    }

    private static byte alertByte(ScoreState s) {
        if (!s.alertOpen) {
            return 0;
        }
        for (int i = 0; i < OPENERS.length; i++) {
            if (OPENERS[i] == s.openReason) {
                return (byte) (2 + i);
            }
        }
        return 1;
    }

    private static int countBytes(int channels) {
        return (channels + 7) / 8;
    }

    /** Reads a state with all its sections; {@link BadBytesException} when truncated or inconsistent. */
    public static ScoreState read(ByteBuffer in) {
        return read(in, EnumSet.allOf(Section.class));
    }

    /**
     * Reads a state that holds the given sections (states written before a section existed lack it): without
     * {@link Section#PATTERNS} the state has no pattern table and a fresh pattern calibration; without {@link
     * Section#COUNTS}, a channel counts when its min, max and last reading are whole numbers >= 0; without {@link
     * Section#RUNS}, the repeats following a repeat are estimated as independent repeats would give them; without
     * {@link Section#JUMPS}, the jumps' recent level starts at the recent mean and no jumps are learnt; without {@link
     * Section#SPIKES}, the readings before the last start at the last and no excursions are learnt; without {@link
     * Section#HOURS}, the time-of-day profile is all zeros; without {@link Section#FLOAT_RINGS}, the rings were written
     * as doubles; without {@link Section#RHYTHM}, there is no rhythm state. {@link BadBytesException} when truncated or
     * inconsistent.
     */
    public static ScoreState read(ByteBuffer in, Set<Section> sections) {
        boolean patternSection = sections.contains(Section.PATTERNS);
        boolean countSection = sections.contains(Section.COUNTS);
        boolean floatRings = sections.contains(Section.FLOAT_RINGS);
        try {
            int channels = Byte.toUnsignedInt(in.get());
            int window = Byte.toUnsignedInt(in.get());
            if (channels < 1 || window < 1) {
                throw new BadBytesException("score state has channels=" + channels + ", shortWindow=" + window
                        + "; both must be >= 1");
            }
            ScoreState s = new ScoreState(channels, window);
            getAll(in, s.center());
            getAll(in, s.scale());
            getAll(in, s.min());
            getAll(in, s.max());
            getRing(in, s.error().recent(), floatRings);
            long updates = in.getLong();
            readLevelScalars(in, s.error());
            int alert = Byte.toUnsignedInt(in.get());
            if (alert > 1 + OPENERS.length) {
                throw new BadBytesException("score state's alert byte is " + alert + "; must be 0.."
                        + (1 + OPENERS.length));
            }
            int quiet = in.getInt();
            long alerts = in.getLong();
            getAll(in, s.last());
            int flat = in.getInt();
            s.restore(updates, alert != 0, quiet, alerts, flat, in.getLong());
            s.openReason = alert >= 2 ? OPENERS[alert - 2] : null;
            if (patternSection) {
                PatternTable table = readTable(in, channels);
                int patternWindow = Byte.toUnsignedInt(in.get());
                if (patternWindow < 1) {
                    throw new BadBytesException("score state has patternWindow=0; must be >= 1");
                }
                SignalLevel level = new SignalLevel(patternWindow);
                readLevel(in, level, floatRings);
                s.restorePatterns(table, level);
            }
            readCounts(in, s, countSection);
            if (countSection) {
                getAll(in, s.recentMean());
                readLevel(in, s.drift(), floatRings);
            } else {
                System.arraycopy(s.center(), 0, s.recentMean(), 0, channels);
            }
            if (sections.contains(Section.RUNS)) {
                long following = in.getLong();
                if (following < 0 || following > s.repeats) {
                    throw new BadBytesException("score state has " + following + " repeats following a repeat of "
                            + s.repeats + " repeats");
                }
                s.repeatsAfterRepeat = following;
            } else {
                s.repeatsAfterRepeat = s.updates == 0 ? 0 : Math.round((double) s.repeats * s.repeats / s.updates);
            }
            if (sections.contains(Section.JUMPS)) {
                getAll(in, s.jumpLevel());
                getAll(in, s.jumpLow());
                getAll(in, s.jumpHigh());
                s.jumpsSeen = learnt(in, s, "jumps");
            } else {
                System.arraycopy(s.recentMean(), 0, s.jumpLevel(), 0, channels);
            }
            if (sections.contains(Section.SPIKES)) {
                getAll(in, s.spikeBefore());
                getAll(in, s.spikeHigh());
                s.spikesSeen = learnt(in, s, "excursions");
            } else {
                for (int c = 0; c < channels; c++) {
                    java.util.Arrays.fill(s.spikeBefore(), c * Scorer.SPIKE_WIDTHS, (c + 1) * Scorer.SPIKE_WIDTHS,
                            s.last()[c]);
                }
            }
            if (sections.contains(Section.HOURS)) {
                getFiniteFloats(in, s.hourMean(), "time-of-day profile");
            }
            if (sections.contains(Section.RHYTHM)) {
                int flags = Byte.toUnsignedInt(in.get());
                if ((flags & ~FLAGS) != 0) {
                    throw new BadBytesException("score state's signal flags are " + flags + "; must be 0 to " + FLAGS);
                }
                s.restoreRhythm((flags & RHYTHM_FLAG) == 0 ? null : readRhythm(in, s));
                s.restoreBurst((flags & BURST_FLAG) == 0 ? null : readBurst(in));
                if ((flags & RUN_RECORD_FLAG) != 0 && (flags & IDLE_FLAG) == 0) {
                    throw new BadBytesException("score state's signal flags are " + flags + ": a run record without "
                            + "idle readings");
                }
                s.restoreIdle((flags & IDLE_FLAG) == 0 ? null : readIdle(in, channels));
                if ((flags & RUN_RECORD_FLAG) != 0) {
                    readRunRecord(in, s.idle());
                }
                s.counterTotals((flags & COUNTER_FLAG) == 0 ? null : readTotals(in, channels));
            }
            return s;
        } catch (BufferUnderflowException e) {
            throw new BadBytesException("score state is truncated", e);
        }
    }

    /** Reads the idle readings' run record: the longest quiet run at a working reading, the run going on flagged. */
    private static void readRunRecord(ByteBuffer in, IdleReadings idle) {
        idle.longestQuiet = in.getInt();
        byte flagged = in.get();
        if (idle.longestQuiet < 0 || (flagged != 0 && flagged != 1)) {
            throw new BadBytesException("score state's run record is impossible: longest " + idle.longestQuiet
                    + ", flagged " + flagged);
        }
        idle.runFlagged = flagged == 1;
    }

    /** Reads a counter key's totals (NaN for a channel that is no counter). */
    private static double[] readTotals(ByteBuffer in, int channels) {
        double[] totals = new double[channels];
        getNotInfinite(in, totals, "counter total");
        return totals;
    }

    /** Reads the readings a key idles at. */
    private static IdleReadings readIdle(ByteBuffer in, int channels) {
        IdleReadings idle = new IdleReadings(channels, 0, 0);
        getNotInfinite(in, idle.reading, "idle reading");
        for (int k = 0; k < IdleReadings.SLOTS; k++) {
            idle.repeats[k] = in.getLong();
            idle.following[k] = in.getLong();
            if (idle.following[k] < 0 || idle.following[k] > idle.repeats[k]) {
                throw new BadBytesException("score state counts " + idle.following[k] + " repeats following a repeat"
                        + " of " + idle.repeats[k] + " at an idle reading");
            }
        }
        return idle;
    }

    /** Reads the daily error bursts. */
    private static BurstState readBurst(ByteBuffer in) {
        BurstState b = new BurstState();
        getFiniteFloats(in, b.mean, "daily error bursts");
        getFiniteFloats(in, b.square, "daily error bursts");
        in.get(b.days);
        for (byte days : b.days) {
            if (days < 0 || days > Scorer.BURST_MEMORY_DAYS) {
                throw new BadBytesException("score state counts " + days + " days of an hour's error bursts");
            }
        }
        b.hour = in.get();
        if (b.hour < -1 || b.hour >= BurstState.BINS) {
            throw new BadBytesException("score state's error-burst hour is " + b.hour);
        }
        b.highest = in.getFloat();
        if (!Float.isFinite(b.highest)) {
            throw new BadBytesException("score state's hour's highest error level is " + b.highest);
        }
        return b;
    }

    /** Reads the rhythm section's state (its flag read). */
    private static RhythmState readRhythm(ByteBuffer in, ScoreState s) {
        RhythmState r = new RhythmState(s.channels());
        getFiniteFloats(in, r.follow(), "rhythm");
        getFiniteFloats(in, r.swing(), "rhythm");
        getFiniteFloats(in, r.weekend(), "weekend profile");
        long weekendReadings = in.getLong();
        if (weekendReadings < 0 || weekendReadings > s.updates) {
            throw new BadBytesException("score state has " + weekendReadings + " weekend readings learnt of "
                    + s.updates + " readings");
        }
        r.weekendReadings = weekendReadings;
        readLevel(in, r.level(), true);
        return r;
    }

    private static void getFiniteFloats(ByteBuffer in, float[] into, String what) {
        for (int i = 0; i < into.length; i++) {
            into[i] = in.getFloat();
            if (!Float.isFinite(into[i])) {
                throw new BadBytesException("score state's " + what + " holds " + into[i]);
            }
        }
    }

    /** Reads how many readings' {@code what} were learnt: at most the readings the state has had. */
    private static long learnt(ByteBuffer in, ScoreState s, String what) {
        long seen = in.getLong();
        if (seen < 0 || seen > s.updates) {
            throw new BadBytesException("score state has " + seen + " " + what + " learnt of " + s.updates
                    + " readings");
        }
        return seen;
    }

    private static void readCounts(ByteBuffer in, ScoreState s, boolean countSection) {
        boolean[] counts = s.counts();
        if (!countSection) {
            for (int c = 0; c < counts.length; c++) {
                counts[c] = s.updates() == 0 || (OnlineNormaliser.isCount(s.min()[c])
                        && OnlineNormaliser.isCount(s.max()[c]) && OnlineNormaliser.isCount(s.last()[c]));
            }
            return;
        }
        byte[] bits = new byte[countBytes(counts.length)];
        in.get(bits);
        for (int c = 0; c < counts.length; c++) {
            counts[c] = (bits[c / 8] & (1 << (c % 8))) != 0;
        }
        int spare = counts.length % 8;
        if (spare != 0 && (bits[bits.length - 1] & 0xff) >> spare != 0) {
            throw new BadBytesException("score state's count flags name channels beyond its " + counts.length);
        }
    }

    /** A signal's ring (floats, or doubles before {@link Section#FLOAT_RINGS}) and its scalars, as written. */
    private static void readLevel(ByteBuffer in, SignalLevel level, boolean floatRings) {
        getRing(in, level.recent(), floatRings);
        readLevelScalars(in, level);
    }

    private static void readLevelScalars(ByteBuffer in, SignalLevel level) {
        int count = Byte.toUnsignedInt(in.get());
        int next = Byte.toUnsignedInt(in.get());
        if (count > level.window() || next >= level.window()) {
            throw new BadBytesException("score state ring position " + next + "/" + count + " exceeds window "
                    + level.window());
        }
        level.restore(count, next, in.getDouble(), in.getDouble(), in.getLong());
    }

    private static PatternTable readTable(ByteBuffer in, int channels) {
        int bins = Byte.toUnsignedInt(in.get());
        int length = Byte.toUnsignedInt(in.get());
        if (bins == 0) {
            return null;
        }
        if (bins > 16 || length < 2 || length > 4) {
            throw new BadBytesException("score state has a pattern table of " + bins + " bins and length " + length
                    + "; expected 1..16 bins, length 2..4");
        }
        if (PatternTable.cells(bins, length) > ScoringConfig.MAX_PATTERN_CELLS) {
            throw new BadBytesException("score state has a pattern table of " + PatternTable.cells(bins, length)
                    + " cells per channel; at most " + ScoringConfig.MAX_PATTERN_CELLS);
        }
        PatternTable t = new PatternTable(channels, bins, length);
        int filled = Byte.toUnsignedInt(in.get());
        in.get(t.latest());
        int cells = PatternTable.cells(bins, length);
        for (int c = 0; c < channels; c++) {
            readCounts(in, t.counts(), c * cells, cells);
        }
        for (byte symbol : t.latest()) {
            if (Byte.toUnsignedInt(symbol) >= PatternSurprise.symbols(bins)) {
                throw new BadBytesException("score state's pattern table holds symbol " + Byte.toUnsignedInt(symbol)
                        + " beyond its " + PatternSurprise.symbols(bins) + " symbols");
            }
        }
        t.restore(Math.min(filled, length));
        return t;
    }

    /** Non-zero counts among {@code counts[from, from + cells)}, eight at a time. */
    private static int nonZero(byte[] counts, int from, int cells) {
        int n = 0;
        int i = from;
        int end = from + cells;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) WORDS.get(counts, i);
            if (word != 0) {
                // per byte, the top bit of (low seven bits + 0x7f) | byte: set when the byte is not zero (no carry
                // crosses bytes: 0x7f + 0x7f < 0x100)
                n += Long.bitCount(((word & LOW_SEVEN) + LOW_SEVEN | word) & ~LOW_SEVEN);
            }
        }
        for (; i < end; i++) {
            n += counts[i] != 0 ? 1 : 0;
        }
        return n;
    }

    /** One channel's counts, dense or as (cell, count) pairs, whichever is shorter. */
    private static void writeCounts(ByteBuffer out, byte[] counts, int from, int cells) {
        int n = nonZero(counts, from, cells);
        if (cells <= 2 + 3 * n) {
            out.put((byte) 0).put(counts, from, cells);
            return;
        }
        out.put((byte) 1).putShort((short) n);
        int i = 0;
        for (; i + Long.BYTES <= cells; i += Long.BYTES) {
            if ((long) WORDS.get(counts, from + i) != 0) {
                putNonZero(out, counts, from, i, i + Long.BYTES);
            }
        }
        putNonZero(out, counts, from, i, cells);
    }

    /** The (cell, count) pairs of the non-zero counts of cells {@code [first, end)}. */
    private static void putNonZero(ByteBuffer out, byte[] counts, int from, int first, int end) {
        for (int i = first; i < end; i++) {
            if (counts[from + i] != 0) {
                out.putShort((short) i).put(counts[from + i]);
            }
        }
    }

    private static void readCounts(ByteBuffer in, byte[] counts, int from, int cells) {
        int mode = Byte.toUnsignedInt(in.get());
        if (mode == 0) {
            in.get(counts, from, cells);
            return;
        }
        if (mode != 1) {
            throw new BadBytesException("score state's pattern counts have an unknown layout " + mode);
        }
        int n = Short.toUnsignedInt(in.getShort());
        for (int k = 0; k < n; k++) {
            int cell = Short.toUnsignedInt(in.getShort());
            if (cell >= cells) {
                throw new BadBytesException("score state's pattern counts name cell " + cell + " of " + cells);
            }
            counts[from + cell] = in.get();
        }
    }

    /** As {@code out.putDouble} for each value, straight into the buffer's array. */
    private static void putAll(ByteBuffer out, double[] values) {
        int bytes = Double.BYTES * values.length;
        if (out.remaining() < bytes) {
            throw new BufferOverflowException();
        }
        byte[] array = out.array();
        int at = out.arrayOffset() + out.position();
        for (double v : values) {
            DOUBLES.set(array, at, v);
            at += Double.BYTES;
        }
        out.position(out.position() + bytes);
    }

    /** As {@code out.putFloat} for each value. */
    private static void putFloats(ByteBuffer out, float[] values) {
        for (float v : values) {
            out.putFloat(v);
        }
    }

    /**
     * A ring of recent raw values: floats, or (written before {@link Section#FLOAT_RINGS}) doubles rounded to float;
     * every value finite.
     */
    private static void getRing(ByteBuffer in, float[] ring, boolean floats) {
        for (int i = 0; i < ring.length; i++) {
            ring[i] = floats ? in.getFloat() : (float) in.getDouble();
            if (!Float.isFinite(ring[i])) {
                throw new BadBytesException("score state's ring of recent raw values holds " + ring[i]);
            }
        }
    }

    /** {@link #getAll}, refusing an infinity ({@code what} names the values; NaN marks a value that is not there). */
    private static void getNotInfinite(ByteBuffer in, double[] values, String what) {
        getAll(in, values);
        for (double v : values) {
            if (Double.isInfinite(v)) {
                throw new BadBytesException("score state's " + what + " is " + v);
            }
        }
    }

    /** As {@code in.getDouble} for each value, straight from the buffer's array. */
    private static void getAll(ByteBuffer in, double[] values) {
        int bytes = Double.BYTES * values.length;
        if (in.remaining() < bytes) {
            throw new BufferUnderflowException();
        }
        byte[] array = in.array();
        int at = in.arrayOffset() + in.position();
        for (int i = 0; i < values.length; i++) {
            values[i] = (double) DOUBLES.get(array, at);
            at += Double.BYTES;
        }
        in.position(in.position() + bytes);
    }
}
