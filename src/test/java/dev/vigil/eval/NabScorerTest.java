package dev.vigil.eval;

import static dev.vigil.eval.SyntheticNab.series;
import static dev.vigil.eval.SyntheticNab.window;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hand-computed NAB scores on tiny files. Notation: S(y) = 2/(1 + e^(5y)) - 1, S(-1) = 0.986614.
 * Files of 20 rows have P = floor(0.15*20) = 3 probationary rows (0..2); 40 rows give P = 6.
 */
class NabScorerTest {
    private static final double EPS = 1e-6;
    private static final String FILE = "cat/a.csv";
    private static final String OTHER = "cat/b.csv";
    /** 20 rows, one window over rows 10..13 (W = 4). */
    private static final NabLabels ONE_WINDOW = NabLabels.of(Map.of(FILE, List.of(window(10, 13))));

    private final NabScorer scorer = new NabScorer();

    @Test
    void shouldIgnoreDetectionsInsideProbationaryPeriod() {
        // rows 0 and 2 (< P = 3, outside any window) fire: they would cost 2 * 0.11 if scored,
        // but cost nothing; the window 10..13 is missed: raw = -fnWeight = -1.0
        NabScore s = scorer.scoreAt(List.of(series(FILE, 20, 1.0, 0, 2)), ONE_WINDOW, NabProfile.STANDARD, 0.5);
        assertEquals(-1.0, s.rawScore(), EPS);
        assertEquals(0, s.falsePositives());
        assertEquals(1, s.falseNegatives());
    }

    @Test
    void shouldNotOfferScoresOfProbationaryRowsAsThresholdCandidates() {
        // row 1 (probation) scores 1.0, every other row 0.0: candidates are only 1.1 and 0.0.
        // at 1.1: raw = -1. at 0.0 every scored row fires:
        //   window: earliest row 10 -> +1.0
        //   rows 3..9, no earlier window: 7 * -0.11 = -0.77
        //   rows 14..19 after the window (R' = 13, W'-1 = 3): y = 1/3, 2/3, 1, 4/3, 5/3, 2
        //   S = -0.682262, -0.931100, -0.986614, -0.997458, -0.999519, -0.999909 (sum -5.596872)
        //   cost 0.11 * -5.596872 = -0.615656
        //   raw = 1 - 0.77 - 0.615656 = -0.385656 > -1, so θ = 0.0
        NabScore s = scorer.score(List.of(series(FILE, 20, 1.0, 1)), ONE_WINDOW, NabProfile.STANDARD);
        assertEquals(0.0, s.threshold());
        assertEquals(-0.385656, s.rawScore(), EPS);
        assertEquals(13, s.falsePositives());
        assertEquals(1, s.truePositives());
    }

    @Test
    void shouldLeaveOutWindowLyingEntirelyInProbation() {
        // 40 rows, P = 6: window 1..3 is all probationary and is not scored (no reward, no cost,
        // not counted in Nw); window 20..23 is detected on its first row: raw = 1, Nw = 1 -> 100
        NabLabels labels = NabLabels.of(Map.of(FILE, List.of(window(1, 3), window(20, 23))));
        NabScore s = scorer.scoreAt(List.of(series(FILE, 40, 1.0, 2, 20)), labels, NabProfile.STANDARD, 0.5);
        assertEquals(1.0, s.rawScore(), EPS);
        assertEquals(1, s.windowCount());
        assertEquals(100.0, s.normalisedScore(), EPS);
    }

    @ParameterizedTest(name = "detection on row {0} earns {1}")
    @CsvSource({
        // y = -(13 - i + 1)/4; weight = S(y)/S(-1)
        "10, 1.0", // y = -1: exactly tpWeight
        "11, 0.966989", // y = -0.75: S = 2/(1+e^-3.75) - 1 = 0.954045; /0.986614
        "12, 0.859793", // y = -0.5:  S = 2/(1+e^-2.5)  - 1 = 0.848284; /0.986614
        "13, 0.562124", // y = -0.25: S = 2/(1+e^-1.25) - 1 = 0.554600; /0.986614
    })
    void shouldWeightWindowDetectionAlongSigmoidFromFirstToLastRow(int row, double expected) {
        NabScore s = scorer.scoreAt(List.of(series(FILE, 20, 1.0, row)), ONE_WINDOW, NabProfile.STANDARD, 0.5);
        assertEquals(expected, s.rawScore(), EPS);
        assertEquals(1, s.truePositives());
    }

