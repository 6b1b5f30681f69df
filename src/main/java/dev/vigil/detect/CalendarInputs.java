package dev.vigil.detect;

import dev.vigil.BadConfigException;
import dev.vigil.lstm.LstmConfig;
import java.util.Locale;

/**
 * The calendar context a model may read beside a key's readings: the event time's phase in the day and in the
 * week, each as a (sin, cos) pair, so that a network whose truncated BPTT window is far shorter than a day
 * still learns a daily or weekly pattern, and an in-range break of it becomes a prediction error. Times are
 * local times of the detector's calendar ({@link dev.vigil.score.CalendarClock#local}, the zone of
 * {@code scoring.timeZone}, UTC by default), so that a daylight-saving change does not move a local habit's phase.
 * The day's phase may come with its multiples ({@link LstmConfig#dayHarmonics()} h): a job that runs every six
 * hours is one sharp peak of the fourth, which a network reads far more easily than four narrow arcs of the first.
 *
 * <pre>
 *   day phase  φd = 2π · (t mod 86,400,000 ms) / 86,400,000          inputs sin jφd, cos jφd for j = 1..h
 *   week phase φw = 2π · ((t + 3 days) mod 7 days) / 7 days (Monday 0) inputs sin φw, cos φw
 * </pre>
 *
 * A model only uses the cycles its training window covers at least twice (48 distinct hours for the day, 14
 * distinct days for the week), so a fast sensor whose window spans minutes never sees an input that stays
 * constant in training and moves afterwards. Stateless; thread-safe.
 */
public enum CalendarInputs {
    /** No calendar inputs. */
    NONE(0),
    /** Phase in the day: 2 inputs a harmonic. */
    DAY(2),
    /** Phase in the day and in the week: 2 inputs a harmonic of the day, and 2. */
    WEEK(4);

    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;
    private static final long WEEK_MS = 7 * DAY_MS;
    /** 1970-01-01 was a Thursday: shifting by 3 days puts Monday at phase 0. */
    private static final long WEEK_SHIFT_MS = 3 * DAY_MS;
    /** Distinct hours a window must cover for the daily inputs to be learnt: two days. */
    static final int MIN_HOURS_FOR_DAY = 48;
    /** Distinct days a window must cover for the weekly inputs to be learnt: two weeks. */
    static final int MIN_DAYS_FOR_WEEK = 14;

    private final int size;

    CalendarInputs(int size) {
        this.size = size;
    }

    /**
     * Context inputs this setting gives a model with {@code dayHarmonics} harmonics of the day: 0, 2h or 2h + 2 (with
     * the day's phase alone 0, 2 or 4).
     */
    public int size(int dayHarmonics) {
        return this == NONE ? 0 : size + 2 * (dayHarmonics - 1);
    }

    /** The setting's name in configuration: {@code none}, {@code day} or {@code week}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The setting named {@code text} ({@code none}, {@code day}, {@code week}). */
    public static CalendarInputs parse(String key, String text) {
        for (CalendarInputs c : values()) {
            if (c.configName().equals(text.trim())) {
                return c;
            }
        }
        throw new BadConfigException(key + " must be one of none, day, week, got '" + text + "'");
    }

    /** The setting whose {@link #size(int)} with the shape's harmonics is the shape's {@code contextSize}. */
    public static CalendarInputs of(LstmConfig shape) {
        return ofSize(shape.contextSize(), shape.dayHarmonics());
    }

    /** The setting whose {@link #size(int)} with {@code dayHarmonics} is {@code contextSize}. */
    public static CalendarInputs ofSize(int contextSize, int dayHarmonics) {
        for (CalendarInputs c : values()) {
            if (c.size(dayHarmonics) == contextSize) {
                return c;
            }
        }
        throw new BadConfigException("a model's context inputs must be 0, " + DAY.size(dayHarmonics) + " or "
                + WEEK.size(dayHarmonics) + " calendar inputs with " + dayHarmonics + " harmonic(s) of the day, got "
                + contextSize);
    }

    /**
     * Writes the first {@code k} calendar inputs of local time {@code localMillis} ({@link
     * dev.vigil.score.CalendarClock#local}) into {@code out[offset..offset+k)}.
     *
     * @param k            0, 2h (day) or 2h + 2 (day and week)
     * @param dayHarmonics h, the day's harmonics the inputs give ({@link LstmConfig#dayHarmonics()})
     */
    public static void write(long localMillis, int k, int dayHarmonics, double[] out, int offset) {
        if (k == 0) {
            return;
        }
        double day = 2 * Math.PI * Math.floorMod(localMillis, DAY_MS) / DAY_MS;
        for (int j = 1; j <= dayHarmonics; j++) {
            out[offset + 2 * j - 2] = Math.sin(j * day);
            out[offset + 2 * j - 1] = Math.cos(j * day);
        }
        if (k == WEEK.size(dayHarmonics)) {
            double week = 2 * Math.PI * Math.floorMod(localMillis + WEEK_SHIFT_MS, WEEK_MS) / WEEK_MS;
            out[offset + k - 2] = Math.sin(week);
            out[offset + k - 1] = Math.cos(week);
        }
    }

