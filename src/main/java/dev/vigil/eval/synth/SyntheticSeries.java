package dev.vigil.eval.synth;

import dev.vigil.eval.InjectedAnomaly;

import java.util.List;

/**
 * One series of a synthetic corpus, as written: NAB's timestamp and value texts, its anomalies and their windows.
 *
 * @param relativePath e.g. {@code daily/series_007.csv}
 * @param timestamps   {@code YYYY-MM-DD HH:MM:SS}, one per row
 * @param values       readings as written, one per row
 * @param anomalies    the injected anomalies, in row order
 * @param windows      one NAB window per anomaly, centred on its onset, in row order
 * @param base         what normal looks like (the category folder)
 * @param stepSeconds  seconds between rows
 * @param shape        the daily pattern's shape ({@code none}, {@code sine}, {@code peaked})
 * @param regimes      the regime changes that are not anomalies
 */
public record SyntheticSeries(String relativePath, String[] timestamps, String[] values,
                              List<InjectedAnomaly> anomalies, List<Window> windows, String base, int stepSeconds,
                              String shape, List<Regime> regimes) {
    /**
     * Inclusive rows.
     *
     * @param first first row
     * @param last  last row
     */
    public record Window(int first, int last) {
    }

    /**
     * A change of regime that is not an anomaly (no window): a gradual move to a new normal.
     *
     * @param change what changes: {@code level}, {@code amplitude} or {@code noise}
     * @param first  first row of the transition
     * @param last   last row of the transition
     * @param size   a factor (amplitude, noise) or a share of the series' spread (level)
     */
    public record Regime(String change, int first, int last, double size) {
    }

    /** Number of rows. */
    public int size() {
        return timestamps.length;
    }
}
