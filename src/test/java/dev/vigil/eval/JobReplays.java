package dev.vigil.eval;

import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Event;
import dev.vigil.score.AlertReason;
import dev.vigil.score.AlertTransition;
import dev.vigil.train.RetrainConfig;

import java.util.ArrayList;
import java.util.List;

/** Replays of a batch job's readings for the tests of the settings that expect its runs, and what they count. */
final class JobReplays {
    private JobReplays() {
    }

    /** The detector's result for every event of a key, retrained as by default with seed 1. */
    static List<DetectorResult> replay(DetectorConfig detector, String key, List<Event> events) {
        RetrainConfig d = RetrainConfig.defaults();
        RetrainConfig retrain = new RetrainConfig(d.historySize(), d.minTrainPoints(), d.retrainInterval(),
                d.requireImprovement(), 1, d.training());
        List<DetectorResult> out = new ArrayList<>();
        new SeriesReplay(detector, retrain).run(key, events, out::add);
        return out;
    }

    /** Prediction-error alerts opened at events {@code from} to {@code to} (exclusive). */
    static int errorAlerts(List<DetectorResult> out, int from, int to) {
        int n = 0;
        for (int t = from; t < to; t++) {
            DetectorResult r = out.get(t);
            n += r.transition() == AlertTransition.OPENED && r.alertReason() == AlertReason.PREDICTION_ERROR ? 1 : 0;
        }
        return n;
    }
}
