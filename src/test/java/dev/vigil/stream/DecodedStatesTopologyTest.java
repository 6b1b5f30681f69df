package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.AppConfig;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.Event;
import dev.vigil.lifecycle.TrainingRequests;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.vigil.stream.StreamFixtures.DETECTOR;
import static dev.vigil.stream.StreamFixtures.RETRAIN;
import static dev.vigil.stream.StreamFixtures.assertScoreRecord;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The detector's decoded states ({@link DecodedStates}): a key is scored from the state it last saved without reading
 * its store; a key whose event was refused is read from the store again; with {@code states.cache.bytes = 0} every
 * event reads the store. Each case overwrites the key's stored state behind the detector's back with bytes that do
 * not decode: whether the next event finds them (and starts the key afresh, counted) shows where its state came from.
 */
class DecodedStatesTopologyTest {
    private static final String KEY = "pump-7";
    private static final List<Event> EVENTS = SyntheticSeries.events(SyntheticSeries.seasonal(40, 8, 1, 16, 0.1, 3));

    @TempDir
    Path stateDir;

    private VigilDriver driver(long stateCacheBytes) {
        return driver(new DecodedStates(stateCacheBytes));
    }

    private VigilDriver driver(DecodedStates states) {
        return new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir, Map.of(),
                new DecodedModels(AppConfig.DEFAULT_MODEL_CACHE_BYTES), TrainingRequests.NONE, states);
    }

    private static void send(VigilDriver vigil, Event e) {
        vigil.send(KEY, StreamFixtures.single(e.timestamp(), e.values()[0]), 0);
    }

    private static void spoil(VigilDriver vigil) {
        KeyValueStore<String, byte[]> states = vigil.driver.getKeyValueStore(vigil.names.stateStore());
        byte[] bad = states.get(KEY).clone();
        bad[10] ^= 1;
        states.put(KEY, bad);
    }

    @Test
    void shouldScoreAKeyFromTheStateItSavedAndReadTheStoreAgainAfterARefusedEvent() {
        OfflineReference reference = new OfflineReference(DETECTOR, RETRAIN.historySize());
        try (VigilDriver vigil = driver(AppConfig.DEFAULT_STATE_CACHE_BYTES)) {
            for (Event e : EVENTS.subList(0, 30)) {
                send(vigil, e);
                reference.step(null, e);
            }
            spoil(vigil);
            send(vigil, EVENTS.get(30));
            List<JsonNode> scores = vigil.scoreValues();
            assertScoreRecord(KEY, reference.step(null, EVENTS.get(30)), scores.get(scores.size() - 1), List.of());
            assertEquals(0, vigil.total(VigilMetrics.STATE_DISCARDED), "the spoilt value was never read");
            assertArrayEquals(DetectorStateCodec.encode(reference.state()), DetectorStateCodec.encode(
                    DetectorStateCodec.decode(vigil.state(KEY))), "and was overwritten by the event's state");

            spoil(vigil);
            send(vigil, EVENTS.get(10));
            assertEquals(1, vigil.dlq.readRecordsToList().size(), "an event before the key's latest is refused");
            send(vigil, EVENTS.get(31));
            assertEquals(1, vigil.total(VigilMetrics.STATE_DISCARDED), "after the refusal the store was read");
            OfflineReference fresh = new OfflineReference(DETECTOR, RETRAIN.historySize());
            scores = vigil.scoreValues();
            assertScoreRecord(KEY, fresh.step(null, EVENTS.get(31)), scores.get(scores.size() - 1), List.of());
        }
    }

    @Test
    void shouldReadEveryStateFromTheStoreWithABoundOfZero() {
        try (VigilDriver vigil = driver(0)) {
            for (Event e : EVENTS.subList(0, 30)) {
                send(vigil, e);
            }
            spoil(vigil);
            send(vigil, EVENTS.get(30));
            assertEquals(1, vigil.total(VigilMetrics.STATE_DISCARDED));
        }
    }

    @Test
    void shouldDropADetectorsStatesWhenItsProcessorCloses() {
        DecodedStates states = new DecodedStates(AppConfig.DEFAULT_STATE_CACHE_BYTES);
        try (VigilDriver vigil = driver(states)) {
            for (Event e : EVENTS.subList(0, 20)) {
                send(vigil, e);
            }
            assertEquals(1, states.size());
            assertEquals(DecodedStates.entryBytes(vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.stateStore())
                    .get(KEY).length, 1), states.bytes(), "counted by its stored value, state and history head");
        }
        assertEquals(0, states.size(), "a closed task's states are dropped");
        assertEquals(0, states.bytes());
        try (VigilDriver vigil = driver(states)) {
            // the test driver wipes its state directory when it closes: the next one finds an empty store, and the
            // state its predecessor held for the key is not used
            send(vigil, EVENTS.get(20));
            List<JsonNode> scores = vigil.scoreValues();
            OfflineReference fresh = new OfflineReference(DETECTOR, RETRAIN.historySize());
            assertScoreRecord(KEY, fresh.step(null, EVENTS.get(20)), scores.get(scores.size() - 1), List.of());
            assertEquals(1, states.size());
        }
    }
}
