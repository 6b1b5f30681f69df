package dev.vigil.app;

import dev.vigil.eval.AnomalyKind;
import dev.vigil.eval.DetectionReport;
import dev.vigil.eval.DetectionTally;
import dev.vigil.eval.LeaveOneOut;
import dev.vigil.eval.NabProfile;
import dev.vigil.eval.NabScore;
import dev.vigil.eval.NabSpread;
import dev.vigil.eval.PeerFile;
import dev.vigil.eval.WindowOutcome;
import dev.vigil.score.AlertReason;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The text {@code vigil evaluate} prints: per-profile NAB lines, the per-kind detection table, the per-seed table,
 * the range of the scores with one file left out, and the machine-readable summary lines ({@code detection ...},
 * {@code nab ...}). Every line a script may parse is space-separated {@code key=value} pairs after a first word.
 */
final class EvaluationPrinter {
    private static final String ROW = "%-18s %9s %7s %6s %13s %21s%n";
    private static final String OPENER_ROW = "%-21s %12s %21s%n";
    /** Two files' shares of a raw score closer than this are level. */
    private static final double LEVEL = 0.005;

    private EvaluationPrinter() {
    }

    /** The short name of a profile in summary lines. */
    static String shortName(NabProfile p) {
        return switch (p) {
            case STANDARD -> "standard";
            case REWARD_LOW_FP -> "low_fp";
            case REWARD_LOW_FN -> "low_fn";
        };
    }

    /** One line per profile: threshold, raw score, counts, normalised score. */
    static void profiles(PrintWriter o, String prefix, Map<NabProfile, NabScore> scores) {
        for (NabScore s : scores.values()) {
            o.printf(Locale.ROOT, "%s%-20s threshold=%.6f raw=%.3f tp=%d fn=%d fp=%d normalised=%.1f%n", prefix,
                    s.profile().nabName(), s.threshold(), s.rawScore(), s.truePositives(), s.falseNegatives(),
                    s.falsePositives(), s.normalisedScore());
        }
    }

    /** {@code nab standard=NN.N low_fp=NN.N low_fn=NN.N}. */
    static String nabLine(Map<NabProfile, NabScore> scores) {
        StringBuilder b = new StringBuilder("nab");
        scores.forEach((p, s) -> b.append(String.format(Locale.ROOT, " %s=%.1f", shortName(p), s.normalisedScore())));
        return b.toString();
    }

    /**
     * {@code nab seeds=N standard=MEAN standard_min=MIN standard_max=MAX low_fp=... low_fn=...}: the mean sits
     * under the same key as a single run's score.
     */
    static String spreadLine(Map<NabProfile, NabSpread> spread) {
        StringBuilder b = new StringBuilder("nab seeds=" + spread.values().iterator().next().runs());
        spread.forEach((p, s) -> b.append(String.format(Locale.ROOT, " %1$s=%2$.1f %1$s_min=%3$.1f %1$s_max=%4$.1f",
                shortName(p), s.mean(), s.min(), s.max())));
        return b.toString();
    }

    /**
     * {@code windows QUALIFIER scored=N reached=N first_half=N at_one=N reward=R}: of the labelled windows, those a
     * score reached at NAB's threshold (the standard profile's; the qualifier says which, {@code threshold=T}, or
     * {@code seeds=N} for several runs' windows pooled), those reached on or before their centre row (the labelled
     * anomaly), those first reached at a score of 1 (a rule), and the mean of their rewards under the standard
     * profile (-1 a missed window).
     */
    static String windowsLine(List<WindowOutcome> windows, String qualifier) {
        int reached = 0;
        int firstHalf = 0;
        int atOne = 0;
        double reward = 0;
        for (WindowOutcome w : windows) {
            reached += w.reached() ? 1 : 0;
            firstHalf += w.firstHalf() ? 1 : 0;
            atOne += w.reached() && w.score() >= 1.0 ? 1 : 0;
            reward += w.reward();
        }
        return String.format(Locale.ROOT, "windows %s scored=%d reached=%d first_half=%d at_one=%d reward=%s",
                qualifier, windows.size(), reached, firstHalf, atOne,
                number(windows.isEmpty() ? Double.NaN : reward / windows.size(), "%.3f"));
    }

    /**
     * {@code leave one file out seeds=N: standard from MIN (without FILE) to MAX (without FILE)}: the lowest and the
     * highest mean standard score of a corpus with one file left out ({@code rows} not empty).
     */
    static String leaveOneOutLine(List<LeaveOneOut> rows, String qualifier) {
        LeaveOneOut low = Collections.min(rows, Comparator.comparingDouble(LeaveOneOut::standard));
        LeaveOneOut high = Collections.max(rows, Comparator.comparingDouble(LeaveOneOut::standard));
        return String.format(Locale.ROOT, "leave one file out %s: standard from %.1f (without %s) to %.1f (without %s)",
                qualifier, low.standard(), low.file(), high.standard(), high.file());
    }

