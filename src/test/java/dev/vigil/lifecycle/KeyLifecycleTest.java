package dev.vigil.lifecycle;

import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.HistoryWindow;
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

    /**
     * A trainer whose queue is full when the key comes due and has room {@code roomAfter} events later: it refuses
     * the first offer of each training and records every offer and every time it was asked whether it wants one.
     */
    private static final class FullQueue implements TrainingRequests {
        final List<Request> offers = new ArrayList<>();
        final List<TrainingPoint> asked = new ArrayList<>();
        private final int roomAfter;

        FullQueue(int roomAfter) {
            this.roomAfter = roomAfter;
        }

        @Override
        public boolean offer(Request request) {
            offers.add(request);
            return offers.size() % 2 == 0;
        }

        @Override
        public boolean wants(TrainingPoint point) {
            asked.add(point);
            long sameAsked = asked.stream().filter(point::equals).count();
            return sameAsked >= roomAfter && offers.stream().filter(o -> o.point().equals(point)).count() == 1;
        }
    }

    @Test
    void shouldOfferARefusedTrainingAgainWithTheSameDataWhenTheTrainerHasRoom() {
        FullQueue trainer = new FullQueue(3);
        List<long[]> offered = run(0, trainer, new ArrayList<>());
        // every training refused once and offered again once, with the same point and the same readings
        List<TrainingPoint> points = trainer.offers.stream().map(TrainingRequests.Request::point).distinct().toList();
        assertTrue(points.size() >= 2, "the first model and a retraining: " + points);
        assertEquals(2 * points.size(), trainer.offers.size());
        for (TrainingPoint point : points) {
            List<TrainingRequests.Request> pair = trainer.offers.stream().filter(o -> o.point().equals(point)).toList();
            HistoryWindow refused = pair.get(0).window();
            HistoryWindow again = pair.get(1).window();
            assertEquals(refused.size(), again.size(), point.toString());
            for (int i = 0; i < refused.size(); i++) {
                assertEquals(refused.timestamp(i), again.timestamp(i), point + " reading " + i);
                assertEquals(refused.value(i, 0), again.value(i, 0), point + " reading " + i);
            }
            // asked at each of the key's events after the point and before its swap, never at or after the swap
            assertEquals(K - 1, trainer.asked.stream().filter(point::equals).count(), point.toString());
        }
        // nothing delivered, so every model is trained in line: the scores are those of a run without a trainer
        List<long[]> inLine = run(0, TrainingRequests.IN_LINE, new ArrayList<>());
        for (int i = 0; i < inLine.size(); i++) {
            assertEquals(inLine.get(i)[0], offered.get(i)[0], "score of event " + i);
            assertEquals(inLine.get(i)[1], offered.get(i)[1], "model of event " + i);
        }
    }

    @Test
    void shouldOfferAPendingTrainingToTheTrainerOfARestartedInstance() {
        InMemoryHistories histories = new InMemoryHistories(RETRAIN.historySize(), 1);
        InMemoryModels models = new InMemoryModels();
        List<TrainingRequests.Request> before = new ArrayList<>();
        KeyLifecycle stopped = new KeyLifecycle(DETECTOR, RETRAIN, true, histories, models, request -> {
            before.add(request);
            return true; // queued, then lost with the instance
        });
        DetectorState state = stopped.detector().newState();
        int i = 0;
        while (!state.schedule().hasPendingSwap()) {
            stopped.process("pump", state, EVENTS.get(i++));
        }
        assertEquals(1, before.size());
        // a new instance's trainer: empty, so it wants any training it does not hold
        List<TrainingRequests.Request> after = new ArrayList<>();
        TrainingRequests restarted = new TrainingRequests() {
            @Override
            public boolean offer(Request request) {
                after.add(request);
                return true;
            }

            @Override
            public boolean wants(TrainingPoint point) {
                return after.stream().noneMatch(r -> r.point().equals(point));
            }
        };
        new KeyLifecycle(DETECTOR, RETRAIN, true, histories, models, restarted)
                .process("pump", DetectorStateCodec.decode(DetectorStateCodec.encode(state)), EVENTS.get(i));
        assertEquals(1, after.size(), "the new trainer gets the pending training at the next event");
        assertEquals(before.get(0).point(), after.get(0).point());
        assertEquals(before.get(0).window().size(), after.get(0).window().size());
        assertEquals(before.get(0).window().timestamp(0), after.get(0).window().timestamp(0));
    }

    @Test
    void shouldOfferARefusedSharedTrainingAgainWhenTheTrainerHasRoom() {
        RetrainConfig shared = new RetrainConfig(RETRAIN.historySize(), RETRAIN.minTrainPoints(),
                RETRAIN.retrainInterval(), 0, 0, false, 7, RetrainConfig.SHARED, 32, 60_000, 1 << 20, K,
                RETRAIN.training());
        FullQueue trainer = new FullQueue(3);
        KeyLifecycle lifecycle = new KeyLifecycle(DETECTOR, shared, true,
                new InMemoryHistories(shared.historySize(), 1), new InMemoryModels(), trainer);
        DetectorState state = lifecycle.detector().newState();
        long versions = 0;
        for (Event event : EVENTS) {
            versions = Math.max(versions, ((KeyOutcome.Scored) lifecycle.process("pump", state, event)).result()
                    .modelVersion());
        }
        assertTrue(versions >= 1, "the shared model was trained in line and put in force");
        List<TrainingPoint> points = trainer.offers.stream().map(TrainingRequests.Request::point).distinct().toList();
        assertFalse(points.isEmpty());
        for (TrainingPoint point : points) {
            List<TrainingRequests.Request> pair = trainer.offers.stream().filter(o -> o.point().equals(point)).toList();
            assertEquals(2, pair.size(), "refused, then offered again: " + point);
            org.junit.jupiter.api.Assertions.assertSame(pair.get(0), pair.get(1), "the same request, its data kept");
            assertEquals(ModelScope.SHARED_MODEL_ID, point.modelId());
        }
    }

    @Test
    void shouldTrainNothingWithoutTraining() {
        List<long[]> run = run(0, TrainingRequests.NONE, new ArrayList<>());
        assertTrue(run.stream().allMatch(r -> r[1] == 0), "no model without training");
    }
}
