package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.score.AlertReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each labelled window's outcome, on hand-made series, and against NAB's scorer on the same scores. */
class WindowOutcomeTest {
    /** 2000 rows: NAB's probation is 300 rows. */
    private static final int ROWS = 2000;
    private static final double THRESHOLD = 0.5;

    @TempDir
    Path tmp;

    private static NabLabels labels(String path, NabWindow... windows) {
        return NabLabels.of(Map.of(path, List.of(windows)));
    }

    /** NAB's reward for a first detection at position y of a window: (2 / (1 + e^5y) - 1) / (2 / (1 + e^-5) - 1). */
    private static double nabWeight(double y) {
        return (2 / (1 + Math.exp(5 * y)) - 1) / (2 / (1 + Math.exp(-5)) - 1);
    }

    @Test
    void shouldTellWhereEachWindowWasFirstReachedWhatOpenedItAndItsReward() {
        double[] s = new double[ROWS];
        s[250] = 0.9;    // in probation, inside the first window: NAB does not score it
        s[300] = 0.7;    // the first window's first scored row, past its centre
        s[1040] = 0.4;   // the second window: below the threshold, its peak
        s[1500] = 0.55;  // the third window's centre row
        s[1520] = 1.0;
        AlertReason[] openedBy = new AlertReason[ROWS];
        openedBy[1500] = AlertReason.PATTERN;
        ScoredSeries series = new ScoredSeries("c/a.csv", SyntheticNab.timestamps(ROWS), s, openedBy);
        List<WindowOutcome> w = WindowOutcome.of(List.of(series), labels("c/a.csv", SyntheticNab.window(100, 200),
                SyntheticNab.window(240, 340), SyntheticNab.window(1000, 1100), SyntheticNab.window(1450, 1550)),
                THRESHOLD);

        assertEquals(3, w.size(), "the window wholly in probation is not scored: " + w);
        WindowOutcome first = w.get(0);
        assertEquals(1, first.index());
        assertEquals(300, first.crossing());
        assertEquals(0.7, first.peak(), "the peak of its scored rows only");
        assertEquals(nabWeight(-41.0 / 101), first.reward(), 1e-12, "weighed by its place in the whole window");
        assertFalse(first.firstHalf(), "row 300 is past the centre, 290");
        assertEquals(null, first.openedBy(), "no alert opened on that row");

        WindowOutcome missed = w.get(1);
        assertFalse(missed.reached());
        assertEquals(-1.0, missed.reward(), "a missed window costs the standard profile's fnWeight");
        assertEquals(0.4, missed.peak());
        assertTrue(Double.isNaN(missed.position()));
        assertEquals("c/a.csv,2,1000,1100,false,,,-1.0000,,,0.4000", missed.csvLine());

        WindowOutcome centre = w.get(2);
        assertEquals(1500, centre.crossing());
        assertEquals(AlertReason.PATTERN, centre.openedBy());
        assertEquals(-51.0 / 101, centre.position(), 1e-12);
        assertTrue(centre.firstHalf(), "the centre row is the labelled anomaly's");
        assertEquals(nabWeight(-51.0 / 101), centre.reward(), 1e-12);
        assertEquals("c/a.csv,3,1450,1550,true,1500,-0.5050,0.8633,0.5500,pattern,1.0000", centre.csvLine());
    }

    @Test
    void shouldSumToNabsRawScoreWhereNothingIsDetectedOutsideTheWindows() {
        // NAB's scorer sweeps the same rows its own way: the reached windows and their rewards must agree with it
        Random random = new Random(7);
        double[] s = new double[ROWS];
        int[][] spans = {{400, 480}, {700, 800}, {1200, 1260}, {1700, 1790}};
        NabWindow[] windows = new NabWindow[spans.length];
        for (int k = 0; k < spans.length; k++) {
            windows[k] = SyntheticNab.window(spans[k][0], spans[k][1]);
            for (int i = spans[k][0]; i <= spans[k][1]; i++) {
                s[i] = random.nextDouble() * (0.4 + 0.15 * k);
            }
        }
        ScoredSeries series = new ScoredSeries("c/b.csv", SyntheticNab.timestamps(ROWS), s);
        NabLabels labels = labels("c/b.csv", windows);
        NabScore nab = new NabScorer().scoreAt(List.of(series), labels, NabProfile.STANDARD, THRESHOLD);
        List<WindowOutcome> w = WindowOutcome.of(List.of(series), labels, THRESHOLD);

        assertEquals(nab.truePositives(), w.stream().filter(WindowOutcome::reached).count());
        assertTrue(nab.truePositives() > 0 && nab.falseNegatives() > 0, nab.toString());
        assertEquals(nab.rawScore(), w.stream().mapToDouble(WindowOutcome::reward).sum(), 1e-9);
    }

    @Test
    void shouldWriteOneLineAWindowUnderItsHeader() throws java.io.IOException {
        ScoredSeries series = SyntheticNab.series("c/d.csv", ROWS, 0.8, 1010);
        List<WindowOutcome> w = WindowOutcome.of(List.of(series), labels("c/d.csv", SyntheticNab.window(1000, 1100)),
                THRESHOLD);
        Path file = tmp.resolve("windows.csv");
        WindowOutcome.write(file, w);
        assertEquals(List.of(WindowOutcome.CSV_HEADER, w.get(0).csvLine()), Files.readAllLines(file));
    }
}
