package dev.vigil.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A corpus's NAB scores with one file left out, for each of its files: whether what a change gained on a fold holds
 * without any single file, or comes from one. Several seeds average the training's chance out, but not a file whose
 * crossings a seed-independent signal (a rule, the pattern signal) moves on every seed at once; a change whose gain
 * vanishes with one file left out was fitted to that file. Each score is NAB's: the rest of the corpus, its
 * threshold optimised on the rest.
 *
 * @param file   the file left out, as the corpus names it (e.g. {@code realTweets/Twitter_volume_PFE.csv})
 * @param scores each profile's score of the rest over the runs (one a seed): mean, lowest and highest
 */
public record LeaveOneOut(String file, Map<NabProfile, NabSpread> scores) {
    /** The CSV header of {@link #write}. */
    static final String CSV_HEADER = "file,runs,standard,standard_min,standard_max,low_fp,low_fn";

    /** Checks both are present. */
    public LeaveOneOut {
        Objects.requireNonNull(file, "file");
        scores = Map.copyOf(scores);
    }

    /**
     * One run's NAB scores of a corpus, from one build of its rows: whole, and with each file left out.
     *
     * @param whole   each profile's score of the whole corpus ({@link NabScorer#scoreAll(List, NabLabels)})
     * @param leftOut per file left out, in the corpus's order, each profile's score of the rest; a file without whose
     *                rest no window is left to score (a corpus of one labelled file) is skipped
     */
    public record Scores(Map<NabProfile, NabScore> whole, Map<String, Map<NabProfile, NabScore>> leftOut) {
    }

    /**
     * Scores a corpus whole and with each file left out: the rows are flattened and sorted by score once; each rest
     * is those rows without one file's ({@link CorpusRows#without}).
     *
     * @throws dev.vigil.VigilException as {@link NabScorer#score}
     */
    public static Scores scores(List<ScoredSeries> corpus, NabLabels labels) {
        NabScorer scorer = new NabScorer();
        CorpusRows all = CorpusRows.build(corpus, labels);
        int[] order = all.orderByScoreDescending();
        Map<NabProfile, NabScore> whole = scorer.scoreAll(all, order);
        Map<String, Map<NabProfile, NabScore>> leftOut = new LinkedHashMap<>();
        for (int i = 0; i < corpus.size(); i++) {
            CorpusRows rest = all.without(i);
            if (rest.windowCount > 0) {
                leftOut.put(corpus.get(i).relativePath(), scorer.scoreAll(rest, all.orderWithout(order, i)));
            }
        }
        return new Scores(whole, leftOut);
    }

    /**
     * The runs pooled (one a seed, each from {@link #scores}): per file left out in every run, the spread of each
     * profile's score, in the first run's order.
     */
    public static List<LeaveOneOut> over(List<Map<String, Map<NabProfile, NabScore>>> runs) {
        List<LeaveOneOut> out = new ArrayList<>();
        if (runs.isEmpty()) {
            return out;
        }
        for (String file : runs.get(0).keySet()) {
            List<Map<NabProfile, NabScore>> perRun = new ArrayList<>();
            for (Map<String, Map<NabProfile, NabScore>> run : runs) {
                if (run.containsKey(file)) {
                    perRun.add(run.get(file));
                }
            }
            if (perRun.size() == runs.size()) {
                out.add(new LeaveOneOut(file, NabSpread.of(perRun)));
            }
        }
        return out;
    }

    /** The mean standard score of the rest. */
    public double standard() {
        return scores.get(NabProfile.STANDARD).mean();
    }

    /** Writes one line a file left out ({@link #CSV_HEADER}), scores to two decimals. */
    public static void write(Path file, List<LeaveOneOut> rows) {
        CsvLines.write(file, CSV_HEADER, rows, LeaveOneOut::csvLine);
    }

    private String csvLine() {
        NabSpread standard = scores.get(NabProfile.STANDARD);
        return String.format(Locale.ROOT, "%s,%d,%.2f,%.2f,%.2f,%.2f,%.2f", CsvLines.path(file), standard.runs(),
                standard.mean(), standard.min(), standard.max(), scores.get(NabProfile.REWARD_LOW_FP).mean(),
                scores.get(NabProfile.REWARD_LOW_FN).mean());
    }
}
