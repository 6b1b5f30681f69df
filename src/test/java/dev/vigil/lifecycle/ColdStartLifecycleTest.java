package dev.vigil.lifecycle;

import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.Event;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.TrainingConfig;
import dev.vigil.score.ScoringConfig;
import dev.vigil.testutil.SyntheticSeries;
import dev.vigil.train.RetrainConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cold start ({@code retrain.coldStart=shared}, per-key scope): key "late" joins a fleet whose key "early" already
 * made a shared model; past warm-up it is scored by the shared model until its own is accepted, then by its own for
 * good, even when the shared model moves on.
 */
class ColdStartLifecycleTest {
    private static final DetectorConfig DETECTOR = new DetectorConfig(new LstmConfig(1, 8, 1, 1.0, true),
            ScoringConfig.defaults());
    private static final int K = 16;
    private static final RetrainConfig NONE = new RetrainConfig(260, 160, 150, 0, 0, false, 7, RetrainConfig.PER_KEY,
            32, 60_000, 1 << 20, K, new TrainingConfig(4, 8, 16, 0.01, 1.0, 0.2, 5));
    private static final RetrainConfig COLD = NONE.withColdStart(RetrainConfig.SHARED);
    private static final int JOINS_AT = 300;
    private static final long WARMUP = DETECTOR.scoring().warmupEvents();
    private static final List<Event> LATE = SyntheticSeries.events(SyntheticSeries.seasonal(500, 50, 9, 24, 0.5, 4));

    /** One scored event of "late": its state's model version, whether on the shared model, prediction, re-warms. */
    private record Seen(long version, boolean cold, long predictionBits, int rewarms) {
    }

    /** Replays "early" (800 events) and "late" (joining after early's 300th), the state through the codec each time. */
    private static List<Seen> late(RetrainConfig retrain, InMemoryModels models) {
        List<Event> early = SyntheticSeries.events(SyntheticSeries.seasonal(800, 10, 2, 24, 0.2, 3));
        List<Event> late = LATE;
        KeyLifecycle lifecycle = new KeyLifecycle(DETECTOR, retrain, true, new InMemoryHistories(260, 1), models,
                TrainingRequests.IN_LINE);
        Map<String, byte[]> states = new HashMap<>();
        List<Seen> out = new ArrayList<>();
        for (int i = 0; i < early.size(); i++) {
            step(lifecycle, states, "early", early.get(i));
            if (i >= JOINS_AT) {
                out.add(step(lifecycle, states, "late", late.get(i - JOINS_AT)));
            }
        }
        return out;
    }

    private static Seen step(KeyLifecycle lifecycle, Map<String, byte[]> states, String key, Event e) {
        byte[] bytes = states.get(key);
        DetectorState s = bytes == null ? lifecycle.detector().newState() : DetectorStateCodec.decode(bytes);
        KeyOutcome.Scored scored = (KeyOutcome.Scored) lifecycle.process(key, s, e);
        states.put(key, DetectorStateCodec.encode(s));
        return new Seen(s.modelVersion(), s.coldStart(), Double.doubleToRawLongBits(s.prediction()[0]),
                scored.rewarms());
    }

    @Test
    void shouldScoreAKeyWithoutItsOwnModelByTheSharedModelUntilItsOwnIsAccepted() {
        InMemoryModels models = new InMemoryModels();
        List<Seen> late = late(COLD, models);
        assertTrue(models.inForce(ModelScope.SHARED_MODEL_ID) != null, "early's requests trained a shared model");
        for (int i = 0; i < WARMUP; i++) {
            assertEquals(0, late.get(i).version(), "event " + (i + 1) + " of late is in warm-up: persistence");
        }
        // its first training is at its event 160; after event 160 + K its state is on its own model
        int ownAt = NONE.minTrainPoints() + K - 1;
        for (int i = (int) WARMUP; i < ownAt; i++) {
            assertTrue(late.get(i).cold(), "event " + (i + 1) + ": on the shared model");
            assertTrue(late.get(i).version() >= 1);
        }
        assertEquals(1, late.get((int) WARMUP).rewarms(), "warmed onto the shared model once past warm-up");
        assertFalse(late.get(ownAt).cold(), "its own model from event " + (ownAt + 1));
        assertEquals(1, late.get(ownAt).version());
        long sharedVersion = models.inForce(ModelScope.SHARED_MODEL_ID).info().version();
        assertTrue(sharedVersion > late.get(ownAt - 1).version(), "the shared model moved on after late's own came");
        for (int i = ownAt; i < late.size(); i++) {
            assertFalse(late.get(i).cold(), "event " + (i + 1) + " never goes back to the shared model");
        }
    }

    @Test
    void shouldPredictByTheSharedModelWherePersistenceWouldHave() {
        List<Seen> cold = late(COLD, new InMemoryModels());
        List<Seen> none = late(NONE, new InMemoryModels());
        for (int i = 0; i < WARMUP; i++) {
            assertEquals(none.get(i).predictionBits(), cold.get(i).predictionBits(), "warm-up event " + (i + 1));
        }
        assertTrue(none.stream().noneMatch(Seen::cold), "without cold start nothing is on the shared model");
        int ownAt = NONE.minTrainPoints() + K - 1;
        assertEquals(0, none.get(ownAt - 1).version(), "persistence until its own model");
        assertNotEquals(0L, none.get(ownAt).version());
        boolean differs = false;
        for (int i = (int) WARMUP; i < ownAt; i++) {
            differs |= none.get(i).predictionBits() != cold.get(i).predictionBits();
            assertEquals(Double.doubleToRawLongBits(LATE.get(i).values()[0]), none.get(i).predictionBits(),
                    "persistence predicts the last reading");
        }
        assertTrue(differs, "the shared model predicts the cold-start events instead of persistence");
    }
}
