package dev.vigil.score;

import dev.vigil.BadBytesException;

import java.nio.ByteBuffer;

import static dev.vigil.score.ScoreBytes.getFiniteFloats;
import static dev.vigil.score.ScoreBytes.getNotInfinite;
import static dev.vigil.score.ScoreBytes.putAll;
import static dev.vigil.score.ScoreBytes.putFloats;
import static dev.vigil.score.ScoreBytes.putLevel;
import static dev.vigil.score.ScoreBytes.readLevel;

/**
 * The last part of a {@link ScoreState}'s persisted form ({@link ScoreStateCodec} gives the layout): a flags byte, then
 * the parts a setting or a kind of key adds, each only when its flag is set: the rhythm signal's state, the daily
 * error bursts, the idle readings with their run record, a counter key's totals, a count key's over-dispersion.
 */
final class FlaggedSectionsCodec {
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
    /**
     * Bit of the signal flags byte that the rhythm state's weekday profile follows its calibration (always, with a
     * rhythm state, since the thirty-fourth session; absent: started from the time-of-day profile).
     */
    private static final int RHYTHM_PROFILE_FLAG = 32;
    /** Bit of the signal flags byte that a count key's over-dispersion follows, after any counter totals. */
    private static final int DISPERSION_FLAG = 64;
    /**
     * Bit of the signal flags byte that a count key's spike rule learnt its excursions on its over-dispersion's scale
     * (always, with a dispersion, since the fifty-first session; absent: on the square-root scale, so that the spike
     * rule's learning restarts when the state is read).
     */
    private static final int DISPERSION_SCALE_FLAG = 128;
    private static final int FLAGS = RHYTHM_FLAG | BURST_FLAG | IDLE_FLAG | COUNTER_FLAG | RUN_RECORD_FLAG
            | RHYTHM_PROFILE_FLAG | DISPERSION_FLAG | DISPERSION_SCALE_FLAG;

    private FlaggedSectionsCodec() {
    }

    /** Bytes {@link #write} takes for {@code s}'s flagged parts, the flags byte included. */
    static int size(ScoreState s) {
        int d = s.channels();
        return 1 + (s.rhythm() == null ? 0 : rhythmBytes(d))
                + (s.burst() == null ? 0 : BurstState.BYTES)
                + (s.idle() == null ? 0 : IdleReadings.bytes(d) + IdleReadings.RUN_RECORD_BYTES)
                + (s.counterTotals() == null ? 0 : 8 * d)
                + (s.dispersion() == null ? 0 : CountDispersion.bytes(d));
    }

    /** The flags byte, then each flagged part {@code s} has. */
    static void write(ScoreState s, ByteBuffer out) {
        RhythmState r = s.rhythm();
        BurstState b = s.burst();
        IdleReadings idle = s.idle();
        double[] totals = s.counterTotals();
        CountDispersion dispersion = s.dispersion();
        out.put((byte) ((r == null ? 0 : RHYTHM_FLAG | RHYTHM_PROFILE_FLAG) | (b == null ? 0 : BURST_FLAG)
                | (idle == null ? 0 : IDLE_FLAG | RUN_RECORD_FLAG) | (totals == null ? 0 : COUNTER_FLAG)
                | (dispersion == null ? 0 : DISPERSION_FLAG | DISPERSION_SCALE_FLAG)));
        if (r != null) {
            putFloats(out, r.follow());
            putFloats(out, r.swing());
            putFloats(out, r.weekend());
            out.putLong(r.weekendReadings);
            putLevel(out, r.level());
            putFloats(out, r.weekday());
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
        if (dispersion != null) {
            putFloats(out, dispersion.missSquare);
            putFloats(out, dispersion.levelSquare);
        }
    }

    /** Reads the flags byte and the parts it names into {@code s}; {@link BadBytesException} on impossible ones. */
    static void read(ByteBuffer in, ScoreState s) {
        int flags = Byte.toUnsignedInt(in.get());
        if ((flags & ~FLAGS) != 0) {
            throw new BadBytesException("score state's signal flags are " + flags + "; must be 0 to " + FLAGS);
        }
        requireWith(flags, RHYTHM_PROFILE_FLAG, RHYTHM_FLAG, "a rhythm profile without a rhythm state");
        s.restoreRhythm((flags & RHYTHM_FLAG) == 0 ? null : readRhythm(in, s, (flags & RHYTHM_PROFILE_FLAG) != 0));
        s.restoreBurst((flags & BURST_FLAG) == 0 ? null : readBurst(in));
        requireWith(flags, RUN_RECORD_FLAG, IDLE_FLAG, "a run record without idle readings");
        s.restoreIdle((flags & IDLE_FLAG) == 0 ? null : readIdle(in, s.channels()));
        if ((flags & RUN_RECORD_FLAG) != 0) {
            readRunRecord(in, s.idle());
        }
        s.counterTotals((flags & COUNTER_FLAG) == 0 ? null : readTotals(in, s.channels()));
        requireWith(flags, DISPERSION_SCALE_FLAG, DISPERSION_FLAG, "a dispersion's scale without a dispersion");
        s.restoreDispersion((flags & DISPERSION_FLAG) == 0 ? null : readDispersion(in, s.channels()));
        if ((flags & DISPERSION_FLAG) != 0 && (flags & DISPERSION_SCALE_FLAG) == 0) {
            s.excursions().forgetSpikes();
        }
    }

    /** {@link BadBytesException} when {@code flags} set {@code flag}, which qualifies a part, without {@code base}. */
    private static void requireWith(int flags, int flag, int base, String what) {
        if ((flags & flag) != 0 && (flags & base) == 0) {
            throw new BadBytesException("score state's signal flags are " + flags + ": " + what);
        }
    }

    /** Reads a count key's over-dispersion: finite running means, the squared level's never negative. */
    private static CountDispersion readDispersion(ByteBuffer in, int channels) {
        CountDispersion d = new CountDispersion(channels);
        getFiniteFloats(in, d.missSquare, "count dispersion");
        getFiniteFloats(in, d.levelSquare, "count dispersion");
        for (float level : d.levelSquare) {
            if (level < 0) {
                throw new BadBytesException("score state's count dispersion has a squared level of " + level);
            }
        }
        return d;
    }

    /**
     * Reads the rhythm section's state (its flag read), its weekday profile when {@code profile}, else started from the
     * state's time-of-day profile (read before it).
     */
    private static RhythmState readRhythm(ByteBuffer in, ScoreState s, boolean profile) {
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
        if (profile) {
            getFiniteFloats(in, r.weekday(), "rhythm profile");
        } else {
            r.seedWeekday(s.hourMean());
        }
        return r;
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

    private static int rhythmBytes(int d) {
        return Float.BYTES * (2 * d + Scorer.HOUR_BINS * d + Scorer.RHYTHM_BINS * d) + 8 + Float.BYTES + 2 + 8 + 8 + 8;
    }
}
