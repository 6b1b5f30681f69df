package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.Event;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.TrainingInfo;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.vigil.stream.StreamFixtures.DETECTOR;
import static dev.vigil.stream.StreamFixtures.RETRAIN;
import static dev.vigil.stream.StreamFixtures.assertScoreRecord;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelUpdateTopologyTest {
    private static final String KEY = "turbine-4";
    private static final int PHASE = 70;

    @TempDir
    Path stateDir;

    private static List<Event> events() {
        return SyntheticSeries.events(SyntheticSeries.seasonal(3 * PHASE, 10, 2, 20, 0.3, 21));
    }

    /** Sends {@code events[from, to)} and steps the offline reference with {@code model}. */
    private static void run(VigilDriver vigil, OfflineReference offline, LstmModel model, List<Event> events, int from,
                            int to, List<DetectorResult> expected) {
        for (Event e : events.subList(from, to)) {
            vigil.send(KEY, StreamFixtures.single(e.timestamp(), e.values()[0]), 0);
            expected.add(offline.step(model, e));
        }
    }

    private static void assertScores(List<DetectorResult> expected, List<JsonNode> actual) {
        assertEquals(expected.size(), actual.size());
        for (int t = 0; t < expected.size(); t++) {
            assertScoreRecord(KEY, expected.get(t), actual.get(t), List.of());
        }
    }

    @Test
    void shouldAdoptAPublishedModelVersionAndRewarmTheKeyFromItsHistory() {
        List<Event> events = events();
        LstmModel v1 = StreamFixtures.model(DETECTOR, KEY, 1, 5);
        LstmModel v2 = StreamFixtures.model(DETECTOR, KEY, 2, 6);
        OfflineReference offline = new OfflineReference(DETECTOR, RETRAIN.historySize());
        List<DetectorResult> expected = new ArrayList<>();
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
            run(vigil, offline, null, events, 0, PHASE, expected);
            vigil.publish(KEY, ModelCodec.encode(v1));
            run(vigil, offline, v1, events, PHASE, PHASE + 1, expected);
            // right after the first v1 event the stored state is the offline state re-warmed over the history
            assertArrayEquals(DetectorStateCodec.encode(offline.state()), vigil.state(KEY));
            run(vigil, offline, v1, events, PHASE + 1, 2 * PHASE, expected);
            vigil.publish(KEY, ModelCodec.encode(v2));
            run(vigil, offline, v2, events, 2 * PHASE, 3 * PHASE, expected);
            List<JsonNode> actual = vigil.scoreValues();
            assertScores(expected, actual);
            assertEquals(0, actual.get(PHASE - 1).get("modelVersion").asLong());
            assertEquals(1, actual.get(PHASE).get("modelVersion").asLong());
            assertEquals(2, actual.get(2 * PHASE).get("modelVersion").asLong());
            assertArrayEquals(DetectorStateCodec.encode(offline.state()), vigil.state(KEY));
            assertEquals(2, vigil.total(VigilMetrics.MODEL_SWAPS));
            assertEquals(2, vigil.total(VigilMetrics.MODELS_ACCEPTED));
        }
    }

    @Test
    void shouldRefuseCorruptOrMisfitModelPayloadsAndKeepTheModelInForce() {
        List<Event> events = events();
        LstmModel v1 = StreamFixtures.model(DETECTOR, KEY, 1, 5);
        byte[] good = ModelCodec.encode(v1);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x40;
        LstmConfig otherShape = new LstmConfig(1, 4, 1, 1.0, true);
        List<byte[]> refused = List.of(
                flipped,
                Arrays.copyOf(good, good.length - 9),
                "{\"not\": \"a model\"}".getBytes(),
                new byte[0],
                StreamFixtures.payload(new DetectorConfig(otherShape, DETECTOR.scoring()), KEY, 2, 5),
                StreamFixtures.payload(DETECTOR, "turbine-5", 2, 5),
                ModelCodec.encode(v1.withInfo(new TrainingInfo(KEY, 0, 5, 0, 0, 0, 0))));
        OfflineReference offline = new OfflineReference(DETECTOR, RETRAIN.historySize());
        List<DetectorResult> expected = new ArrayList<>();
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
            vigil.publish(KEY, good);
            run(vigil, offline, v1, events, 0, PHASE, expected);
            for (byte[] payload : refused) {
                vigil.publish(KEY, payload);
            }
            run(vigil, offline, v1, events, PHASE, 2 * PHASE, expected);
            List<JsonNode> actual = vigil.scoreValues();
            assertScores(expected, actual);
            assertTrue(actual.stream().allMatch(s -> s.get("modelVersion").asLong() == 1));
            assertEquals(refused.size(), vigil.total(VigilMetrics.MODELS_REFUSED));
            assertEquals(1, vigil.total(VigilMetrics.MODEL_SWAPS));
            assertArrayEquals(good, vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.modelStore()).get(KEY));
            assertTrue(vigil.dlq.isEmpty());
        }
    }

    @Test
    void shouldDecodeAnAcceptedModelOnceCachingItForTheKeysDetector() {
        DecodedModels decoded = new DecodedModels(dev.vigil.config.AppConfig.DEFAULT_MODEL_CACHE_BYTES);
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir,
                java.util.Map.of(), decoded)) {
            DecodedModels.Key id = new DecodedModels.Key(
                    vigil.names.modelStoreOfTask(new org.apache.kafka.streams.processor.TaskId(0, 0)), KEY);
            byte[] payload = ModelCodec.encode(StreamFixtures.model(DETECTOR, KEY, 1, 5));
            vigil.publish(KEY, payload);
            ModelCache.Entry accepted = decoded.get(id);
            assertTrue(accepted != null && accepted.model() != null, "cached as the updater accepted it");
            assertArrayEquals(payload, ModelCodec.encode(accepted.model()));
            assertEquals(PayloadFingerprint.of(payload), accepted.payload());
            vigil.send(KEY, StreamFixtures.single(1_000, 3.0), 1_000);
            assertSame(accepted, decoded.get(id), "the detector took the accepted model, not a new decode");
            // a refused payload is not cached: the accepted model stays in force
            vigil.publish(KEY, Arrays.copyOf(payload, payload.length - 3));
            assertSame(accepted, decoded.get(id));
            vigil.send(KEY, StreamFixtures.single(2_000, 3.0), 2_000);
            assertSame(accepted.model(), decoded.get(id).model());
        }
    }

    @Test
    void shouldKeepTheExactModelCountInTheGenerationEntry() {
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
            var store = vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.modelStore());
            assertEquals(0, ModelGeneration.models(store.get(ModelGeneration.KEY)), "no entry: nothing held");
            vigil.publish(KEY, ModelCodec.encode(StreamFixtures.model(DETECTOR, KEY, 1, 5)));
            vigil.publish("turbine-5", ModelCodec.encode(StreamFixtures.model(DETECTOR, "turbine-5", 1, 6)));
            vigil.publish(KEY, ModelCodec.encode(StreamFixtures.model(DETECTOR, KEY, 2, 7)));
            assertEquals(2, ModelGeneration.models(store.get(ModelGeneration.KEY)), "a new version replaces");
            vigil.publish("turbine-5", null);
            vigil.publish("no-such-model", null);
            assertEquals(1, ModelGeneration.models(store.get(ModelGeneration.KEY)), "a retraction removes, once");
            // an entry of the earlier format (no count) is counted over the store's keys at the next change
            store.put(ModelGeneration.KEY, java.nio.ByteBuffer.allocate(9).put((byte) 1).putLong(9).array());
            vigil.publish("turbine-6", ModelCodec.encode(StreamFixtures.model(DETECTOR, "turbine-6", 1, 8)));
            assertEquals(2, ModelGeneration.models(store.get(ModelGeneration.KEY)));
            assertEquals(10, ModelGeneration.decode(store.get(ModelGeneration.KEY)), "the generation goes on");
        }
    }

    @Test
    void shouldFallBackToPersistenceWhenTheModelIsRetractedAndRewarmWhenOneReturns() {
        List<Event> events = events();
        LstmModel v1 = StreamFixtures.model(DETECTOR, KEY, 1, 5);
        LstmModel v3 = StreamFixtures.model(DETECTOR, KEY, 3, 9);
        OfflineReference offline = new OfflineReference(DETECTOR, RETRAIN.historySize());
        List<DetectorResult> expected = new ArrayList<>();
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
            vigil.publish(KEY, ModelCodec.encode(v1));
            run(vigil, offline, v1, events, 0, PHASE, expected);
            vigil.publish(KEY, null);
            run(vigil, offline, null, events, PHASE, 2 * PHASE, expected);
            vigil.publish(KEY, ModelCodec.encode(v3));
            run(vigil, offline, v3, events, 2 * PHASE, 3 * PHASE, expected);
            assertScores(expected, vigil.scoreValues());
            assertEquals(1, vigil.total(VigilMetrics.MODELS_RETRACTED));
            assertTrue(vigil.dlq.isEmpty());
        }
    }

    /**
     * The model store's changelog (what a lost state directory is restored from) holds only accepted payloads: a
     * refused payload after a good one leaves the good one as the key's last changelog record.
     */
    @Test
    void shouldChangelogOnlyAcceptedPayloadsSoARestoreKeepsTheModelInForce() {
        byte[] v1 = StreamFixtures.payload(DETECTOR, KEY, 1, 5);
        byte[] v2 = StreamFixtures.payload(DETECTOR, KEY, 2, 6);
        byte[] corrupt = Arrays.copyOf(v2, v2.length - 9);
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
            TestOutputTopic<String, byte[]> changelog = vigil.driver.createOutputTopic(
                    "vigil-test-sensors-" + vigil.names.modelStore() + "-changelog", new StringDeserializer(),
                    new ByteArrayDeserializer());
            vigil.publish(KEY, v1);
            vigil.publish(KEY, corrupt);
            vigil.publish("turbine-5", v2);
            vigil.publish(KEY, v2);
            vigil.publish(KEY, corrupt);
            List<byte[]> logged = changelog.readRecordsToList().stream().filter(r -> KEY.equals(r.key()))
                    .map(TestRecord::value).toList();
            assertEquals(2, logged.size());
            assertArrayEquals(v1, logged.get(0));
            assertArrayEquals(v2, logged.get(1));
            assertEquals(3, vigil.total(VigilMetrics.MODELS_REFUSED));
        }
    }
}