    @Test
    void shouldChargeAlmostNothingForFalsePositiveJustAfterWindow() {
        // 40 rows, window 8..11 (W' = 4) missed (-1); FP on row 12: y = (12-11)/3 = 1/3,
        // S = 2/(1+e^(5/3)) - 1 = -0.682262, cost 0.11 * -0.682262 = -0.075049 -> raw -1.075049
        NabLabels labels = NabLabels.of(Map.of(FILE, List.of(window(8, 11))));
        NabScore s = scorer.scoreAt(List.of(series(FILE, 40, 1.0, 12)), labels, NabProfile.STANDARD, 0.5);
        assertEquals(-1.075049, s.rawScore(), EPS);
        assertEquals(1, s.falsePositives());
    }

    @Test
    void shouldChargeFullFpWeightForFalsePositiveFarAfterWindow() {
        // same file, FP on row 30: y = (30-11)/3 = 6.33 > 3, S = -1: cost -0.11 -> raw -1.11;
        // under reward_low_FP the cost doubles: -1 - 0.22 = -1.22
        NabLabels labels = NabLabels.of(Map.of(FILE, List.of(window(8, 11))));
        List<ScoredSeries> corpus = List.of(series(FILE, 40, 1.0, 30));
        assertEquals(-1.11, scorer.scoreAt(corpus, labels, NabProfile.STANDARD, 0.5).rawScore(), EPS);
        assertEquals(-1.22, scorer.scoreAt(corpus, labels, NabProfile.REWARD_LOW_FP, 0.5).rawScore(), EPS);
    }

    @Test
    void shouldChargeFullFpWeightForFalsePositiveBeforeAnyWindow() {
        // FILE: window 30..33 missed (-1), FP on row 10 with no earlier window: -0.11.
        // OTHER: no windows at all, FP on row 10: -0.11. raw = -1 - 0.11 - 0.11 = -1.22
        NabLabels labels = NabLabels.of(Map.of(FILE, List.of(window(30, 33)), OTHER, List.of()));
        List<ScoredSeries> corpus = List.of(series(FILE, 40, 1.0, 10), series(OTHER, 40, 1.0, 10));
        NabScore s = scorer.scoreAt(corpus, labels, NabProfile.STANDARD, 0.5);
        assertEquals(-1.22, s.rawScore(), EPS);
        assertEquals(2, s.falsePositives());
    }

    @Test
    void shouldChargeFullFpWeightAfterOneRowWindowWhereNabWouldDivideByZero() {
        // window 10..10 (W' = 1): NAB's y = (i - R')/(W' - 1) divides by zero; here the cost is the
        // limit of that formula, the full -0.11. Window missed: raw = -1 - 0.11
        NabLabels labels = NabLabels.of(Map.of(FILE, List.of(window(10, 10))));
        NabScore s = scorer.scoreAt(List.of(series(FILE, 20, 1.0, 11)), labels, NabProfile.STANDARD, 0.5);
        assertEquals(-1.11, s.rawScore(), EPS);
    }

    @Test
    void shouldCountSeveralDetectionsInOneWindowOnceAtEarliest() {
        // rows 11, 12, 13 fire: the window earns only its largest weight, row 11's 0.966989;
        // the later rows add nothing and cost nothing
        NabScore s = scorer.scoreAt(List.of(series(FILE, 20, 1.0, 11, 12, 13)), ONE_WINDOW,
                NabProfile.STANDARD, 0.5);
        assertEquals(0.966989, s.rawScore(), EPS);
        assertEquals(1, s.truePositives());
        assertEquals(0, s.falsePositives());
    }

    @Test
    void shouldKeepHighestThresholdOnTie() {
        // row 10 scores 0.9, row 11 scores 0.8, the rest 0.0. Candidates:
        //   1.1 -> -1;  0.9 -> +1 (row 10);  0.8 -> +1 (row 11 adds nothing to a detected window);
        //   0.0 -> -0.385656 (see the probation test). 0.9 and 0.8 tie: 0.9 is kept
        double[] scores = new double[20];
        scores[10] = 0.9;
        scores[11] = 0.8;
        ScoredSeries s = new ScoredSeries(FILE, SyntheticNab.timestamps(20), scores);
        NabScore best = scorer.score(List.of(s), ONE_WINDOW, NabProfile.STANDARD);
        assertEquals(0.9, best.threshold());
        assertEquals(1.0, best.rawScore(), EPS);
        assertEquals(100.0, best.normalisedScore(), EPS);
    }

