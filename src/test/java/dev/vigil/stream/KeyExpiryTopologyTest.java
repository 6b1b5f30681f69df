package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.TopologyConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.vigil.stream.StreamFixtures.DETECTOR;
import static dev.vigil.stream.StreamFixtures.RETRAIN;
import static dev.vigil.stream.StreamFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forgetting keys. {@code keyIdleExpiryMs}: a key that falls silent is forgotten once the newest event time its task
 * has scored is that far past its latest: its state and every history entry deleted, its model retracted from the
 * models topic, its open alert closed with reason {@code expired}; the other keys score exactly as without the
 * setting; the forgotten key starts afresh when it sends again. A request on the input topic ({@link ForgetRequests},
 * as {@code vigil forget} writes it) does the same at once, also through a topology keyed by a value field; a null
 * value without the request's header is still a dead letter.
 */
class KeyExpiryTopologyTest {
    private static final long T0 = 1_767_225_600_000L;
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final String GONE = "pump-gone";
    private static final String ALIVE = "pump-alive";

    @TempDir
    Path dir;

    private static TopologyConfig topology(long expiryMs) {
        TopologyConfig t = StreamFixtures.singleValue();
        return new TopologyConfig(t.name(), t.inputTopic(), t.keyField(), t.channels(), t.timestampField(),
                t.allowedLatenessMs(), t.maxRecordBytes(), t.scoresTopic(), t.alertsTopic(), t.dlqTopic(),
                t.modelsTopic(), t.detector(), t.maxFutureMs(), t.minEventTimeMs(), t.counters(), expiryMs);
    }

    private static double reading(int i, double level) {
        return level + Math.sin(i / 5.0) + 0.1 * ((i * 7919) % 13);
    }

