package dev.vigil.score;

import java.util.Arrays;

/**
 * The readings a key idles at ({@link ScoringConfig#flatlineRuns()}): the readings (every channel) of its last
 * {@value #SLOTS} distinct long runs (at least {@link ScoringConfig#flatlineEvents()} repeats), the most recently used
 * first, each with the repeats of its runs and how many of them followed a repeat. A run at one of these readings is
 * judged against the key's runs there; a run at any other reading is a stuck sensor as the plain rule says. Two
 * readings, so that a freeze at a working value does not make the key forget the reading it idles at. A slot whose
 * reading is NaN matches any run (a new key, or a state written before the readings were kept: its counts then are
 * the key's repeats and the repeats that followed one, as the rule counted them before). Once both slots hold
 * readings, a run at any other reading is flagged only when it is also more than {@value #RUN_RECORD_FACTOR} times the
 * longest run the key has held at such a reading without being flagged ({@link #longestQuiet()}): a slowly changing
 * quantised sensor's steps are its habit. Not thread-safe; owned by the {@link ScoreState} that holds it.
 */
public final class IdleReadings {
    /** Readings kept. */
    public static final int SLOTS = 2;

    private final int channels;
    /** Slot s's reading of channel c at {@code s * channels + c}; NaN in a slot that matches any run. */
    final double[] reading;
    final long[] repeats = new long[SLOTS];
    final long[] following = new long[SLOTS];
    /** Repeats of the longest run the key has had at a reading it does not idle at without being called stuck. */
    int longestQuiet;
    /** Whether the run going on has been called stuck. */
    boolean runFlagged;

    /** Fresh readings: the first slot matches any run, with the given counts; the others are empty. */
    IdleReadings(int channels, long repeats, long following) {
        this.channels = channels;
        this.reading = new double[SLOTS * channels];
        Arrays.fill(reading, Double.NaN);
        this.repeats[0] = repeats;
        this.following[0] = following;
    }

    /** Stored bytes for a key of {@code channels} channels, the run record aside ({@link #RUN_RECORD_BYTES}). */
    static int bytes(int channels) {
        return SLOTS * (Double.BYTES * channels + 2 * Long.BYTES);
    }

    /** Stored bytes of the run record: the longest quiet run at a working reading (i32), the run flagged (u8). */
    static final int RUN_RECORD_BYTES = Integer.BYTES + 1;

    /**
     * How many times the longest quiet run at a working reading a run at a working reading must exceed before the
     * stuck-sensor rule may flag it: a quantised sensor that changes slowly holds each step for a while as a matter
     * of course, and a run no longer than twice any it has held without alarm is its habit, not a fault.
     */
    static final int RUN_RECORD_FACTOR = 2;

    /** The longest run, in repeats, the key has held at a reading it does not idle at without being called stuck. */
    public int longestQuiet() {
        return longestQuiet;
    }

    /**
     * Takes in a run of {@code run} repeats at {@code values} that just ended: a quiet one at a reading the key does
     * not idle at raises {@link #longestQuiet}; the next run starts unflagged. Call before {@link #record}.
     */
    void runEnded(double[] values, int run) {
        if (run > 0 && !runFlagged && slot(values) < 0) {
            longestQuiet = Math.max(longestQuiet, run);
        }
        runFlagged = false;
    }

    /** Whether a run of {@code run} repeats at a working reading is longer than the key's habit lets pass. */
    boolean beyondHabit(int run) {
        return run > (long) RUN_RECORD_FACTOR * longestQuiet;
    }

    /** Whether the run just became longer than the key's habit lets pass, at this repeat. */
    boolean justBeyondHabit(int run) {
        return beyondHabit(run) && !beyondHabit(run - 1);
    }

    /** The slot a run at {@code values} is judged by: the one at that reading, else one matching any run; or -1. */
    int slot(double[] values) {
        int any = -1;
        for (int s = 0; s < SLOTS; s++) {
            if (at(s, values)) {
                return s;
            }
            if (any < 0 && Double.isNaN(reading[s * channels])) {
                any = s;
            }
        }
        return any;
    }

    /**
     * Takes in a long run that just ended: {@code run} repeats of {@code values}. Added to its slot (or to a slot that
     * matches any run, which takes the reading), which becomes the first; a new reading replaces the least recently
     * used.
     */
    void record(double[] values, int run) {
        int s = slot(values);
        if (s < 0) {
            s = SLOTS - 1;
            repeats[s] = 0;
            following[s] = 0;
        }
        System.arraycopy(values, 0, reading, s * channels, channels);
        repeats[s] += run;
        following[s] += run - 1;
        for (; s > 0; s--) {
            swap(s, s - 1);
        }
    }

    /** Repeats in the key's runs at slot s's reading. */
    public long repeats(int s) {
        return repeats[s];
    }

    /** Repeats that followed a repeat in the key's runs at slot s's reading. */
    public long following(int s) {
        return following[s];
    }

    /** Slot s's reading of channel c (NaN: the slot matches any run). */
    public double reading(int s, int c) {
        return reading[s * channels + c];
    }

    private boolean at(int s, double[] values) {
        for (int c = 0; c < channels; c++) {
            if (values[c] != reading[s * channels + c]) {
                return false;
            }
        }
        return true;
    }

    private void swap(int a, int b) {
        for (int c = 0; c < channels; c++) {
            double r = reading[a * channels + c];
            reading[a * channels + c] = reading[b * channels + c];
            reading[b * channels + c] = r;
        }
        long r = repeats[a];
        repeats[a] = repeats[b];
        repeats[b] = r;
        long f = following[a];
        following[a] = following[b];
        following[b] = f;
    }

    void copyFrom(IdleReadings other) {
        System.arraycopy(other.reading, 0, reading, 0, reading.length);
        System.arraycopy(other.repeats, 0, repeats, 0, SLOTS);
        System.arraycopy(other.following, 0, following, 0, SLOTS);
        longestQuiet = other.longestQuiet;
        runFlagged = other.runFlagged;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdleReadings i && Arrays.equals(reading, i.reading) && Arrays.equals(repeats, i.repeats)
                && Arrays.equals(following, i.following) && longestQuiet == i.longestQuiet
                && runFlagged == i.runFlagged;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(reading) * 31 + Arrays.hashCode(repeats);
    }
}
