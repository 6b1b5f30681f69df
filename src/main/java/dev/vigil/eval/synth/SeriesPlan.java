package dev.vigil.eval.synth;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Everything about one synthetic series except its random draws: rows, timing, what normal looks like, and
 * the anomalies and regime changes planned in it. {@link SeriesRenderer} turns it into values.
 *
 * @param index         the series' number in the corpus (its file is {@code <base>/series_<index>.csv})
 * @param base          what normal looks like
 * @param shape         the daily pattern's shape
 * @param stepSeconds   seconds between rows (60, 300, 600 or 3600)
 * @param rows          rows in the file
 * @param start         the first row's timestamp
 * @param level         the level (for counts: the mean count per step)
 * @param amplitude     the daily pattern's amplitude, in the series' units (0 without a pattern)
 * @param phase         where in the day the pattern starts, in days
 * @param weekendFactor the pattern's amplitude on Saturdays and Sundays ({@link #weekend}), as a share of a weekday's
 * @param noise         the noise's standard deviation, in the series' units (counts: 0, their noise is the draw)
 * @param ar            the noise's lag-1 autocorrelation, in [0, 1)
 * @param trend         the level's change from the first row to the last, in the series' units
 * @param quantum       readings are rounded to a multiple of this; 0 = not rounded (counts are integers)
 * @param dispersion    counts: the negative binomial's dispersion (smaller = burstier); 0 for other bases
 * @param burstRate     counts: chance per row that a (normal) burst starts
 * @param burstDecay    counts: rows for a burst to fall to 1/e of its height
 * @param anomalies     the anomalies, in row order
 * @param regimes       the regime changes (not anomalies)
 * @param seed          the seed of the series' random draws
 */
record SeriesPlan(int index, SeriesBase base, DailyShape shape, int stepSeconds, int rows, LocalDateTime start,
                  double level, double amplitude, double phase, double weekendFactor, double noise, double ar,
                  double trend, double quantum, double dispersion, double burstRate, double burstDecay,
                  List<AnomalySpec> anomalies, List<RegimeSpec> regimes, long seed) {
    /** NAB's data timestamp form. */
    static final DateTimeFormatter DATA_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The file's path in the corpus, e.g. {@code daily/series_007.csv}. */
    String relativePath() {
        return String.format("%s/series_%03d.csv", base.folder(), index);
    }

    /** Rows per day at this step. */
    int rowsPerDay() {
        return 86_400 / stepSeconds;
    }

    /** The timestamp of row i. */
    LocalDateTime time(int i) {
        return start.plusSeconds((long) i * stepSeconds);
    }

    /** Days from the first row's midnight to row i (not wrapped). */
    double days(int i) {
        return (start.toLocalTime().toSecondOfDay() + (double) i * stepSeconds) / 86_400.0;
    }

    /**
     * Whether row i's day of the pattern is a Saturday's or a Sunday's: the calendar day its middle falls on (a
     * {@link DailyShape#PEAKED} day's peak). A day of the pattern runs from one quiet point of the shape to the next (a
     * peaked day's flat night, a sine's rising zero), so the week turns where the pattern is quiet, as a business's
     * weekend begins in its own night and not in its busy hours, whatever the hour its peak falls at.
     */
    boolean weekend(int i) {
        double middle = Math.floor(patternPosition(i)) + 0.5 + phase;
        DayOfWeek d = start.toLocalDate().plusDays((long) Math.floor(middle)).getDayOfWeek();
        return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
    }

    /** The daily pattern's factor at row i: 1 on weekdays, {@link #weekendFactor} at weekends. */
    double weekFactor(int i) {
        return weekend(i) ? weekendFactor : 1.0;
    }

    /** The same series with these anomalies and regime changes. */
    SeriesPlan with(List<AnomalySpec> newAnomalies, List<RegimeSpec> newRegimes) {
        return new SeriesPlan(index, base, shape, stepSeconds, rows, start, level, amplitude, phase, weekendFactor,
                noise, ar, trend, quantum, dispersion, burstRate, burstDecay, List.copyOf(newAnomalies),
                List.copyOf(newRegimes), seed);
    }

    /** Position in the daily pattern at row i, in days (before any anomaly bends it). */
    double patternPosition(int i) {
        return days(i) - phase;
    }
}
