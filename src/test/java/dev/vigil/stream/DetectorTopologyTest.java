package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.AppConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.Event;
import dev.vigil.detect.HistoryWindowCodec;
import dev.vigil.eval.SeriesReplay;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.TrainingConfig;
import dev.vigil.testutil.SyntheticSeries;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.vigil.stream.StreamFixtures.DETECTOR;
import static dev.vigil.stream.StreamFixtures.RETRAIN;
import static dev.vigil.stream.StreamFixtures.assertScoreRecord;
import static dev.vigil.stream.StreamFixtures.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectorTopologyTest {
    private static final List<String> KEYS = List.of("pump-1", "pump-2", "pump-3");
    private static final int EVENTS = 150;
    /** pump-2 gets its model after this many of its events. */
    private static final int LATE_MODEL_AT = 60;

    @TempDir
    Path stateDir;

    private static List<Event> series(int k) {
        double[] x = SyntheticSeries.seasonal(EVENTS, 10 + k, 2, 24, 0.2, 100 + k);
        return SyntheticSeries.events(SyntheticSeries.withSpike(x, 110, 8));
    }

    /** With the default model cache, and with none (every event decodes its key's model again). */
    @ParameterizedTest
    @ValueSource(longs = {AppConfig.DEFAULT_MODEL_CACHE_BYTES, 0})
    void shouldScoreEveryKeyBitForBitLikeTheDetectorOfflineWithAndWithoutModels(long modelCacheBytes) {
        LstmModel model1 = StreamFixtures.model(DETECTOR, "pump-1", 1, 7);
        LstmModel model2 = StreamFixtures.model(DETECTOR, "pump-2", 4, 8);
        Map<String, OfflineReference> offline = new HashMap<>();
        Map<String, List<DetectorResult>> expected = new HashMap<>();
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir, Map.of(),
                new DecodedModels(modelCacheBytes))) {
            vigil.publish("pump-1", StreamFixtures.payload(DETECTOR, "pump-1", 1, 7));
            for (int t = 0; t < EVENTS; t++) {
                if (t == LATE_MODEL_AT) {
                    vigil.publish("pump-2", StreamFixtures.payload(DETECTOR, "pump-2", 4, 8));
                }
                for (int k = 0; k < KEYS.size(); k++) {
                    String key = KEYS.get(k);
                    Event e = series(k).get(t);
                    // one key writes ISO-8601 instants, the others epoch millis
                    String ts = k == 1 ? "\"" + Instant.ofEpochMilli(e.timestamp()) + "\"" : Long.toString(e.timestamp());
                    vigil.send(key, "{\"ts\":" + ts + ",\"value\":" + e.values()[0] + ",\"site\":\"north\"}", 0);
                    LstmModel model = k == 0 ? model1 : k == 1 && t >= LATE_MODEL_AT ? model2 : null;
                    expected.computeIfAbsent(key, x -> new ArrayList<>())
                            .add(offline.computeIfAbsent(key, x -> new OfflineReference(DETECTOR, RETRAIN.historySize()))
                                    .step(model, e));
                }
            }
            Map<String, List<JsonNode>> byKey = new HashMap<>();
            for (TestRecord<String, byte[]> r : vigil.scoreRecords()) {
                byKey.computeIfAbsent(r.key(), x -> new ArrayList<>()).add(json(r.value()));
            }
            for (String key : KEYS) {
                List<JsonNode> actual = byKey.get(key);
                assertEquals(EVENTS, actual.size(), key);
                for (int t = 0; t < EVENTS; t++) {
                    assertScoreRecord(key, expected.get(key).get(t), actual.get(t), List.of());
                }
                assertArrayEquals(DetectorStateCodec.encode(offline.get(key).state()), vigil.state(key), key);
                assertArrayEquals(HistoryWindowCodec.encode(offline.get(key).history()), vigil.history(key), key);
            }
            assertEquals(1, byKey.get("pump-1").get(0).get("modelVersion").asLong());
            assertEquals(0, byKey.get("pump-2").get(LATE_MODEL_AT - 1).get("modelVersion").asLong());
            assertEquals(4, byKey.get("pump-2").get(LATE_MODEL_AT).get("modelVersion").asLong());
            assertEquals(0, byKey.get("pump-3").get(EVENTS - 1).get("modelVersion").asLong());
            assertEquals(KEYS.size() * EVENTS, vigil.total(VigilMetrics.SCORED));
            assertEquals(2, vigil.total(VigilMetrics.MODEL_SWAPS));
            assertTrue(vigil.dlq.isEmpty());
        }
    }

    @Test
    void shouldScoreLikeTheOfflineReplayWhileAKeyHasNoModel() {
        // minTrainPoints above the series length: the replay never trains, like a stream before its first model
        RetrainConfig untrained = new RetrainConfig(2000, 2000, 1000, true, 42L, TrainingConfig.defaults());
        DetectorConfig config = DetectorConfig.defaults();
        List<Event> events = SyntheticSeries.events(SyntheticSeries.seasonal(300, 50, 5, 48, 0.5, 3));
        List<DetectorResult> expected = new ArrayList<>();
        new SeriesReplay(config, untrained).run("boiler", events, expected::add);
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), config, untrained, stateDir)) {
            for (Event e : events) {
                vigil.send("boiler", StreamFixtures.single(e.timestamp(), e.values()[0]), 0);
            }
            List<JsonNode> actual = vigil.scoreValues();
            assertEquals(events.size(), actual.size());
            for (int t = 0; t < events.size(); t++) {
                assertScoreRecord("boiler", expected.get(t), actual.get(t), List.of());
            }
        }
    }

    @Test
    void shouldTakeTheRecordTimestampWhenTheEventHasNone() {
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
            vigil.send("pump-9", "{\"value\": 1.5}", 1_767_225_600_000L);
            vigil.send("pump-9", "{\"ts\": null, \"value\": 1.75}", 1_767_225_660_000L);
            List<TestRecord<String, byte[]>> records = vigil.scoreRecords();
            assertEquals(1_767_225_600_000L, json(records.get(0).value()).get("ts").asLong());
            assertEquals(1_767_225_660_000L, json(records.get(1).value()).get("ts").asLong());
            assertEquals(1_767_225_660_000L, records.get(1).timestamp());
            assertTrue(records.get(1).headers().toArray().length == 0, "score records carry no headers");
        }
    }
}
