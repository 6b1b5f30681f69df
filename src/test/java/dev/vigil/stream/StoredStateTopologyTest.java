package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.score.ScoringConfigs;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateBytes;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.Event;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.detect.HistoryWindowCodec;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.score.Scorer;
import dev.vigil.testutil.LegacyDetectorState;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.streams.state.KeyValueStore;
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

class StoredStateTopologyTest {
    private static final String KEY = "mixer-1";

    @TempDir
    Path stateDir;

    @Test
    void shouldStartAKeyAfreshWhenItsStoredStateIsCorruptOrOfAnotherShape() {
        DetectorConfig otherShape = new DetectorConfig(new LstmConfig(1, 4, 2, 1.0, true), DETECTOR.scoring());
        byte[] corrupt = DetectorStateCodec.encode(new Detector(DETECTOR).newState());
        corrupt[10] ^= 1;
        List<byte[]> unusable = List.of(corrupt, DetectorStateCodec.encode(new Detector(otherShape).newState()));
        Event e = new Event(SyntheticSeries.START, new double[] {4.5});
        for (byte[] stored : unusable) {
            try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
                KeyValueStore<String, byte[]> states = vigil.driver.getKeyValueStore(vigil.names.stateStore());
                states.put(KEY, stored);
                vigil.send(KEY, StreamFixtures.single(e.timestamp(), e.values()[0]), 0);
                OfflineReference fresh = new OfflineReference(DETECTOR, RETRAIN.historySize());
                DetectorResult expected = fresh.step(null, e);
                assertScoreRecord(KEY, expected, vigil.scoreValues().get(0), List.of());
                assertArrayEquals(DetectorStateCodec.encode(fresh.state()), vigil.state(KEY));
                assertEquals(1, vigil.total(VigilMetrics.STATE_DISCARDED));
            }
        }
    }

    /**
     * Entries a codec refuses (a newer release's format version, truncated bytes) never stop the stream nor are
     * scored from: the key's state, or its history, starts afresh and is counted; an intact entry of the same key is
     * kept. (The store is changelogged value for value, so the changelog holds the same bytes: resetting the key is
     * the only repair.)
     */
    @Test
    void shouldResetAKeyWhoseStoredEntryIsOfAnotherFormatVersionOrTruncated() {
        List<Event> events = SyntheticSeries.events(SyntheticSeries.seasonal(61, 8, 1, 16, 0.1, 5));
        Detector detector = new Detector(DETECTOR);
        DetectorState lived = detector.newState();
        HistoryWindow window = new HistoryWindow(RETRAIN.historySize(), 1);
        for (Event e : events.subList(0, 60)) {
            detector.step(null, lived, e);
            window.append(e.timestamp(), e.values());
        }
        byte[] state = DetectorStateCodec.encode(lived);
        byte[] newerState = state.clone();
        newerState[0] = (byte) (DetectorStateCodec.FORMAT_VERSION + 1);
        Event next = events.get(60);
        for (byte[] stored : List.of(newerState, java.util.Arrays.copyOf(state, state.length / 2))) {
            try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
                vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.stateStore()).put(KEY, state);
                vigil.putHistory(KEY, window);
                // the state value (which carries the history's head) goes bad; the closed blocks stay
                vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.stateStore()).put(KEY, stored);
                vigil.send(KEY, StreamFixtures.single(next.timestamp(), next.values()[0]), 0);
                OfflineReference fresh = new OfflineReference(DETECTOR, RETRAIN.historySize());
                assertScoreRecord(KEY, fresh.step(null, next), vigil.scoreValues().get(0), List.of());
                assertArrayEquals(DetectorStateCodec.encode(fresh.state()), vigil.state(KEY));
                assertEquals(1, vigil.total(VigilMetrics.STATE_DISCARDED));
            }
        }
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
            KeyValueStore<String, byte[]> histories = vigil.driver.getKeyValueStore(vigil.names.historyStore());
            // a state value whose history head is of another format version: the state is kept, the history restarts
            HistoryRing ring = new HistoryRing(histories);
            byte[] head = ring.encodeHead(ring.write(KEY, window, null));
            head[0] = (byte) (HistoryRing.FORMAT_VERSION + 1);
            vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.stateStore()).put(KEY,
                    DetectorStateCodec.encode(DetectorStateCodec.decode(state), head));
            vigil.send(KEY, StreamFixtures.single(next.timestamp(), next.values()[0]), 0);
            DetectorState continued = DetectorStateCodec.decode(state);
            assertScoreRecord(KEY, detector.step(null, continued, next), vigil.scoreValues().get(0), List.of());
            HistoryWindow restarted = new HistoryWindow(RETRAIN.historySize(), 1);
            restarted.append(next.timestamp(), next.values());
            assertArrayEquals(HistoryWindowCodec.encode(restarted), vigil.history(KEY));
            assertEquals(1, vigil.total(VigilMetrics.STATE_DISCARDED));
        }
    }

    @Test
    void shouldKeepTheNewestReadingsWhenTheHistorySizeChanged() {
        List<Event> events = SyntheticSeries.events(SyntheticSeries.seasonal(101, 8, 1, 16, 0.1, 4));
        HistoryWindow longer = new HistoryWindow(RETRAIN.historySize() + 36, 1);
        Detector detector = new Detector(DETECTOR);
        DetectorState state = detector.newState();
        for (Event e : events.subList(0, 100)) {
            detector.step(null, state, e);
            longer.append(e.timestamp(), e.values());
        }
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
            vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.stateStore()).put(KEY, DetectorStateCodec.encode(state));
            vigil.putHistory(KEY, longer);
            Event last = events.get(100);
            vigil.send(KEY, StreamFixtures.single(last.timestamp(), last.values()[0]), 0);
            HistoryWindow expected = new HistoryWindow(RETRAIN.historySize(), 1);
            List<Event> newest = new ArrayList<>(events.subList(101 - RETRAIN.historySize(), 101));
            for (Event e : newest) {
                expected.append(e.timestamp(), e.values());
            }
            assertArrayEquals(HistoryWindowCodec.encode(expected), vigil.history(KEY));
            JsonNode score = vigil.scoreValues().get(0);
            assertEquals(0, score.get("modelVersion").asLong());
            assertEquals(0, vigil.total(VigilMetrics.STATE_DISCARDED));
        }
    }

    @Test
    void shouldCarryAHistoryOfThePreviousReleaseIntoTheCurrentFormat() {
        List<Event> events = SyntheticSeries.events(SyntheticSeries.seasonal(41, 8, 1, 16, 0.1, 4));
        Detector detector = new Detector(BEFORE_RHYTHM);
        DetectorState state = detector.newState();
        HistoryWindow expected = new HistoryWindow(RETRAIN.historySize(), 1);
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), BEFORE_RHYTHM, RETRAIN, stateDir)) {
            KeyValueStore<String, byte[]> histories = vigil.driver.getKeyValueStore(vigil.names.historyStore());
            for (int i = 0; i < 40; i++) {
                Event e = events.get(i);
                detector.step(null, state, e);
                expected.append(e.timestamp(), e.values());
                // format 2: one entry per reading, slot i (the ring has not wrapped)
                histories.put(HistoryRing.legacySlotKey(KEY, i), HistoryRingTest.legacyReading(e.timestamp(), e.values()[0]));
            }
            histories.put(HistoryRing.headKey(KEY), HistoryRingTest.legacyHead(RETRAIN.historySize(), 1, 40, 40));
            vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.stateStore()).put(KEY, formatFour(state));

            Event last = events.get(40);
            vigil.send(KEY, StreamFixtures.single(last.timestamp(), last.values()[0]), 0);

            expected.append(last.timestamp(), last.values());
            assertEquals(null, histories.get(HistoryRing.headKey(KEY)), "the head moved into the state value");
            assertEquals(HistoryRing.FORMAT_VERSION,
                    HistoryHead.decode(DetectorStateBytes.historyHead(vigil.storedState(KEY))).version());
            assertArrayEquals(HistoryWindowCodec.encode(expected), vigil.history(KEY));
            for (int i = 0; i < 40; i++) {
                assertEquals(null, histories.get(HistoryRing.legacySlotKey(KEY, i)), "format-2 entry " + i + " deleted");
            }
            assertEquals(0, vigil.total(VigilMetrics.STATE_DISCARDED));
        }
    }

    @Test
    void shouldMoveTheHistoryHeadOfThePreviousReleaseIntoTheStateValue() {
        // the previous release: a format-4 state, the ring's head (format 3) under its own entry in the history store
        List<Event> events = SyntheticSeries.events(SyntheticSeries.seasonal(71, 8, 1, 16, 0.1, 4));
        Detector detector = new Detector(BEFORE_RHYTHM);
        DetectorState state = detector.newState();
        HistoryWindow expected = new HistoryWindow(RETRAIN.historySize(), 1);
        for (Event e : events.subList(0, 70)) {
            detector.step(null, state, e);
            expected.append(e.timestamp(), e.values());
        }
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), BEFORE_RHYTHM, RETRAIN, stateDir)) {
            KeyValueStore<String, byte[]> histories = vigil.driver.getKeyValueStore(vigil.names.historyStore());
            HistoryRing ring = new HistoryRing(histories);
            histories.put(HistoryRing.headKey(KEY), ring.encodeHead(ring.write(KEY, expected, null)));
            vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.stateStore()).put(KEY, formatFour(state));
            assertArrayEquals(HistoryWindowCodec.encode(expected), vigil.history(KEY), "read beside a format-4 state");

            Event last = events.get(70);
            vigil.send(KEY, StreamFixtures.single(last.timestamp(), last.values()[0]), 0);
            // what the format-4 state lacks (count flags, drift section) starts as its decoder derives it
            DetectorState upgraded = DetectorStateCodec.decode(formatFour(state));
            detector.step(null, upgraded, last);
            state = upgraded;
            expected.append(last.timestamp(), last.values());
            assertEquals(null, histories.get(HistoryRing.headKey(KEY)), "the head entry deleted");
            assertEquals(DetectorStateCodec.VERSION_WITHOUT_OFFSET, vigil.storedState(KEY)[0]);
            assertArrayEquals(HistoryWindowCodec.encode(expected), vigil.history(KEY));
            assertArrayEquals(DetectorStateCodec.encode(state), vigil.state(KEY));
            assertEquals(0, vigil.total(VigilMetrics.STATE_DISCARDED));
        }
    }

    /**
     * The test detector without the rhythm signal and the window novelty: a format-4 state has no place for either.
     */
    private static final DetectorConfig BEFORE_RHYTHM = new DetectorConfig(DETECTOR.lstm(),
            ScoringConfigs.with(DETECTOR.scoring(), "rhythmHalfLife", 0, "noveltyWindow", 0));

    /**
     * The state as the release before state format 5 stored it: without the count and drift section (format 6; one
     * channel), the run count (format 8), the jumps (format 10), the spike rule (11), the time-of-day profile (12), the
     * cold-start flag (format 7), the history head and its length.
     */
    static byte[] formatFour(DetectorState state) {
        // its rings of recent raw values as doubles (as before format 13)
        byte[] current = LegacyDetectorState.ringsAsDoubles(DetectorStateCodec.encode(state));
        // without what formats 6 (counts, drift), 8 (run count), 10 (jumps), 11 (spike rule), 12 (time-of-day profile),
        // 7 (cold-start flag) and 9 (first event time) added
        int added = (1 + 8 + 8 + 2 + 8 + 8 + 8) + 8 + (3 * 8 + 8) + (2 * Scorer.SPIKE_WIDTHS * 8 + 8)
                + 4 * Scorer.HOUR_BINS + 1 + 8;
        return LegacyDetectorState.sealed(Arrays.copyOf(current, current.length - 4 - added), 4);
    }
}
