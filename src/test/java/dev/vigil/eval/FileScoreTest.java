package dev.vigil.eval;

import static dev.vigil.eval.SyntheticNab.FOUND;
import static dev.vigil.eval.SyntheticNab.MISSED;
import static dev.vigil.eval.SyntheticNab.QUIET;
import static dev.vigil.eval.SyntheticNab.series;
import static dev.vigil.eval.SyntheticNab.window;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed shares of a corpus's score. Files of 20 rows (the first 3 probationary), a window over rows 10..13 in
 * each labelled one: a detection on row 10 earns 1.0, one on a row before the window costs 0.11 (standard profile).
 */
class FileScoreTest {
    private static final double EPS = 1e-9;
    private static final NabLabels LABELS = SyntheticNab.THREE_FILES;
    private static final List<ScoredSeries> CORPUS = List.of(series(FOUND, 20, 1.0, 5, 10, 11),
            series(MISSED, 20, 1.0), series(QUIET, 20, 1.0, 1, 4));

    @Test
    void shouldGiveEachFileItsWindowsRewardsAndMissesAndItsFalsePositivesCosts() {
        List<FileScore> shares = FileScore.at(CORPUS, LABELS, NabProfile.STANDARD, 1.0);
        // found: row 10 opens its window (+1; row 11 adds nothing), row 5 before it costs 0.11
        assertEquals(new FileScore(FOUND, 1, 1, 1, 0.89), rounded(shares.get(0)));
        assertEquals(new FileScore(MISSED, 1, 0, 0, -1.0), rounded(shares.get(1)));
        // quiet: row 1 is probationary, row 4 a false positive in a file without windows
        assertEquals(new FileScore(QUIET, 0, 0, 1, -0.11), rounded(shares.get(2)));
        List<FileScore> nothing = FileScore.at(CORPUS, LABELS, NabProfile.REWARD_LOW_FN, NabScorer.NOTHING_DETECTED);
        assertEquals(List.of(new FileScore(FOUND, 1, 0, 0, -2.0), new FileScore(MISSED, 1, 0, 0, -2.0),
                new FileScore(QUIET, 0, 0, 0, 0.0)), nothing);
    }

    @Test
    void shouldAddUpToTheCorpusScoreAtTheOptimisedThreshold() {
        // five files of 40 rows, windows in four, scores drawn at random in steps of 0.05 (ties)
        Random random = new Random(11);
        List<ScoredSeries> corpus = new ArrayList<>();
        Map<String, List<NabWindow>> windows = new HashMap<>();
        for (int f = 0; f < 5; f++) {
            String name = "c/f" + f + ".csv";
            corpus.add(SyntheticNab.randomSeries(name, 40, random));
            windows.put(name, f == 2 ? List.of() : List.of(window(10 + 3 * f, 14 + 3 * f), window(30, 33)));
        }
        NabLabels labels = NabLabels.of(windows);
        for (NabProfile p : NabProfile.values()) {
            NabScore whole = new NabScorer().score(corpus, labels, p);
            double raw = 0;
            int caught = 0;
            int falsePositives = 0;
            for (FileScore f : FileScore.at(corpus, labels, p, whole.threshold())) {
                raw += f.raw();
                caught += f.caught();
                falsePositives += f.falsePositives();
            }
            assertEquals(whole.rawScore(), raw, EPS, p.toString());
            assertEquals(whole.truePositives(), caught, p.toString());
            assertEquals(whole.falsePositives(), falsePositives, p.toString());
        }
    }

    private static FileScore rounded(FileScore f) {
        return new FileScore(f.file(), f.windows(), f.caught(), f.falsePositives(), Math.round(f.raw() * 1e6) / 1e6);
    }
}