    @Test
    void shouldChargeFnWeightForUndetectedWindow() {
        // nothing fires: standard raw = -1; reward_low_FN raw = -2; both normalise to 0 (null detector)
        List<ScoredSeries> corpus = List.of(series(FILE, 20, 1.0));
        NabScore standard = scorer.scoreAt(corpus, ONE_WINDOW, NabProfile.STANDARD, 0.5);
        NabScore lowFn = scorer.scoreAt(corpus, ONE_WINDOW, NabProfile.REWARD_LOW_FN, 0.5);
        assertEquals(-1.0, standard.rawScore(), EPS);
        assertEquals(-2.0, lowFn.rawScore(), EPS);
        assertEquals(0.0, lowFn.normalisedScore(), EPS);
        assertEquals(1, lowFn.falseNegatives());
    }

    @Test
    void shouldNormaliseBetweenNullAndPerfect() {
        // at θ = 0.5: 2 windows, one caught on its first row (+1), one missed (-fn).
        // standard: raw 0, null -2, perfect 2 -> 100*2/4 = 50
        // reward_low_FN: raw 1-2 = -1, null -4, perfect 2 -> 100*3/6 = 50
        NabLabels labels = NabLabels.of(Map.of(FILE, List.of(window(10, 13)), OTHER, List.of(window(10, 13))));
        List<ScoredSeries> corpus = List.of(series(FILE, 20, 1.0, 10), series(OTHER, 20, 1.0));
        NabScore standard = scorer.scoreAt(corpus, labels, NabProfile.STANDARD, 0.5);
        NabScore lowFn = scorer.scoreAt(corpus, labels, NabProfile.REWARD_LOW_FN, 0.5);
        assertEquals(0.0, standard.rawScore(), EPS);
        assertEquals(50.0, standard.normalisedScore(), EPS);
        assertEquals(-1.0, lowFn.rawScore(), EPS);
        assertEquals(50.0, lowFn.normalisedScore(), EPS);
    }

    @Test
    void shouldLowerThresholdWhenMissedWindowsCostMore() {
        // same corpus, optimised. standard: θ = 1.0 gives raw 0; θ = 0.0 fires every scored row:
        //   per file +1 - 0.77 - 0.615656 = -0.385656 (see the probation test), total -0.771312 < 0.
        // reward_low_FN: θ = 1.0 gives -1 but θ = 0.0 gives -0.771312 (both windows caught): θ = 0.0
        NabLabels labels = NabLabels.of(Map.of(FILE, List.of(window(10, 13)), OTHER, List.of(window(10, 13))));
        List<ScoredSeries> corpus = List.of(series(FILE, 20, 1.0, 10), series(OTHER, 20, 1.0));
        Map<NabProfile, NabScore> all = scorer.scoreAll(corpus, labels);
        assertEquals(1.0, all.get(NabProfile.STANDARD).threshold());
        assertEquals(0.0, all.get(NabProfile.STANDARD).rawScore(), EPS);
        assertEquals(0.0, all.get(NabProfile.REWARD_LOW_FN).threshold());
        assertEquals(-0.771312, all.get(NabProfile.REWARD_LOW_FN).rawScore(), EPS);
        assertEquals(2, all.get(NabProfile.REWARD_LOW_FN).truePositives());
    }

    @Test
    void shouldScorePerfectDetectorAtHundredUnderEveryProfile() {
        NabLabels labels = NabLabels.of(Map.of(FILE, List.of(window(10, 13)),
                OTHER, List.of(window(8, 11), window(30, 33))));
        List<ScoredSeries> corpus = List.of(series(FILE, 20, 1.0, 10), series(OTHER, 40, 1.0, 8, 30));
        for (NabScore s : scorer.scoreAll(corpus, labels).values()) {
            assertEquals(100.0, s.normalisedScore(), EPS, s.profile().name());
            assertEquals(3, s.truePositives());
        }
    }
}
