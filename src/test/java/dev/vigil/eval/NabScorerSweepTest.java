package dev.vigil.eval;

import static dev.vigil.eval.SyntheticNab.series;
import static dev.vigil.eval.SyntheticNab.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.VigilException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The fast threshold sweep against brute force, and the scorer's input checks. */
class NabScorerSweepTest {
    private static final double EPS = 1e-9;
    private static final long SEED = 20240611L;
    /** Scores are drawn from this many levels so that many rows tie. */
    private static final int SCORE_LEVELS = 25;

    private final NabScorer scorer = new NabScorer();

    @Test
    void shouldChooseSameThresholdAsBruteForceOverEveryCandidate() {
        Random rnd = new Random(SEED);
        Map<String, List<NabWindow>> windows = new LinkedHashMap<>();
        List<ScoredSeries> corpus = new ArrayList<>();
        for (int f = 0; f < 6; f++) {
            String path = "cat/f" + f + ".csv";
            int rows = 200 + rnd.nextInt(300);
            List<NabWindow> fileWindows = new ArrayList<>();
            for (int start = rows / 4 + rnd.nextInt(20); start + 30 < rows; start += 60 + rnd.nextInt(80)) {
                fileWindows.add(window(start, start + 5 + rnd.nextInt(20)));
            }
            windows.put(path, fileWindows);
            double[] scores = new double[rows];
            for (int i = 0; i < rows; i++) {
                scores[i] = rnd.nextInt(SCORE_LEVELS + 1) / (double) SCORE_LEVELS;
            }
            corpus.add(new ScoredSeries(path, SyntheticNab.timestamps(rows), scores));
        }
        NabLabels labels = NabLabels.of(windows);
        for (NabProfile profile : NabProfile.values()) {
            NabScore expected = bruteForce(corpus, labels, profile);
            NabScore actual = scorer.score(corpus, labels, profile);
            assertEquals(expected.threshold(), actual.threshold(), profile.name());
            assertEquals(expected.rawScore(), actual.rawScore(), EPS, profile.name());
            assertEquals(expected.truePositives(), actual.truePositives(), profile.name());
            assertEquals(expected.falsePositives(), actual.falsePositives(), profile.name());
            assertEquals(actual, scorer.scoreAll(corpus, labels).get(profile), profile.name());
        }
    }

    /** Every candidate scored from scratch, highest first; a later one must be strictly better. */
    private NabScore bruteForce(List<ScoredSeries> corpus, NabLabels labels, NabProfile profile) {
        TreeSet<Double> candidates = new TreeSet<>();
        candidates.add(NabScorer.NOTHING_DETECTED);
        for (ScoredSeries s : corpus) {
            for (int i = CorpusRows.probationLength(s.size()); i < s.size(); i++) {
                candidates.add(s.scores()[i]);
            }
        }
        NabScore best = null;
        for (double threshold : candidates.descendingSet()) {
            NabScore at = scorer.scoreAt(corpus, labels, profile, threshold);
            if (best == null || at.rawScore() > best.rawScore() + EPS) {
                best = at;
            }
        }
        return best;
    }

    @Test
    void shouldRejectWindowTimestampThatMatchesNoRow() {
        NabLabels labels = NabLabels.of(Map.of("cat/a.csv",
                List.of(NabWindow.of("2020-01-01 10:30:00.000000", "2020-01-01 12:00:00.000000"))));
        VigilException e = assertThrows(VigilException.class,
                () -> scorer.score(List.of(series("cat/a.csv", 20, 1.0)), labels, NabProfile.STANDARD));
        assertTrue(e.getMessage().contains("cat/a.csv") && e.getMessage().contains("2020-01-01T10:30")
                && e.getMessage().contains("no row"), e.getMessage());
    }

    @Test
    void shouldRejectFileWithoutLabels() {
        NabLabels labels = NabLabels.of(Map.of("cat/a.csv", List.of(window(10, 13))));
        List<ScoredSeries> corpus = List.of(series("cat/a.csv", 20, 1.0), series("cat/b.csv", 20, 1.0));
        VigilException e = assertThrows(VigilException.class,
                () -> scorer.score(corpus, labels, NabProfile.STANDARD));
        assertTrue(e.getMessage().contains("cat/b.csv"), e.getMessage());
    }

    @Test
    void shouldRejectSameFileTwice() {
        NabLabels labels = NabLabels.of(Map.of("cat/a.csv", List.of(window(10, 13))));
        List<ScoredSeries> corpus = List.of(series("cat/a.csv", 20, 1.0), series("cat/a.csv", 20, 1.0));
        assertThrows(VigilException.class, () -> scorer.score(corpus, labels, NabProfile.STANDARD));
    }

    @Test
    void shouldRejectCorpusWithoutWindowsBecauseNormalisationIsUndefined() {
        NabLabels labels = NabLabels.of(Map.of("cat/a.csv", List.of()));
        assertThrows(VigilException.class,
                () -> scorer.score(List.of(series("cat/a.csv", 20, 1.0, 5)), labels, NabProfile.STANDARD));
    }

    @Test
    void shouldRejectScoresOutsideUnitIntervalOrNonFinite() {
        String[] ts = SyntheticNab.timestamps(2);
        assertThrows(VigilException.class, () -> new ScoredSeries("cat/a.csv", ts, new double[] {0.5, Double.NaN}));
        assertThrows(VigilException.class, () -> new ScoredSeries("cat/a.csv", ts, new double[] {0.5, 1.5}));
        assertThrows(VigilException.class, () -> new ScoredSeries("cat/a.csv", ts, new double[] {0.5}));
    }
}