    /**
     * {@code versus PEER: ahead on N files, behind on M, level on K; furthest behind FILE (-D), furthest ahead FILE
     * (+D)}: the files where Vigil's share of the standard score is above the peer's, below it, or within 0.005 of it
     * ({@code rows} not empty).
     */
    static String peerLine(String peer, List<PeerFile> rows) {
        int ahead = 0;
        int behind = 0;
        for (PeerFile r : rows) {
            ahead += r.difference() >= LEVEL ? 1 : 0;
            behind += r.difference() <= -LEVEL ? 1 : 0;
        }
        PeerFile low = Collections.min(rows, Comparator.comparingDouble(PeerFile::difference));
        PeerFile high = Collections.max(rows, Comparator.comparingDouble(PeerFile::difference));
        return String.format(Locale.ROOT, "versus %s: ahead on %d files, behind on %d, level on %d; furthest behind %s"
                        + " (%+.2f), furthest ahead %s (%+.2f)", peer, ahead, behind, rows.size() - ahead - behind,
                low.file(), low.difference(), high.file(), high.difference());
    }

    /** The per-seed table: one row per seed, then mean, min and max. */
    static void seedTable(PrintWriter o, List<Long> seeds, List<Map<NabProfile, NabScore>> runs,
                          Map<NabProfile, NabSpread> spread) {
        o.printf("%-6s %9s %9s %9s%n", "seed", "standard", "low_fp", "low_fn");
        for (int i = 0; i < seeds.size(); i++) {
            Map<NabProfile, NabScore> r = runs.get(i);
            o.printf(Locale.ROOT, "%-6d %9.1f %9.1f %9.1f%n", seeds.get(i),
                    r.get(NabProfile.STANDARD).normalisedScore(), r.get(NabProfile.REWARD_LOW_FP).normalisedScore(),
                    r.get(NabProfile.REWARD_LOW_FN).normalisedScore());
        }
        o.printf(Locale.ROOT, "%-6s %9.1f %9.1f %9.1f%n", "mean", spread.get(NabProfile.STANDARD).mean(),
                spread.get(NabProfile.REWARD_LOW_FP).mean(), spread.get(NabProfile.REWARD_LOW_FN).mean());
        o.printf(Locale.ROOT, "%-6s %9.1f %9.1f %9.1f%n", "min", spread.get(NabProfile.STANDARD).min(),
                spread.get(NabProfile.REWARD_LOW_FP).min(), spread.get(NabProfile.REWARD_LOW_FN).min());
        o.printf(Locale.ROOT, "%-6s %9.1f %9.1f %9.1f%n", "max", spread.get(NabProfile.STANDARD).max(),
                spread.get(NabProfile.REWARD_LOW_FP).max(), spread.get(NabProfile.REWARD_LOW_FN).max());
    }

    /**
     * What was caught and the false alarms ({@link #detectionTable} and the {@code detection} line) when the anomalies
     * are known by kind and row ({@code catalogued}), the false alarms alone ({@link #falseAlarmTable}) otherwise; in
     * both, the settling alarms ({@link #settlingLine}) and what opened them ({@link #settlingOpenersLine}) after the
     * table.
     */
    static void detection(PrintWriter o, DetectionReport report, boolean catalogued, double threshold, int seeds) {
        if (catalogued) {
            detectionTable(o, report, threshold, seeds);
        } else {
            falseAlarmTable(o, report, threshold, seeds);
        }
        o.println(settlingLine(report.settling()));
        o.println(settlingOpenersLine(report));
        if (catalogued) {
            o.println(detectionLine(report.total()));
        }
    }

    /**
     * The per-kind table, the total, each kind's catches by what opened their alert ({@code caught_by}), the
     * per-category table, and the false alarms by what opened their alert.
     */
    private static void detectionTable(PrintWriter o, DetectionReport report, double threshold, int seeds) {
        o.printf(Locale.ROOT, "detection at scoring.alertThreshold=%s%s (caught: a score >= threshold from the"
                        + " onset to the window's end; delay in rows from the onset; false alarms: rising edges"
                        + " outside windows per 10,000 non-probationary rows outside windows)%n", threshold,
                seeds > 1 ? ", " + seeds + " seeds pooled" : "");
        o.printf(ROW, "kind", "anomalies", "caught", "share", "median_delay", "false_alarms_per_10k");
        for (Map.Entry<AnomalyKind, DetectionTally> e : report.byKind().entrySet()) {
            row(o, e.getKey().label(), e.getValue());
        }
        row(o, "all", report.total());
        caughtByTable(o, report);
        o.printf(ROW, "category", "anomalies", "caught", "share", "median_delay", "false_alarms_per_10k");
        report.byCategory().forEach((c, t) -> row(o, c, t));
        openerTable(o, report);
    }

