package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Event;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.testutil.PayloadMutations;
import dev.vigil.testutil.SyntheticSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.vigil.stream.StreamFixtures.DETECTOR;
import static dev.vigil.stream.StreamFixtures.RETRAIN;
import static dev.vigil.stream.StreamFixtures.assertScoreRecord;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The models topic under fuzz: a key's real model, then thousands of mutated copies of it between the key's events.
 * Copies whose checksum no longer matches (corruption in transit or at rest) are every one refused and counted, the
 * model in force and its stored payload stay, and every score is bit for bit the offline detector's with the real
 * model. Copies with the checksum recomputed are well-formed payloads as far as any reader can tell (a flipped bit
 * in a weight makes another valid model): each is refused or accepted, nothing else happens, the stream never stops
 * and the store holds the last accepted one.
 */
class ModelsTopicFuzzTest {
    private static final String KEY = "press-9";
    private static final int MUTATIONS = 2_000;
    private static final int PER_EVENT = 10;

    @TempDir
    Path stateDir;

    @Test
    void shouldRefuseEveryCorruptPayloadAndKeepScoringWithTheModelInForce() {
        int events = MUTATIONS / PER_EVENT;
        List<Event> series = SyntheticSeries.events(SyntheticSeries.seasonal(2 * events, 10, 2, 20, 0.3, 44));
        LstmModel real = StreamFixtures.model(DETECTOR, KEY, 1, 5);
        byte[] good = ModelCodec.encode(real);
        SplittableRandom random = new SplittableRandom(914);
        OfflineReference offline = new OfflineReference(DETECTOR, RETRAIN.historySize());
        List<DetectorResult> expected = new ArrayList<>();
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
            vigil.publish(KEY, good);
            for (int t = 0; t < events; t++) {
                for (int k = 0; k < PER_EVENT; k++) {
                    byte[] mutated = PayloadMutations.mutate(good, random);
                    if (!Arrays.equals(mutated, good)) {
                        vigil.publish(KEY, mutated);
                    } else {
                        k--;
                    }
                }
                Event e = series.get(t);
                vigil.send(KEY, StreamFixtures.single(e.timestamp(), e.values()[0]), 0);
                expected.add(offline.step(real, e));
            }
            List<JsonNode> actual = vigil.scoreValues();
            assertEquals(expected.size(), actual.size(), "every event is scored");
            for (int t = 0; t < expected.size(); t++) {
                assertScoreRecord(KEY, expected.get(t), actual.get(t), List.of());
            }
            assertTrue(actual.stream().allMatch(s -> s.get("modelVersion").asLong() == 1), "version 1 stays in force");
            assertEquals(MUTATIONS, vigil.total(VigilMetrics.MODELS_REFUSED), "every corrupt payload is refused");
            assertEquals(1, vigil.total(VigilMetrics.MODEL_SWAPS));
            assertArrayEquals(good, vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.modelStore()).get(KEY));
            assertTrue(vigil.dlq.isEmpty());
        }
    }

    @Test
    void shouldRefuseOrAcceptEveryWellFormedMutationAndKeepTheLastAcceptedOne() {
        LstmModel real = StreamFixtures.model(DETECTOR, KEY, 1, 5);
        byte[] good = ModelCodec.encode(real);
        List<Event> series = SyntheticSeries.events(SyntheticSeries.seasonal(MUTATIONS / PER_EVENT, 10, 2, 20, 0.3, 45));
        SplittableRandom random = new SplittableRandom(915);
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
            vigil.publish(KEY, good);
            byte[] lastAccepted = good;
            for (int i = 0; i < MUTATIONS; i++) {
                byte[] mutated = PayloadMutations.mutate(good, random);
                PayloadMutations.fixChecksum(mutated);
                double before = vigil.total(VigilMetrics.MODELS_ACCEPTED);
                vigil.publish(KEY, mutated);
                if (vigil.total(VigilMetrics.MODELS_ACCEPTED) > before) {
                    lastAccepted = mutated;
                }
                if (i % PER_EVENT == 0) {
                    Event e = series.get(i / PER_EVENT);
                    vigil.send(KEY, StreamFixtures.single(e.timestamp(), e.values()[0]), 0);
                }
            }
            double accepted = vigil.total(VigilMetrics.MODELS_ACCEPTED) - 1;
            assertEquals(MUTATIONS, vigil.total(VigilMetrics.MODELS_REFUSED) + accepted, "each is refused or accepted");
            assertTrue(vigil.total(VigilMetrics.MODELS_REFUSED) > MUTATIONS / 2, "most are refused");
            assertEquals(series.size(), vigil.scoreValues().size(), "every event is scored");
            assertArrayEquals(lastAccepted,
                    vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.modelStore()).get(KEY));
            assertTrue(vigil.dlq.isEmpty());
        }
    }
}
