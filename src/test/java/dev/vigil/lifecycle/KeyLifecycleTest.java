package dev.vigil.lifecycle;

import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.Event;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.TrainingConfig;
import dev.vigil.score.ScoringConfig;
import dev.vigil.testutil.SyntheticSeries;
import dev.vigil.train.RetrainClock;
import dev.vigil.train.RetrainConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle of one key: swap points, and a pending swap that survives restarts (it lives in the key's state). */
class KeyLifecycleTest {
    private static final DetectorConfig DETECTOR = new DetectorConfig(new LstmConfig(1, 8, 1, 1.0, true),
            ScoringConfig.defaults());
    private static final int K = 16;
    private static final RetrainConfig RETRAIN = new RetrainConfig(200, 64, 150, 0, 0, false, 7, RetrainConfig.PER_KEY,
            32, 60_000, 1 << 20, K, new TrainingConfig(4, 8, 16, 0.01, 1.0, 0.2, 5));
    private static final List<Event> EVENTS = SyntheticSeries.events(
            SyntheticSeries.withLevelShift(SyntheticSeries.seasonal(600, 10, 2, 24, 0.2, 3), 300, 4));

    /** Each event's score bits and model version, with a new lifecycle (a restart) every {@code restartEvery} events. */
    private static List<long[]> run(int restartEvery, TrainingRequests training, List<Long> pendingAtRestart) {
        InMemoryHistories histories = new InMemoryHistories(RETRAIN.historySize(), 1);
        InMemoryModels models = new InMemoryModels();
        KeyLifecycle lifecycle = null;
        byte[] state = null;
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < EVENTS.size(); i++) {
            if (lifecycle == null || (restartEvery > 0 && i % restartEvery == 0)) {
                lifecycle = new KeyLifecycle(DETECTOR, RETRAIN, true, histories, models, training);
            }
            DetectorState s = state == null ? lifecycle.detector().newState() : DetectorStateCodec.decode(state);
            if (restartEvery > 0 && i % restartEvery == 0 && s.schedule().hasPendingSwap()) {
                pendingAtRestart.add(s.schedule().pendingThrough());
            }
            KeyOutcome.Scored scored = (KeyOutcome.Scored) lifecycle.process("pump", s, EVENTS.get(i));
            out.add(new long[] {Double.doubleToRawLongBits(scored.result().anomalyScore()), scored.result().modelVersion()});
            state = DetectorStateCodec.encode(s);
        }
        return out;
    }

    @Test
    void shouldGiveTheSameScoresWhenRestartedWhileASwapIsPending() {
        List<long[]> straight = run(0, TrainingRequests.IN_LINE, new ArrayList<>());
        List<Long> pending = new ArrayList<>();
        List<long[]> restarted = run(7, TrainingRequests.IN_LINE, pending);
        assertFalse(pending.isEmpty(), "some restart fell between a training point and its swap");
        for (int i = 0; i < straight.size(); i++) {
            assertEquals(straight.get(i)[0], restarted.get(i)[0], "score of event " + i);
        }
    }

    @Test
    void shouldPutEachModelInForceExactlySwapDelayEventsAfterItsTrainingPoint() {
        List<long[]> run = run(0, TrainingRequests.IN_LINE, new ArrayList<>());
        // event numbers count from 1: the first training is due at event 64, its model scores from event 64 + K + 1
        int first = RETRAIN.minTrainPoints() + K;
        assertEquals(0, run.get(first - 1)[1], "event " + first + " is still scored without a model");
        assertEquals(1, run.get(first)[1]);
        // the retraining is due at the key's next point on its grid of retrainInterval events (its phase, a hash of
        // the key) at least half an interval after the first attempt
        int interval = RETRAIN.retrainInterval();
        long phase = new RetrainClock(RETRAIN).phase("pump");
        int due = first - K + interval / 2;
        while ((due + phase) % interval != 0) {
            due++;
        }
        int second = due + K;
        assertEquals(1, run.get(second - 1)[1]);
        assertEquals(2, run.get(second)[1], "retrained at the key's grid point, its model in force K events later");
    }

    @Test
    void shouldTrainNothingWithoutTraining() {
        List<long[]> run = run(0, TrainingRequests.NONE, new ArrayList<>());
        assertTrue(run.stream().allMatch(r -> r[1] == 0), "no model without training");
    }
}
