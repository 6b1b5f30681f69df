package dev.vigil.eval;

import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.TrainingConfig;
import dev.vigil.score.AlertTransition;
import dev.vigil.score.ScoringConfig;
import dev.vigil.testutil.SyntheticSeries;
import dev.vigil.train.RetrainConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesReplayTest {
    private static final DetectorConfig DETECTOR = new DetectorConfig(new LstmConfig(1, 16, 1, 1.0, true),
            ScoringConfig.defaults());
    private static final RetrainConfig RETRAIN = new RetrainConfig(600, 300, 400, true, 7, TrainingConfig.defaults());

    private static List<DetectorResult> replay(double[] x) {
        List<DetectorResult> out = new ArrayList<>();
        new SeriesReplay(DETECTOR, RETRAIN).run("key", SyntheticSeries.events(x), out::add);
        return out;
    }

    /** Events the likelihood's short-term level may take to react to a sustained change. */
    private static final int DETECTION_DELAY_LIMIT = 30;

    @Test
    void shouldTrainAModelAndAlertOnlyWhenTheSeasonalPatternChanges() {
        double[] before = SyntheticSeries.seasonal(1000, 50, 10, 60, 1.0, 4);
        double[] after = SyntheticSeries.seasonal(300, 50, 10, 13, 1.0, 5);
        double[] x = new double[1300];
        System.arraycopy(before, 0, x, 0, 1000);
        System.arraycopy(after, 0, x, 1000, 300);
        List<DetectorResult> results = replay(x);
        assertTrue(results.get(999).modelVersion() >= 2, "expected a retrained model before the change, got v"
                + results.get(999).modelVersion());
        int firstAlert = -1;
        for (int t = 0; t < results.size() && firstAlert < 0; t++) {
            if (results.get(t).transition() == AlertTransition.OPENED) {
                firstAlert = t;
            }
        }
        assertTrue(firstAlert >= 1000 && firstAlert <= 1000 + DETECTION_DELAY_LIMIT, "first alert at " + firstAlert);
    }

    @Test
    void shouldReplayDeterministically() {
        double[] x = SyntheticSeries.withLevelShift(SyntheticSeries.seasonal(1000, 5, 1, 30, 0.2, 8), 800, 3);
        List<DetectorResult> a = replay(x);
        List<DetectorResult> b = replay(x);
        for (int t = 0; t < x.length; t++) {
            assertEquals(Double.doubleToRawLongBits(a.get(t).anomalyScore()),
                    Double.doubleToRawLongBits(b.get(t).anomalyScore()), "row " + t);
            assertEquals(a.get(t).modelVersion(), b.get(t).modelVersion());
        }
    }
}
