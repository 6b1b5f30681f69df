package dev.vigil.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Detection counts over some anomalies and rows (one kind, one category, a whole corpus, or several seeds
 * pooled): how many anomalies, how many caught and how late, and the false alarms on the rows outside windows.
 *
 * @param anomalies   anomalies counted
 * @param caught      of those, how many were caught
 * @param delays      per caught anomaly, rows from its onset to the first row at or above the threshold
 * @param falseAlarms rising edges through the threshold on counted rows outside every window
 * @param events      counted rows outside every window (non-probationary)
 */
public record DetectionTally(int anomalies, int caught, List<Integer> delays, long falseAlarms, long events) {
    /** Nothing counted. */
    public static final DetectionTally EMPTY = new DetectionTally(0, 0, List.of(), 0, 0);

    /** Copies the delays. */
    public DetectionTally {
        delays = List.copyOf(delays);
    }

    /** The sum of two tallies (e.g. two files, or two seeds). */
    public DetectionTally plus(DetectionTally other) {
        List<Integer> all = new ArrayList<>(delays);
        all.addAll(other.delays);
        return new DetectionTally(anomalies + other.anomalies, caught + other.caught, all,
                falseAlarms + other.falseAlarms, events + other.events);
    }

    /** Share of anomalies caught, in [0, 1]; NaN when there is none. */
    public double caughtShare() {
        return anomalies == 0 ? Double.NaN : (double) caught / anomalies;
    }

    /** Median delay in rows (the mean of the two middle ones for an even count); NaN when nothing was caught. */
    public double medianDelay() {
        if (delays.isEmpty()) {
            return Double.NaN;
        }
        List<Integer> sorted = delays.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    /** False alarms per 10,000 counted rows; NaN when no row was counted. */
    public double falseAlarmsPer10k() {
        return per10k(falseAlarms);
    }

    /**
     * Some of the false alarms ({@code count}, e.g. those one rule opened) per 10,000 of these counted rows; NaN when
     * no row was counted.
     */
    public double per10k(long count) {
        return events == 0 ? Double.NaN : 10_000.0 * count / events;
    }
}