    /** Days a window must span for {@link #harmonicsFor} to judge its profile: fewer leave a day's wander in it. */
    static final int MIN_DAYS_FOR_HARMONICS = 4;
    /** Bins of the day the daily profile of {@link #harmonicsFor} is taken over: half-hours. */
    static final int PROFILE_BINS = 48;
    /**
     * Share of a channel's variance the daily profile's harmonics 2 and up must explain, beside outweighing the first,
     * for a window to read them: batch jobs' windows 0.18-0.26, a wandering server metric's at most 0.09 (a week's
     * wander leaves a profile too), a business day's 0.18-0.23 with its first harmonic twice as strong.
     */
    static final double HARMONICS_SHARE = 0.15;

    /**
     * The day's harmonics a model of this window reads, 1 or {@code most}: {@code most} when the window's daily
     * profile (each channel's mean reading in each half-hour of the day less its mean) holds more of its power in
     * the harmonics 2 to {@code most} than in the first, and they explain at least {@value #HARMONICS_SHARE} of the
     * readings' variance: the readings follow a schedule sharper than one cycle a day, such as a job that runs every
     * six hours or a nightly backup. A daily cycle, office hours or a week's wander give the first harmonic alone; a
     * window of fewer than {@value #MIN_DAYS_FOR_HARMONICS} days, in which a day's wander still shapes the profile,
     * too.
     *
     * @param localTimes the readings' local times ({@link dev.vigil.score.CalendarClock#local})
     */
    public static int harmonicsFor(double[][] readings, long[] localTimes, int most) {
        if (most <= 1 || readings.length == 0
                || localTimes[localTimes.length - 1] - localTimes[0] < MIN_DAYS_FOR_HARMONICS * DAY_MS) {
            return 1;
        }
        int d = readings[0].length;
        double first = 0;
        double higher = 0;
        for (int c = 0; c < d; c++) {
            double mean = 0;
            for (double[] reading : readings) {
                mean += reading[c] / readings.length;
            }
            double[] sum = new double[PROFILE_BINS];
            int[] count = new int[PROFILE_BINS];
            double variance = 0;
            for (int t = 0; t < readings.length; t++) {
                int b = (int) (Math.floorMod(localTimes[t], DAY_MS) / (DAY_MS / PROFILE_BINS));
                double x = readings[t][c] - mean;
                sum[b] += x;
                count[b]++;
                variance += x * x / readings.length;
            }
            if (!(variance > 0)) {
                continue;
            }
            double[] profile = new double[PROFILE_BINS];
            for (int b = 0; b < PROFILE_BINS; b++) {
                if (count[b] == 0) {
                    return 1;
                }
                profile[b] = sum[b] / count[b];
            }
            for (int k = 1; k <= most; k++) {
                double re = 0;
                double im = 0;
                for (int b = 0; b < PROFILE_BINS; b++) {
                    double angle = 2 * Math.PI * k * b / PROFILE_BINS;
                    re += profile[b] * Math.cos(angle);
                    im += profile[b] * Math.sin(angle);
                }
                double power = 2 * (re * re + im * im) / ((double) PROFILE_BINS * PROFILE_BINS) / variance;
                if (k == 1) {
                    first += power;
                } else {
                    higher += power;
                }
            }
        }
        return higher > first && higher / d > HARMONICS_SHARE ? most : 1;
    }

    /**
     * The calendar inputs, up to this setting's, that a window with these event times covers at least twice:
     * what a model trained on it uses.
     */
    public CalendarInputs learnableFrom(long[] timestamps) {
        if (this == NONE || timestamps.length == 0) {
            return NONE;
        }
        long[] hours = new long[timestamps.length];
        for (int i = 0; i < timestamps.length; i++) {
            hours[i] = Math.floorDiv(timestamps[i], HOUR_MS);
        }
        java.util.Arrays.sort(hours);
        int distinctHours = 0;
        int distinctDays = 0;
        for (int i = 0; i < hours.length; i++) {
            if (i == 0 || hours[i] != hours[i - 1]) {
                distinctHours++;
            }
            if (i == 0 || Math.floorDiv(hours[i], 24) != Math.floorDiv(hours[i - 1], 24)) {
                distinctDays++;
            }
        }
        if (this == WEEK && distinctDays >= MIN_DAYS_FOR_WEEK) {
            return WEEK;
        }
        return distinctHours >= MIN_HOURS_FOR_DAY ? DAY : NONE;
    }

    /**
     * Rows of {@code readings} followed by the first {@code k} calendar inputs of the matching local time, with
     * {@code dayHarmonics} harmonics of the day ({@link #write}): a model's training series.
     */
    public static double[][] rows(double[][] readings, long[] timestamps, int k, int dayHarmonics) {
        if (readings.length != timestamps.length) {
            throw new BadConfigException("readings and timestamps differ in length: " + readings.length + " and "
                    + timestamps.length);
        }
        double[][] rows = new double[readings.length][];
        for (int t = 0; t < readings.length; t++) {
            int d = readings[t].length;
            rows[t] = java.util.Arrays.copyOf(readings[t], d + k);
            write(timestamps[t], k, dayHarmonics, rows[t], d);
        }
        return rows;
    }
}
