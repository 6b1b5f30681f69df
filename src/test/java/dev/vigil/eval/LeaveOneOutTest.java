package dev.vigil.eval;

import static dev.vigil.eval.SyntheticNab.FOUND;
import static dev.vigil.eval.SyntheticNab.MISSED;
import static dev.vigil.eval.SyntheticNab.QUIET;
import static dev.vigil.eval.SyntheticNab.series;
import static dev.vigil.eval.SyntheticNab.window;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-computed scores with one file left out. Files of 20 rows, a window over rows 10..13 in each labelled one; a
 * file that fires on row 10 at score 1 earns 1.0 there, one that never fires scores 0 on every row.
 */
class LeaveOneOutTest {
    private static final double EPS = 1e-4;
    private static final NabLabels LABELS = SyntheticNab.THREE_FILES;
    private static final List<ScoredSeries> CORPUS = List.of(series(FOUND, 20, 1.0, 10), series(MISSED, 20, 1.0),
            series(QUIET, 20, 1.0));

    @Test
    void shouldScoreTheRestOfTheCorpusWithEachFileLeftOutItsThresholdOptimisedOnTheRest() {
        Map<String, Map<NabProfile, NabScore>> left = LeaveOneOut.scores(CORPUS, LABELS).leftOut();
        assertEquals(List.of(FOUND, MISSED, QUIET), List.copyOf(left.keySet()));
        // without the found file: at threshold 0 every scored row fires, the missed file's window on row 10 (+1), its
        // rows 3..9 (7 * -0.11) and 14..19 after the window (-0.615656, as in NabScorerTest), and the quiet file's 17
        // (-1.87): raw -2.255656, below the -1 of detecting nothing, which is the null score 0
        assertEquals(0.0, left.get(FOUND).get(NabProfile.STANDARD).normalisedScore(), EPS);
        assertEquals(NabScorer.NOTHING_DETECTED, left.get(FOUND).get(NabProfile.STANDARD).threshold());
        // without the missed file the found one alone: its window on its first row at threshold 1 -> 100
        assertEquals(100.0, left.get(MISSED).get(NabProfile.STANDARD).normalisedScore(), EPS);
        // without the quiet file, the whole corpus's score: one window of two, at threshold 1 -> 100 * 1 / 4 + 50
        assertEquals(50.0, left.get(QUIET).get(NabProfile.STANDARD).normalisedScore(), EPS);
        assertEquals(1.0, left.get(QUIET).get(NabProfile.STANDARD).threshold());
    }

    @Test
    void shouldScoreEachRestAsTheScorerScoresThatCorpusBuiltWithoutTheFile() {
        // five files of 40 rows (P = 6), windows in four of them, scores drawn at random in steps of 0.05 (ties)
        java.util.Random random = new java.util.Random(7);
        List<ScoredSeries> corpus = new java.util.ArrayList<>();
        Map<String, List<NabWindow>> windows = new java.util.HashMap<>();
        for (int f = 0; f < 5; f++) {
            String name = "c/f" + f + ".csv";
            corpus.add(SyntheticNab.randomSeries(name, 40, random));
            windows.put(name, f == 2 ? List.of() : f == 4 ? List.of(window(8, 11), window(25, 29))
                    : List.of(window(10 + 3 * f, 14 + 3 * f)));
        }
        NabLabels labels = NabLabels.of(windows);
        LeaveOneOut.Scores scores = LeaveOneOut.scores(corpus, labels);
        assertSameScores(new NabScorer().scoreAll(corpus, labels), scores.whole(), "the whole corpus");
        Map<String, Map<NabProfile, NabScore>> left = scores.leftOut();
        assertEquals(5, left.size());
        for (int f = 0; f < corpus.size(); f++) {
            List<ScoredSeries> rest = new java.util.ArrayList<>(corpus);
            rest.remove(f);
            assertSameScores(new NabScorer().scoreAll(rest, labels), left.get(corpus.get(f).relativePath()),
                    "without file " + f);
        }
    }

    private static void assertSameScores(Map<NabProfile, NabScore> expected, Map<NabProfile, NabScore> actual,
                                         String what) {
        for (NabProfile p : NabProfile.values()) {
            NabScore want = expected.get(p);
            NabScore got = actual.get(p);
            String where = what + ", " + p;
            assertEquals(want.threshold(), got.threshold(), where);
            assertEquals(want.rawScore(), got.rawScore(), 1e-9, where);
            assertEquals(want.normalisedScore(), got.normalisedScore(), 1e-9, where);
            assertEquals(List.of(want.truePositives(), want.falseNegatives(), want.falsePositives()),
                    List.of(got.truePositives(), got.falseNegatives(), got.falsePositives()), where);
        }
    }

    @Test
    void shouldSkipAFileWithoutWhichNoWindowIsLeft() {
        Map<String, Map<NabProfile, NabScore>> left = LeaveOneOut.scores(List.of(CORPUS.get(0), CORPUS.get(2)),
                LABELS).leftOut();
        assertEquals(List.of(QUIET), List.copyOf(left.keySet()));
    }

    @Test
    void shouldPoolTheRunsPerFileAndDropAFileMissingFromARun(@TempDir Path tmp) throws Exception {
        Map<String, Map<NabProfile, NabScore>> all = LeaveOneOut.scores(CORPUS, LABELS).leftOut();
        Map<String, Map<NabProfile, NabScore>> twoFiles = LeaveOneOut.scores(List.of(CORPUS.get(0), CORPUS.get(2)),
                LABELS).leftOut();
        List<LeaveOneOut> pooled = LeaveOneOut.over(List.of(all, twoFiles));
        assertEquals(1, pooled.size());
        assertEquals(QUIET, pooled.get(0).file());
        // without the quiet file: 50 in the first run, 100 (the found file alone) in the second
        NabSpread standard = pooled.get(0).scores().get(NabProfile.STANDARD);
        assertEquals(new NabSpread(NabProfile.STANDARD, 2, 75.0, 50.0, 100.0), standard);
        assertEquals(75.0, pooled.get(0).standard());
        Path file = tmp.resolve("leave-one-out.csv");
        LeaveOneOut.write(file, LeaveOneOut.over(List.of(all)));
        List<String> lines = Files.readAllLines(file);
        assertEquals(LeaveOneOut.CSV_HEADER, lines.get(0));
        assertEquals(4, lines.size());
        // without the missed file: the found one alone, found on its window's first row in every profile
        assertEquals("c/missed.csv,1,100.00,100.00,100.00,100.00,100.00", lines.get(2));
    }
}
