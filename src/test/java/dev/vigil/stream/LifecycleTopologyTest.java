package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Event;
import dev.vigil.eval.SeriesReplay;
import dev.vigil.lifecycle.TrainingRequests;
import dev.vigil.lstm.TrainingConfig;
import dev.vigil.testutil.SyntheticSeries;
import dev.vigil.train.RetrainClock;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.vigil.stream.StreamFixtures.assertScoreRecord;
import static dev.vigil.stream.StreamFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream and the offline replay run one lifecycle ({@code KeyLifecycle}): for the same events they give the same
 * scores bit for bit, in per-key and in shared scope and with cold start (per-key scope, a late key scored by the
 * shared model until its own comes), with models trained and swapped on the way; and the background
 * trainer's speed (delivering before the swap point, never, or not there at all) changes nothing but where the
 * trainings run.
 */
class LifecycleTopologyTest {
    private static final List<String> KEYS = List.of("pump-1", "pump-2", "pump-3");
    private static final int EVENTS = 420;
    /** Cold start: per-key scope, keys without their own model scored by the shared model. */
    private static final String COLD_START = "cold-start";
    /** With cold start, the last key joins when the others have this many events (the fleet has a shared model). */
    private static final int LATE_JOIN = 200;
    /** Per-key scope with the keys' first trainings spread over {@link #SPREAD} events. */
    private static final String FIRST_SPREAD = "first-spread";
    private static final int SPREAD = 40;

    @TempDir
    Path stateDir;

    /** @param scenario a scope, {@link #COLD_START} or {@link #FIRST_SPREAD} */
    private static RetrainConfig retrain(String scenario) {
        TrainingConfig t = TrainingConfig.defaults();
        String scope = COLD_START.equals(scenario) || FIRST_SPREAD.equals(scenario) ? RetrainConfig.PER_KEY : scenario;
        return new RetrainConfig(160, 64, 120, 0, 0, false, 42L, scope, 32, 60_000, 1 << 20, 16,
                new TrainingConfig(4, t.batchSize(), t.bpttSteps() / 2, t.learningRate(), t.clipNorm(),
                        t.validationFraction(), t.patience()),
                COLD_START.equals(scenario) ? RetrainConfig.SHARED : RetrainConfig.COLD_START_NONE,
                FIRST_SPREAD.equals(scenario) ? SPREAD : 0);
    }

    /**
     * The three keys' events, interleaved as one partition sees them (t-th event of every key, then t+1); with cold
     * start the last key joins at t = {@link #LATE_JOIN}.
     */
    private static List<SeriesReplay.KeyedEvent> events(RetrainConfig retrain) {
        int join = retrain.coldStartShared() ? LATE_JOIN : 0;
        List<List<Event>> series = new ArrayList<>();
        for (int k = 0; k < KEYS.size(); k++) {
            double[] x = SyntheticSeries.seasonal(EVENTS, 10 + 5 * k, 2 + k, 24, 0.2, 100 + k);
            series.add(SyntheticSeries.events(SyntheticSeries.withSpike(SyntheticSeries.withLevelShift(x, 250, 3), 330, 8)));
        }
        List<SeriesReplay.KeyedEvent> out = new ArrayList<>();
        for (int t = 0; t < EVENTS; t++) {
            for (int k = 0; k < KEYS.size(); k++) {
                int from = k == KEYS.size() - 1 ? join : 0;
                if (t >= from) {
                    out.add(new SeriesReplay.KeyedEvent(KEYS.get(k), series.get(k).get(t - from)));
                }
            }
        }
        return out;
    }

