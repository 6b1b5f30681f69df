package dev.vigil.score;

import dev.vigil.BadBytesException;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

import static dev.vigil.score.ScoreBytes.getAll;
import static dev.vigil.score.ScoreBytes.getFiniteFloats;
import static dev.vigil.score.ScoreBytes.getRing;
import static dev.vigil.score.ScoreBytes.putAll;
import static dev.vigil.score.ScoreBytes.putFloats;
import static dev.vigil.score.ScoreBytes.putLevel;
import static dev.vigil.score.ScoreBytes.readLevel;
import static dev.vigil.score.ScoreBytes.readLevelScalars;

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
 *       i64 levelUpdates, then (bit 5, set with bit 0 since the thirty-fourth session; absent: started from hourMean,
 *       each bin the mean of the two it spans) f32 weekday[d · {@link Scorer#RHYTHM_BINS}]; then for daily error
 *       bursts f32 mean[24], f32 meanSquare[24], u8 days[24], i8 hour (-1: none yet), f32 highest; then for idle
 *       readings ({@code scoring.flatlineRuns}, bit 2; {@link IdleReadings}) f64 reading[2 · d] (NaN: a slot that
 *       matches any run), then per slot i64 repeats, i64 following, then (bit 4, set with bit 2 since the twenty-ninth
 *       session; absent: 0 and false) the run record, i32 the longest quiet run at a working reading, u8 the run going
 *       on flagged; then for a key with counter channels (bit 3, since the twenty-ninth session, same format) f64
 *       total[d], each counter's total at the key's previous reading (NaN for a channel that is no counter); then for
 *       a key with a count channel ({@code scoring.countDispersionHalfLife}, bit 6, since the thirty-sixth session,
 *       same format; absent: learnt afresh) f32 missSquare[d], f32 levelSquare[d] ({@link CountDispersion}); bit 7,
 *       set with bit 6 since the fifty-first session, says the spike rule's excursions were learnt on the
 *       dispersion's scale (absent with bit 6: on the square-root scale, and the spike rule starts learning afresh)
 *   novelty section (absent in detector states before version 18: none, learnt afresh when the window novelty signal
 *   is on; {@link NoveltyStateCodec} gives its layout)
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
        RHYTHM,
        /** The window novelty signal's state, when it is on (format 18). */
        NOVELTY
    }

    /** What can open an alert, in the order the {@code alert} byte names them (fixed: it is stored). */
    static final AlertReason[] OPENERS = {AlertReason.RANGE, AlertReason.STUCK_SENSOR, AlertReason.PREDICTION_ERROR,
        AlertReason.PATTERN, AlertReason.DRIFT, AlertReason.SPIKE, AlertReason.RHYTHM};

    private ScoreStateCodec() {
    }

    public static int size(ScoreState state) {
        int d = state.channels();
        int levelBytes = Float.BYTES * state.shortWindow() + 2 + 8 + 8 + 8;
        int patternLevelBytes = 1 + Float.BYTES * state.pattern().window() + 2 + 8 + 8 + 8;
        return 2 + 8 * 4 * d + 8 + levelBytes + 1 + 4 + 8 + 8 * d + 4 + 8 + PatternTableCodec.size(state.patterns())
                + patternLevelBytes + countBytes(d) + 8 * d + Float.BYTES * state.drift().window() + 2 + 8 + 8 + 8 + 8
                + 3 * 8 * d + 8 + 2 * 8 * Scorer.SPIKE_WIDTHS * d + 8 + 4 * Scorer.HOUR_BINS * d
                + FlaggedSectionsCodec.size(state) + NoveltyStateCodec.size(state.novelty());
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
        PatternTableCodec.write(out, s.patterns());
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
        Excursions excursions = s.excursions();
        putAll(out, excursions.jumpLevel());
        putAll(out, excursions.jumpLow());
        putAll(out, excursions.jumpHigh());
        out.putLong(excursions.jumpsSeen);
        putAll(out, excursions.spikeBefore());
        putAll(out, excursions.spikeHigh());
        out.putLong(excursions.spikesSeen);
        putFloats(out, s.hourMean());
        FlaggedSectionsCodec.write(s, out);
        NoveltyStateCodec.write(out, s.novelty());
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
     * as doubles; without {@link Section#RHYTHM}, there is no rhythm state; without {@link Section#NOVELTY}, no novelty
     * state. {@link BadBytesException} when truncated or inconsistent.
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
                PatternTable table = PatternTableCodec.read(in, channels);
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
            readRuleSections(in, s, sections);
            if (sections.contains(Section.HOURS)) {
                getFiniteFloats(in, s.hourMean(), "time-of-day profile");
            }
            if (sections.contains(Section.RHYTHM)) {
                FlaggedSectionsCodec.read(in, s);
            }
            if (sections.contains(Section.NOVELTY)) {
                s.restoreNovelty(NoveltyStateCodec.read(in, channels));
            }
            return s;
        } catch (BufferUnderflowException e) {
            throw new BadBytesException("score state is truncated", e);
        }
    }

    /**
     * The stuck-sensor, range and spike rules' sections (formats 8, 10 and 11), or what a state written before them
     * starts with: the repeats following a repeat estimated as independent repeats would give them, the jumps' level at
     * the recent mean with none learnt, the readings before the last at the last with no excursions excursions.
     */
    private static void readRuleSections(ByteBuffer in, ScoreState s, Set<Section> sections) {
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
        Excursions excursions = s.excursions();
        if (sections.contains(Section.JUMPS)) {
            getAll(in, excursions.jumpLevel());
            getAll(in, excursions.jumpLow());
            getAll(in, excursions.jumpHigh());
            excursions.jumpsSeen = learnt(in, s, "jumps");
        } else {
            System.arraycopy(s.recentMean(), 0, excursions.jumpLevel(), 0, s.channels());
        }
        if (sections.contains(Section.SPIKES)) {
            getAll(in, excursions.spikeBefore());
            getAll(in, excursions.spikeHigh());
            excursions.spikesSeen = learnt(in, s, "excursions");
        } else {
            for (int c = 0; c < s.channels(); c++) {
                java.util.Arrays.fill(excursions.spikeBefore(), c * Scorer.SPIKE_WIDTHS, (c + 1) * Scorer.SPIKE_WIDTHS,
                        s.last()[c]);
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

}