    /**
     * Both keys send 100 readings a minute apart ({@link #GONE} gets a model after 40 and ends on a leap far past its
     * range, which opens an alert); then {@link #ALIVE} alone sends {@code aliveMinutes} more.
     */
    private static Run run(Path stateDir, long expiryMs, int aliveMinutes) {
        try (VigilDriver vigil = new VigilDriver(topology(expiryMs), DETECTOR, RETRAIN, stateDir)) {
            var models = vigil.driver.createOutputTopic(vigil.topology.modelsTopic(), new StringDeserializer(),
                    new ByteArrayDeserializer());
            for (int i = 0; i < 100; i++) {
                long ts = T0 + i * MINUTE;
                if (i == 40) {
                    vigil.publish(GONE, StreamFixtures.payload(DETECTOR, GONE, 1, 3));
                }
                vigil.send(GONE, StreamFixtures.single(ts, i == 99 ? 500.0 : reading(i, 10)), ts);
                vigil.send(ALIVE, StreamFixtures.single(ts, reading(i, 20)), ts);
            }
            for (int i = 100; i < 100 + aliveMinutes; i++) {
                long ts = T0 + i * MINUTE;
                vigil.send(ALIVE, StreamFixtures.single(ts, reading(i, 20)), ts);
            }
            Run r = new Run();
            for (TestRecord<String, byte[]> s : vigil.scoreRecords()) {
                (s.key().equals(GONE) ? r.goneScores : r.aliveScores).add(json(s.value()));
            }
            vigil.alerts.readRecordsToList().forEach(a -> r.alerts.add(json(a.value())));
            r.modelRecords = models.readRecordsToList();
            r.goneState = vigil.storedState(GONE);
            r.aliveState = vigil.storedState(ALIVE);
            r.goneHistoryEntries = entries(vigil.driver.getKeyValueStore(vigil.names.historyStore()), GONE);
            r.goneModel = vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.modelStore()).get(GONE);
            r.expired = vigil.total(VigilMetrics.KEYS_EXPIRED);
            r.keysHeld = vigil.keys.total();
            // the forgotten key sends again: a fresh key, in warm-up, with no model
            long back = T0 + (101 + aliveMinutes) * MINUTE;
            vigil.send(GONE, StreamFixtures.single(back, 10.0), back);
            r.comeBack = json(vigil.scoreRecords().get(0).value());
            return r;
        }
    }

    private static List<String> entries(KeyValueStore<String, byte[]> store, String key) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> e = all.next();
                if (e.key.startsWith(key + "#")) {
                    keys.add(e.key);
                }
            }
        }
        return keys;
    }

    private static final class Run {
        final List<JsonNode> goneScores = new ArrayList<>();
        final List<JsonNode> aliveScores = new ArrayList<>();
        final List<JsonNode> alerts = new ArrayList<>();
        List<TestRecord<String, byte[]>> modelRecords;
        byte[] goneState;
        byte[] aliveState;
        List<String> goneHistoryEntries;
        byte[] goneModel;
        double expired;
        long keysHeld;
        JsonNode comeBack;
    }

    @Test
    void shouldForgetASilentKeyWholeAndLeaveTheOthersAsTheyWere() {
        Run kept = run(dir.resolve("kept"), 0, 240);
        Run expiring = run(dir.resolve("expiring"), 2 * HOUR, 240);

        // without the setting the silent key keeps everything
        assertNotNull(kept.goneState);
        assertFalse(kept.goneHistoryEntries.isEmpty(), "its history has blocks: " + kept.goneHistoryEntries);
        assertNotNull(kept.goneModel);
        assertEquals(0, kept.expired);
        assertEquals(1, kept.goneScores.get(99).get("modelVersion").asLong());
        assertTrue(kept.goneScores.get(99).get("alertOpen").asBoolean(), "the leap opened an alert");

        // with it, once the newest event time is two hours past the key's latest, the key is gone from every store
        assertTrue(expiring.goneState == null, "the state is deleted");
        assertEquals(List.of(), expiring.goneHistoryEntries);
        assertTrue(expiring.goneModel == null, "the tombstone reached the model store");
        assertEquals(1, expiring.expired);
        assertEquals(2, kept.keysHeld);
        assertEquals(1, expiring.keysHeld, "the count follows the keys held");
        List<TestRecord<String, byte[]>> tombstones = expiring.modelRecords.stream()
                .filter(m -> m.key().equals(GONE) && m.value() == null).toList();
        assertEquals(1, tombstones.size(), "one tombstone for the key's model");
        JsonNode closed = expiring.alerts.get(expiring.alerts.size() - 1);
        assertEquals(GONE, closed.get("key").asText());
        assertEquals("closed", closed.get("type").asText());
        assertEquals("expired", closed.get("reason").asText());
        assertEquals(1, closed.get("modelVersion").asLong());
        assertTrue(closed.get("detail").asText().contains("keyIdleExpiryMs 7200000"), closed.toString());

        // the live key is untouched: the same scores and the same stored state as without the setting
        assertEquals(kept.aliveScores, expiring.aliveScores);
        assertTrue(java.util.Arrays.equals(kept.aliveState, expiring.aliveState));
        assertEquals(kept.goneScores, expiring.goneScores);

        // the forgotten key starts afresh; the kept one carries on with its model and its open alert
        assertTrue(expiring.comeBack.get("warmup").asBoolean());
        assertEquals(0, expiring.comeBack.get("modelVersion").asLong());
        assertFalse(expiring.comeBack.get("alertOpen").asBoolean());
        assertFalse(kept.comeBack.get("warmup").asBoolean());
        assertEquals(1, kept.comeBack.get("modelVersion").asLong());
    }

    @Test
    void shouldKeepAKeyThatFellSilentForLessThanTheSetting() {
        Run r = run(dir, 2 * HOUR, 100);
        assertNotNull(r.goneState);
        assertEquals(0, r.expired);
        assertNotNull(r.goneModel);
        assertEquals(1, r.comeBack.get("modelVersion").asLong());
    }

    @Test
    void shouldRefuseAnExpiryShorterThanAMinuteNamingTheKey() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.vigil.BadConfigException.class,
                () -> topology(59_999));
        assertTrue(e.getMessage().startsWith("keyIdleExpiryMs must be 0 or in [60000,"), e.getMessage());
    }

    @Test
    void shouldForgetAKeyAtARequestAndDeadLetterAPlainNull() {
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, dir)) {
            var models = vigil.driver.createOutputTopic(vigil.topology.modelsTopic(), new StringDeserializer(),
                    new ByteArrayDeserializer());
            for (int i = 0; i < 60; i++) {
                long ts = T0 + i * MINUTE;
                if (i == 30) {
                    vigil.publish(GONE, StreamFixtures.payload(DETECTOR, GONE, 1, 3));
                }
                vigil.send(GONE, StreamFixtures.single(ts, i == 59 ? 500.0 : reading(i, 10)), ts);
                vigil.send(ALIVE, StreamFixtures.single(ts, reading(i, 20)), ts);
            }
            byte[] alive = vigil.storedState(ALIVE);
            assertEquals(2, vigil.keys.total());
            // a new key whose first event is refused (no reading) is not counted
            vigil.send("pump-new", "{\"ts\":" + (T0 + 60 * MINUTE) + "}", T0 + 60 * MINUTE);
            assertEquals(2, vigil.keys.total());
            long at = T0 + 61 * MINUTE;
            vigil.send(VigilDriver.utf8(GONE), null, at, ForgetRequests.headers("test"));
            vigil.send(VigilDriver.utf8(ALIVE), null, at, new org.apache.kafka.common.header.internals.RecordHeaders());

            assertTrue(vigil.storedState(GONE) == null, "the state is deleted");
            assertEquals(List.of(), entries(vigil.driver.getKeyValueStore(vigil.names.historyStore()), GONE));
            assertTrue(vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.modelStore()).get(GONE) == null);
            assertEquals(1, models.readRecordsToList().stream().filter(m -> m.key().equals(GONE) && m.value() == null)
                    .count());
            List<JsonNode> alerts = vigil.alerts.readRecordsToList().stream().map(a -> json(a.value())).toList();
            JsonNode closed = alerts.get(alerts.size() - 1);
            assertEquals(GONE, closed.get("key").asText());
            assertEquals("deleted", closed.get("reason").asText());
            assertEquals(at, closed.get("ts").asLong());
            assertEquals(1, vigil.total(VigilMetrics.KEYS_DELETED));
            assertEquals(1, vigil.keys.total());
            // a null value without the header: a dead letter, and the key keeps its state
            var dead = vigil.dlq.readRecordsToList();
            assertEquals(2, dead.size(), "the refused first event and the bare null");
            assertEquals("MISSING_VALUE", DeadLetterHeaders.text(dead.get(1).headers(), DeadLetterHeaders.REASON));
            assertTrue(java.util.Arrays.equals(alive, vigil.storedState(ALIVE)));
        }
    }

    @Test
    void shouldForgetAKeyAtARequestThroughAValueFieldKeyedTopology() {
        TopologyConfig keyed = StreamFixtures.topology("keyed", "sensorId", List.of(), 0);
        try (VigilDriver vigil = new VigilDriver(keyed, DETECTOR, RETRAIN, dir)) {
            for (int i = 0; i < 40; i++) {
                long ts = T0 + i * MINUTE;
                vigil.send("device-7", "{\"sensorId\":\"" + GONE + "\",\"ts\":" + ts + ",\"value\":" + reading(i, 10)
                        + "}", ts);
            }
            assertNotNull(vigil.storedState(GONE));
            vigil.send(VigilDriver.utf8(GONE), null, T0 + 41 * MINUTE, ForgetRequests.headers("test"));
            assertTrue(vigil.storedState(GONE) == null, "the state is deleted");
            assertEquals(1, vigil.total(VigilMetrics.KEYS_DELETED));
            assertEquals(List.of(), vigil.dlq.readRecordsToList());
        }
    }

    @Test
    void shouldForgetTheKeysOfAPartitionGoneSilentAsTheWallClockMovesOn() {
        try (VigilDriver vigil = new VigilDriver(topology(2 * HOUR), DETECTOR, RETRAIN, dir)) {
            for (int i = 0; i < 100; i++) {
                long ts = T0 + i * MINUTE;
                vigil.send(GONE, StreamFixtures.single(ts, reading(i, 10)), ts);
                vigil.send(ALIVE, StreamFixtures.single(ts, reading(i, 20)), ts);
            }
            vigil.driver.advanceWallClockTime(java.time.Duration.ofMinutes(90));
            assertNotNull(vigil.storedState(GONE), "silent for 90 minutes of wall time: kept");
            assertEquals(0, vigil.total(VigilMetrics.KEYS_EXPIRED));
            vigil.driver.advanceWallClockTime(java.time.Duration.ofMinutes(60));
            assertTrue(vigil.storedState(GONE) == null && vigil.storedState(ALIVE) == null, "both forgotten");
            assertEquals(2, vigil.total(VigilMetrics.KEYS_EXPIRED));
            assertEquals(0, vigil.keys.total());
        }
    }

    @Test
    void shouldStartATasksClockAtTheNewestEventItsStoresHold() {
        try (VigilDriver vigil = new VigilDriver(topology(2 * HOUR), DETECTOR, RETRAIN, dir)) {
            java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong();
            DetectorStores stores = new DetectorStores(
                    vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.stateStore()),
                    vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.historyStore()), DETECTOR, () -> null,
                    RETRAIN.historySize(), new org.apache.kafka.common.metrics.Metrics().sensor("discarded"),
                    new DecodedStates(1 << 20), held);
            assertEquals(Long.MIN_VALUE, stores.scans().countKeys(true));
            vigil.send(GONE, StreamFixtures.single(T0 + 5 * MINUTE, 1.0), T0);
            vigil.send(ALIVE, StreamFixtures.single(T0 + 3 * MINUTE, 1.0), T0);
            assertEquals(T0 + 5 * MINUTE, stores.scans().countKeys(true));
            assertEquals(2, held.get(), "and counts the keys");
            assertEquals(List.of(ALIVE), stores.scans().idleKeys(T0 + 4 * MINUTE));
            assertEquals(2, stores.scans().scanned());
        }
    }
}