    private Map<String, List<JsonNode>> stream(RetrainConfig retrain, TrainingRequests training, Path dir,
                                               double[] inLine) {
        TopologyConfig topology = StreamFixtures.singleValue();
        try (VigilDriver vigil = new VigilDriver(topology, StreamFixtures.DETECTOR, retrain, dir, Map.of(),
                new DecodedModels(AppConfig.DEFAULT_MODEL_CACHE_BYTES), training)) {
            for (SeriesReplay.KeyedEvent e : events(retrain)) {
                vigil.send(e.key(), StreamFixtures.single(e.event().timestamp(), e.event().values()[0]), 0);
            }
            Map<String, List<JsonNode>> byKey = new HashMap<>();
            for (TestRecord<String, byte[]> r : vigil.scoreRecords()) {
                byKey.computeIfAbsent(r.key(), x -> new ArrayList<>()).add(json(r.value()));
            }
            inLine[0] = vigil.total(VigilMetrics.TRAINED_IN_LINE);
            return byKey;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RetrainConfig.PER_KEY, RetrainConfig.SHARED, COLD_START, FIRST_SPREAD})
    void shouldScoreBitForBitLikeTheOfflineReplayWithModelsTrainedAndSwappedOnTheWay(String scope) {
        RetrainConfig retrain = retrain(scope);
        DetectorConfig detector = VigilTopology.detectorConfig(StreamFixtures.singleValue(), StreamFixtures.DETECTOR,
                retrain);
        Map<String, List<DetectorResult>> expected = new HashMap<>();
        SeriesReplay.Stats stats = new SeriesReplay(detector, retrain).run(events(retrain),
                (key, r) -> expected.computeIfAbsent(key, x -> new ArrayList<>()).add(r));
        Map<String, List<JsonNode>> actual = stream(retrain, TrainingRequests.IN_LINE, stateDir, new double[1]);
        for (String key : KEYS) {
            assertEquals(expected.get(key).size(), actual.get(key).size(), key);
            for (int t = 0; t < expected.get(key).size(); t++) {
                assertScoreRecord(key, expected.get(key).get(t), actual.get(key).get(t), List.of());
            }
        }
        assertTrue(stats.modelsAccepted() >= 2, "models were trained and swapped: " + stats);
        long lastVersion = actual.get("pump-1").get(EVENTS - 1).get("modelVersion").asLong();
        assertTrue(lastVersion >= 2, "retrained at least once, version " + lastVersion);
        if (retrain.coldStartShared()) {
            // the late key's own first model scores from its event minTrainPoints + k + 1: before, past warm-up, the
            // shared model does
            assertTrue(actual.get("pump-3").get(retrain.minTrainPoints() - 10).get("modelVersion").asLong() >= 1,
                    "the late key is scored by the fleet's shared model before its own exists");
            assertEquals(EVENTS - LATE_JOIN, actual.get("pump-3").size());
        }
        if (retrain.firstSpreadEvents() > 0) {
            // each key's first model takes effect its own phase of events later than without the spread
            Map<String, List<DetectorResult>> unspread = new HashMap<>();
            new SeriesReplay(detector, retrain(RetrainConfig.PER_KEY)).run(events(retrain),
                    (key, r) -> unspread.computeIfAbsent(key, x -> new ArrayList<>()).add(r));
            RetrainClock clock = new RetrainClock(retrain);
            Set<Integer> phases = new HashSet<>();
            for (String key : KEYS) {
                phases.add(clock.firstPhase(key));
                assertEquals(firstModelled(unspread.get(key)) + clock.firstPhase(key), firstModelled(expected.get(key)),
                        key + ", phase " + clock.firstPhase(key));
            }
            assertTrue(phases.size() > 1, "the keys' first trainings are spread: " + phases);
        }
    }

