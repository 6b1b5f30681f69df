package dev.vigil.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * One file's share of a corpus's NAB score at one threshold: its windows' rewards (the earliest detection of each)
 * and missed-window costs, and its false positives' costs. The shares of a corpus's files add up to the corpus's raw
 * score at that threshold, so where two detectors (or two settings) differ can be read file by file, each at its own
 * corpus-wide threshold.
 *
 * @param file           the file, as the corpus names it (e.g. {@code realKnownCause/nyc_taxi.csv})
 * @param windows        its windows with a non-probationary row (the ones scored)
 * @param caught         those with at least one detected row
 * @param falsePositives its detected non-probationary rows outside every window
 * @param raw            its share of the corpus's raw score
 */
public record FileScore(String file, int windows, int caught, int falsePositives, double raw) {
    /**
     * Each file's share of the corpus's score at {@code threshold}, in the corpus's order.
     *
     * @param corpus    one entry per data file, each file at most once
     * @param labels    windows per file
     * @param profile   the cost profile
     * @param threshold rows with anomaly score {@code >= threshold} are detections
     * @throws dev.vigil.VigilException as {@link CorpusRows#build}
     */
    public static List<FileScore> at(List<ScoredSeries> corpus, NabLabels labels, NabProfile profile,
                                     double threshold) {
        return at(CorpusRows.build(corpus, labels), corpus, profile, threshold);
    }

    /** As {@link #at(List, NabLabels, NabProfile, double)}, from the corpus's rows already built. */
    static List<FileScore> at(CorpusRows rows, List<ScoredSeries> corpus, NabProfile profile, double threshold) {
        List<FileScore> out = new ArrayList<>(corpus.size());
        for (int f = 0; f < corpus.size(); f++) {
            out.add(of(rows, f, corpus.get(f).relativePath(), profile, threshold));
        }
        return out;
    }

    private static FileScore of(CorpusRows rows, int f, String file, NabProfile profile, double threshold) {
        int firstWindow = rows.firstWindow(f);
        int windows = rows.firstWindow(f + 1) - firstWindow;
        double[] best = new double[windows];
        boolean[] detected = new boolean[windows];
        double raw = 0.0;
        int falsePositives = 0;
        for (int r = rows.firstRow(f); r < rows.firstRow(f + 1); r++) {
            if (rows.score[r] < threshold) {
                continue;
            }
            double weight = rows.weight(r, profile);
            if (rows.window[r] < 0) {
                raw += weight;
                falsePositives++;
                continue;
            }
            int w = rows.window[r] - firstWindow;
            if (!detected[w] || weight > best[w]) {
                detected[w] = true;
                best[w] = weight;
            }
        }
        int caught = 0;
        for (int w = 0; w < windows; w++) {
            raw += detected[w] ? best[w] : -profile.fnWeight();
            caught += detected[w] ? 1 : 0;
        }
        return new FileScore(file, windows, caught, falsePositives, raw);
    }
}