    /**
     * For a labelled corpus whose anomalies are not known by kind (NAB itself): the false alarms at the alert threshold
     * per category and by what opened their alert. NAB's own scoring (the profiles) picks its threshold per corpus.
     */
    private static void falseAlarmTable(PrintWriter o, DetectionReport report, double threshold, int seeds) {
        o.printf(Locale.ROOT, "false alarms at scoring.alertThreshold=%s%s (rising edges outside windows per 10,000"
                + " non-probationary rows outside windows)%n", threshold,
                seeds > 1 ? ", " + seeds + " seeds pooled" : "");
        o.printf(OPENER_ROW, "category", "false_alarms", "false_alarms_per_10k");
        report.byCategory().forEach((c, t) -> falseAlarmRow(o, c, t.falseAlarms(), t));
        falseAlarmRow(o, "all", report.total().falseAlarms(), report.total());
        openerTable(o, report);
    }

    /** The false alarms by what opened their alert, when some opener is known. */
    private static void openerTable(PrintWriter o, DetectionReport report) {
        if (report.total().falseAlarms() > report.falseAlarmsOpenerUnknown()) {
            o.printf(OPENER_ROW, "false_alarm_opened_by", "false_alarms", "false_alarms_per_10k");
            report.falseAlarmsByOpener().forEach((r, n) -> falseAlarmRow(o, r.label(), n, report.total()));
            if (report.falseAlarmsOpenerUnknown() > 0) {
                falseAlarmRow(o, "not known", report.falseAlarmsOpenerUnknown(), report.total());
            }
        }
    }

    /**
     * Per kind, how many of its caught anomalies each opener caught (the rule or signal that opened the alert on the
     * row that caught it), with a {@code not_known} column when some opener is not known.
     */
    private static void caughtByTable(PrintWriter o, DetectionReport report) {
        if (report.caughtByOpener().isEmpty()) {
            return;
        }
        Set<AlertReason> openers = EnumSet.complementOf(EnumSet.of(AlertReason.CALM));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-18s", "caught_by"));
        for (AlertReason r : openers) {
            header.append(String.format(Locale.ROOT, " %" + columnWidth(r) + "s", r.label()));
        }
        o.println(header.append(" not_known"));
        for (Map.Entry<AnomalyKind, DetectionTally> e : report.byKind().entrySet()) {
            Map<AlertReason, Long> by = report.caughtByOpener().getOrDefault(e.getKey(), Map.of());
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-18s", e.getKey().label()));
            long known = 0;
            for (AlertReason r : openers) {
                long n = by.getOrDefault(r, 0L);
                known += n;
                line.append(String.format(Locale.ROOT, " %" + columnWidth(r) + "d", n));
            }
            o.println(line.append(String.format(Locale.ROOT, " %9d", e.getValue().caught() - known)));
        }
    }

    /** The caught_by column of an opener: as wide as its label, at least five. */
    private static int columnWidth(AlertReason opener) {
        return Math.max(5, opener.label().length());
    }

    /** A row of false alarms: {@code name}, how many, and their rate among the rows {@code of} counted. */
    private static void falseAlarmRow(PrintWriter o, String name, long falseAlarms, DetectionTally of) {
        o.printf(OPENER_ROW, name, falseAlarms, number(of.per10k(falseAlarms), "%.2f"));
    }

    /**
     * {@code settling false_alarms=N rows=N per_10k=F}: the alerts opened in the probationary rows outside windows,
     * which the detection line leaves out (NaN as {@code -}).
     */
    static String settlingLine(DetectionTally t) {
        return String.format(Locale.ROOT, "settling false_alarms=%d rows=%d per_10k=%s", t.falseAlarms(), t.events(),
                number(t.falseAlarmsPer10k(), "%.2f"));
    }

    /**
     * {@code settling_opened_by REASON=N ...}: the settling alarms by what opened them, in the reasons' order, those
     * whose opener is not known as {@code not_known} ({@code none} when there are none).
     */
    static String settlingOpenersLine(DetectionReport report) {
        StringBuilder line = new StringBuilder("settling_opened_by");
        report.settlingByOpener().forEach((r, n) -> line.append(' ').append(r.label()).append('=').append(n));
        if (report.settlingOpenerUnknown() > 0) {
            line.append(" not_known=").append(report.settlingOpenerUnknown());
        }
        return report.settlingRows().isEmpty() ? line.append(" none").toString() : line.toString();
    }

    /** {@code detection anomalies=N caught=N share=S median_delay=D false_alarms_per_10k=F} (NaN as {@code -}). */
    static String detectionLine(DetectionTally t) {
        return String.format(Locale.ROOT, "detection anomalies=%d caught=%d share=%s median_delay=%s"
                + " false_alarms_per_10k=%s", t.anomalies(), t.caught(), number(t.caughtShare(), "%.2f"),
                number(t.medianDelay(), "%.1f"), number(t.falseAlarmsPer10k(), "%.2f"));
    }

    private static void row(PrintWriter o, String name, DetectionTally t) {
        o.printf(ROW, name, t.anomalies(), t.caught(), number(t.caughtShare(), "%.2f"), number(t.medianDelay(), "%.1f"),
                number(t.falseAlarmsPer10k(), "%.2f"));
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }
}