    /** Index of the first result scored by a model. */
    private static int firstModelled(List<DetectorResult> results) {
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).modelVersion() >= 1) {
                return i;
            }
        }
        return -1;
    }

    @ParameterizedTest
    @ValueSource(strings = {RetrainConfig.PER_KEY, RetrainConfig.SHARED, COLD_START, FIRST_SPREAD})
    void shouldGiveTheSameScoresWhetherTheBackgroundTrainerIsFastNeverDeliversOrIsAbsent(String scope) {
        RetrainConfig retrain = retrain(scope);
        DetectorConfig detector = VigilTopology.detectorConfig(StreamFixtures.singleValue(), StreamFixtures.DETECTOR,
                retrain);
        List<Runnable> never = new ArrayList<>();
        try (Metrics metrics = new Metrics()) {
            // the fast trainer trains each model on two threads (trainer.parallelism = 2): the same models as in line
            TopologyTrainer fast = trainer(retrain, detector, Runnable::run, 2, metrics, "fast");
            TopologyTrainer stuck = trainer(retrain, detector, never::add, 1, metrics, "stuck");
            double[] fastInLine = new double[1];
            double[] stuckInLine = new double[1];
            double[] absentInLine = new double[1];
            Map<String, List<JsonNode>> a = stream(retrain, fast, stateDir.resolve("fast"), fastInLine);
            Map<String, List<JsonNode>> b = stream(retrain, stuck, stateDir.resolve("stuck"), stuckInLine);
            Map<String, List<JsonNode>> c = stream(retrain, TrainingRequests.IN_LINE, stateDir.resolve("absent"),
                    absentInLine);
            assertEquals(a, b, "a trainer that never delivers: the keys train in line, same scores");
            assertEquals(a, c, "no trainer: same scores");
            // a real training thread beside the stream: keys find their trainings delivered, queued (trained in line)
            // or running (waited for), as timing has it; TopologyTrainerRequestsTest forces each case
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                TopologyTrainer beside = trainer(retrain, detector, pool, 1, metrics, "beside");
                Map<String, List<JsonNode>> d = stream(retrain, beside, stateDir.resolve("beside"), new double[1]);
                assertEquals(a, d, "a trainer running beside the stream: same scores");
            } finally {
                pool.shutdownNow();
            }
            assertEquals(0, fastInLine[0], "a trainer that delivers before the swap point: nothing trained in line");
            assertTrue(stuckInLine[0] > 0 && stuckInLine[0] == absentInLine[0], stuckInLine[0] + " " + absentInLine[0]);
            assertTrue(!never.isEmpty(), "the stuck trainer was asked");
        }
    }

    @Test
    void shouldTakeAModelEffectExactlySwapDelayEventsAfterItsTrainingPoint() {
        RetrainConfig retrain = retrain(RetrainConfig.PER_KEY);
        Map<String, List<JsonNode>> actual = stream(retrain, TrainingRequests.IN_LINE, stateDir, new double[1]);
        List<JsonNode> pump = actual.get("pump-1");
        // first training due at the key's event minTrainPoints; its model scores from event minTrainPoints + k + 1
        int firstScored = retrain.minTrainPoints() + retrain.swapDelayEvents();
        assertEquals(0, pump.get(firstScored - 1).get("modelVersion").asLong());
        assertEquals(1, pump.get(firstScored).get("modelVersion").asLong());
    }

    @Test
    void shouldTellOfTrainingsRunInLineAtMostOnceAMinute() {
        RetrainConfig retrain = retrain(RetrainConfig.PER_KEY);
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(InLineTrainings.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        double inLine;
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), StreamFixtures.DETECTOR, retrain,
                stateDir, Map.of(), new DecodedModels(AppConfig.DEFAULT_MODEL_CACHE_BYTES), TrainingRequests.IN_LINE)) {
            List<SeriesReplay.KeyedEvent> events = events(retrain);
            for (int i = 0; i < events.size(); i++) {
                if (i == events.size() / 2) {
                    vigil.driver.advanceWallClockTime(java.time.Duration.ofMinutes(2));
                }
                SeriesReplay.KeyedEvent e = events.get(i);
                vigil.send(e.key(), StreamFixtures.single(e.event().timestamp(), e.event().values()[0]), 0);
            }
            inLine = vigil.total(VigilMetrics.TRAINED_IN_LINE);
        } finally {
            logger.detachAppender(appender);
        }
        List<String> told = appender.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("ran in line on the stream thread")).toList();
        assertTrue(inLine >= 4, "no trainer: every training in line, " + inLine);
        // the first at once, the rest of that minute held; after two minutes the next tells of all since
        assertEquals(2, told.size(), told.toString());
        assertTrue(told.get(0).contains(": 1 model training(s) ran in line") && !told.get(0).contains("in the last"),
                told.get(0));
        assertTrue(told.get(1).contains("in the last 120 s") && told.get(1).contains("retrain.firstSpreadEvents"),
                told.get(1));
    }

    private static TopologyTrainer trainer(RetrainConfig retrain, DetectorConfig detector,
                                           java.util.concurrent.Executor pool, int parallelism, Metrics metrics,
                                           String id) {
        return new TopologyTrainer(StreamFixtures.singleValue(), id, detector, retrain, pool, parallelism, metrics);
    }
}
