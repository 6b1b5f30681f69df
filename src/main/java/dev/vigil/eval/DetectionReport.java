package dev.vigil.eval;

import dev.vigil.VigilException;
import dev.vigil.score.AlertReason;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a detector caught on a corpus whose anomalies are known by kind and row ({@link AnomalyCatalog}), read
 * from its per-row scores at one threshold (the alert threshold):
 * <ul>
 *   <li>An anomaly is <b>caught</b> when some row from its onset ({@code start}) to the last row of the labelled
 *       window holding the onset scores at or above the threshold. A crossing earlier in the window (before the
 *       onset) does not count: nothing had happened yet. Its <b>delay</b> is that first row minus the onset.</li>
 *   <li>A <b>false alarm</b> is a rising edge through the threshold (a row at or above it whose previous row is
 *       below) on a non-probationary row (NAB's probation, {@code min(floor(0.15 N), 750)} rows, which also
 *       covers the detector's warm-up) outside every window. One long excursion counts once.
 *       The rate is per 10,000 of those rows.</li>
 *   <li>A <b>settling alarm</b> is such an edge on a probationary row outside every window: while a key settles (its
 *       warm-up, its first model, a signal that starts judging at its 300th reading) no score counts for NAB, but a
 *       user sees the alert. Counted apart ({@link #settling}), per 10,000 probationary rows outside windows, and
 *       listed apart ({@link #settlingRows}).</li>
 * </ul>
 * Per kind, false alarms and rows are those of the files holding an anomaly of that kind; per category
 * (the folder of a file), those of the category's files; the total, those of every file. The false alarms are
 * also counted by what opened the alert on their row ({@link ScoredSeries#openedBy()}), where that is known.
 *
 * @param byKind              per anomaly kind present in the corpus, in the kinds' order
 * @param byCategory          per category folder, in name order
 * @param total               the whole corpus
 * @param caughtByOpener      per kind, its caught anomalies by what opened the alert on the row that caught them, in
 *                            the reasons' order; those whose opener is not known are in none
 * @param outcomes            every anomaly's outcome, file by file in the corpus's order, each file's in its
 *                            catalog's order
 * @param falseAlarmRows      every false alarm, file by file in the corpus's order, each file's in row order
 * @param settling            the whole corpus's settling alarms and the probationary rows outside windows, as a
 *                            tally's false alarms and events (no anomalies)
 * @param settlingRows        every settling alarm, in {@code falseAlarmRows}' order
 */
public record DetectionReport(Map<AnomalyKind, DetectionTally> byKind, Map<String, DetectionTally> byCategory,
                              DetectionTally total, Map<AnomalyKind, Map<AlertReason, Long>> caughtByOpener,
                              List<AnomalyOutcome> outcomes, List<FalseAlarm> falseAlarmRows,
                              DetectionTally settling, List<FalseAlarm> settlingRows) {

    /** Copies the maps. */
    public DetectionReport {
        Map<AnomalyKind, DetectionTally> kinds = new EnumMap<>(AnomalyKind.class);
        kinds.putAll(byKind);
        byKind = Collections.unmodifiableMap(kinds);
        byCategory = Collections.unmodifiableMap(new TreeMap<>(byCategory));
        Map<AnomalyKind, Map<AlertReason, Long>> caught = new EnumMap<>(AnomalyKind.class);
        caughtByOpener.forEach((k, m) -> {
            Map<AlertReason, Long> copy = new EnumMap<>(AlertReason.class);
            copy.putAll(m);
            caught.put(k, Collections.unmodifiableMap(copy));
        });
        caughtByOpener = Collections.unmodifiableMap(caught);
        outcomes = List.copyOf(outcomes);
        falseAlarmRows = List.copyOf(falseAlarmRows);
        settlingRows = List.copyOf(settlingRows);
    }

    /**
     * The total's false alarms by what opened the alert on their row ({@link #falseAlarmRows}), in the reasons' order;
     * those whose opener is not known are in none.
     */
    public Map<AlertReason, Long> falseAlarmsByOpener() {
        return byOpener(falseAlarmRows);
    }

    /**
     * The settling alarms by what opened the alert on their row ({@link #settlingRows}), as {@link
     * #falseAlarmsByOpener} counts the false alarms.
     */
    public Map<AlertReason, Long> settlingByOpener() {
        return byOpener(settlingRows);
    }

    private static Map<AlertReason, Long> byOpener(List<FalseAlarm> alarms) {
        Map<AlertReason, Long> byOpener = new EnumMap<>(AlertReason.class);
        for (FalseAlarm f : alarms) {
            if (f.openedBy() != null) {
                byOpener.merge(f.openedBy(), 1L, Long::sum);
            }
        }
        return Collections.unmodifiableMap(byOpener);
    }

    /** The total's false alarms whose opener is not known (scores read back from a results file). */
    public long falseAlarmsOpenerUnknown() {
        return openerUnknown(falseAlarmRows);
    }

    /** The settling alarms whose opener is not known, as {@link #falseAlarmsOpenerUnknown} counts the false alarms. */
    public long settlingOpenerUnknown() {
        return openerUnknown(settlingRows);
    }

    private static long openerUnknown(List<FalseAlarm> alarms) {
        return alarms.stream().filter(f -> f.openedBy() == null).count();
    }

    /**
     * Counts a scored corpus.
     *
     * @param corpus    the detector's per-row scores, one entry per file
     * @param labels    NAB windows of every file
     * @param anomalies the injected anomalies of every file
     * @param threshold the alert threshold, in (0, 1]
     * @return the report
     * @throws VigilException if a file is missing from the labels or the catalog, or an anomaly's onset lies in
     *     no window
     */
    public static DetectionReport count(List<ScoredSeries> corpus, NabLabels labels, AnomalyCatalog anomalies,
                                        double threshold) {
        Map<AnomalyKind, DetectionTally> byKind = new EnumMap<>(AnomalyKind.class);
        Map<String, DetectionTally> byCategory = new TreeMap<>();
        DetectionTally total = DetectionTally.EMPTY;
        Map<AnomalyKind, Map<AlertReason, Long>> caughtBy = new EnumMap<>(AnomalyKind.class);
        List<AnomalyOutcome> outcomes = new ArrayList<>();
        List<FalseAlarm> falseAlarmRows = new ArrayList<>();
        List<FalseAlarm> settlingRows = new ArrayList<>();
        DetectionTally settling = DetectionTally.EMPTY;
        for (ScoredSeries s : corpus) {
            String path = s.relativePath();
            if (!anomalies.contains(path)) {
                throw new VigilException("no entry for '" + path + "' in the anomalies file");
            }
            List<RowRange> windows = WindowRows.of(s, labels);
            boolean[] inside = WindowRows.insideMask(s.scores().length, windows);
            int probation = CorpusRows.probationLength(s.scores().length);
            FalseAlarms quiet = edges(s, inside, threshold, probation, s.scores().length, falseAlarmRows);
            FalseAlarms early = edges(s, inside, threshold, 0, probation, settlingRows);
            settling = settling.plus(new DetectionTally(0, 0, List.of(), early.count, early.rows));
            DetectionTally fileTally = new DetectionTally(0, 0, List.of(), quiet.count, quiet.rows);
            Set<AnomalyKind> kinds = EnumSet.noneOf(AnomalyKind.class);
            Map<AnomalyKind, DetectionTally> caughtByKind = new EnumMap<>(AnomalyKind.class);
            for (InjectedAnomaly a : anomalies.anomaliesOf(path)) {
                AnomalyOutcome outcome = outcome(s, windows, a, threshold);
                outcomes.add(outcome);
                DetectionTally one = outcome.caught() ? new DetectionTally(1, 1, List.of(outcome.delay()), 0, 0)
                        : new DetectionTally(1, 0, List.of(), 0, 0);
                if (outcome.openedBy() != null) {
                    addCaught(caughtBy, a.kind(), outcome.openedBy(), 1);
                }
                kinds.add(a.kind());
                caughtByKind.merge(a.kind(), one, DetectionTally::plus);
                fileTally = fileTally.plus(one);
            }
            for (AnomalyKind k : kinds) {
                DetectionTally forKind = caughtByKind.get(k).plus(
                        new DetectionTally(0, 0, List.of(), quiet.count, quiet.rows));
                byKind.merge(k, forKind, DetectionTally::plus);
            }
            byCategory.merge(category(path), fileTally, DetectionTally::plus);
            total = total.plus(fileTally);
        }
        return new DetectionReport(byKind, byCategory, total, caughtBy, outcomes, falseAlarmRows, settling,
                settlingRows);
    }

    /**
     * A catalog in which every scored file holds no injected anomaly: for a labelled corpus whose anomalies are not
     * known by kind and row (NAB itself), so that {@link #count} tells its false alarms alone.
     */
    public static AnomalyCatalog withoutCatalog(List<ScoredSeries> corpus) {
        Map<String, List<InjectedAnomaly>> none = new TreeMap<>();
        for (ScoredSeries s : corpus) {
            none.put(s.relativePath(), List.of());
        }
        return AnomalyCatalog.of(none);
    }

    /** Two reports pooled (e.g. the same corpus under two seeds): every count added, the outcomes in turn. */
    public DetectionReport plus(DetectionReport other) {
        Map<AnomalyKind, DetectionTally> kinds = new EnumMap<>(AnomalyKind.class);
        kinds.putAll(byKind);
        other.byKind.forEach((k, t) -> kinds.merge(k, t, DetectionTally::plus));
        Map<String, DetectionTally> categories = new TreeMap<>(byCategory);
        other.byCategory.forEach((c, t) -> categories.merge(c, t, DetectionTally::plus));
        Map<AnomalyKind, Map<AlertReason, Long>> caught = new EnumMap<>(AnomalyKind.class);
        for (Map<AnomalyKind, Map<AlertReason, Long>> side : List.of(caughtByOpener, other.caughtByOpener)) {
            side.forEach((k, m) -> m.forEach((r, n) -> addCaught(caught, k, r, n)));
        }
        List<AnomalyOutcome> both = new ArrayList<>(outcomes);
        both.addAll(other.outcomes);
        List<FalseAlarm> bothFalse = new ArrayList<>(falseAlarmRows);
        bothFalse.addAll(other.falseAlarmRows);
        List<FalseAlarm> bothSettling = new ArrayList<>(settlingRows);
        bothSettling.addAll(other.settlingRows);
        return new DetectionReport(kinds, categories, total.plus(other.total), caught, both, bothFalse,
                settling.plus(other.settling), bothSettling);
    }

    private record FalseAlarms(long count, long rows) {
    }

    /**
     * The rising edges through the threshold on rows {@code from} to {@code to} (exclusive) outside every window
     * ({@code inside} false), and those rows; each edge added, with what opened the alert on its row, to {@code
     * found}. The non-probationary rows give the file's false alarms, the probationary ones its settling alarms.
     */
    private static FalseAlarms edges(ScoredSeries s, boolean[] inside, double threshold, int from, int to,
                                     List<FalseAlarm> found) {
        double[] scores = s.scores();
        long count = 0;
        long rows = 0;
        for (int i = from; i < to; i++) {
            if (inside[i]) {
                continue;
            }
            rows++;
            if (scores[i] >= threshold && (i == 0 || scores[i - 1] < threshold)) {
                count++;
                found.add(new FalseAlarm(s.relativePath(), i, s.timestamps()[i], scores[i], openerAt(s, i)));
            }
        }
        return new FalseAlarms(count, rows);
    }

    /** The anomaly's outcome in {@code s}: its window, first crossing from the onset, opener there and peak. */
    private static AnomalyOutcome outcome(ScoredSeries s, List<RowRange> windows, InjectedAnomaly a,
                                          double threshold) {
        String path = s.relativePath();
        double[] scores = s.scores();
        RowRange window = null;
        for (RowRange w : windows) {
            if (w.contains(a.start())) {
                window = w;
            }
        }
        if (window == null) {
            throw new VigilException(path + ": the " + a.kind().label() + " anomaly at row " + a.start()
                    + " lies in no labelled window of the file");
        }
        int first = -1;
        double peak = 0;
        for (int i = a.start(); i <= window.last() && i < scores.length; i++) {
            if (first < 0 && scores[i] >= threshold) {
                first = i;
            }
            peak = Math.max(peak, scores[i]);
        }
        return new AnomalyOutcome(path, a, window.last(), first, first < 0 ? null : openerAt(s, first), peak);
    }

    /** Adds {@code n} catches of {@code kind} by {@code opener} to {@code caught}. */
    private static void addCaught(Map<AnomalyKind, Map<AlertReason, Long>> caught, AnomalyKind kind,
                                  AlertReason opener, long n) {
        caught.computeIfAbsent(kind, k -> new EnumMap<>(AlertReason.class)).merge(opener, n, Long::sum);
    }

    /** What opened an alert on the row, or null when none did or it is not known. */
    private static AlertReason openerAt(ScoredSeries s, int row) {
        return s.openedBy() == null ? null : s.openedBy()[row];
    }

    private static String category(String relativePath) {
        int slash = relativePath.indexOf('/');
        return slash < 0 ? "" : relativePath.substring(0, slash);
    }

    /** Every kind with at least one anomaly, in the kinds' order (a convenience for printing). */
    public List<AnomalyKind> kinds() {
        return new ArrayList<>(byKind.keySet());
    }
}
