package dev.vigil.eval;

import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.TrainingConfig;
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

    @Test
    void shouldTrainAModelAndScoreTheSpikeAsTheLargestAnomaly() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.seasonal(1200, 50, 10, 60, 1.0, 4), 1000, 12);
        List<DetectorResult> results = replay(x);
        assertTrue(results.get(1100).modelVersion() >= 1, "no model after 1100 events");
        int argmax = 0;
        for (int t = 0; t < results.size(); t++) {
            if (results.get(t).anomalyScore() > results.get(argmax).anomalyScore()) {
                argmax = t;
            }
        }
        assertEquals(1000, argmax);
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
