package dev.vigil.stream;

import dev.vigil.config.AppConfig;
import dev.vigil.detect.DetectorStateBytes;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.lifecycle.TrainingRequests;
import dev.vigil.lstm.ModelCodec;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.vigil.stream.StreamFixtures.DETECTOR;
import static dev.vigil.stream.StreamFixtures.RETRAIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * States written behind their events ({@code states.replayEvents}, {@link WriteBehind}): the same scores as a state
 * written at every event, a key's state written once per R offsets of its partition with the offset of its latest
 * event, the replay offset at or before every unwritten event and moved on by R/2 or by wall time, a swap of a key's
 * model and a forgotten key writing at once. The replay after a restart runs against a real broker:
 * {@code CrashRecoveryIT}.
 */
class WriteBehindTopologyTest {
    private static final long R = 100;
    private static final String[] KEYS = {"pump-1", "pump-2", "pump-3"};
    private static final long T0 = 1_767_225_600_000L;

    @TempDir
    Path stateDir;

    private VigilDriver driver(long replayEvents, String dir) {
        return driver(replayEvents, dir, new HeldStates());
    }

    private VigilDriver driver(long replayEvents, String dir, HeldStates held) {
        return driver(replayEvents, dir, held, new DecodedStates(AppConfig.DEFAULT_STATE_CACHE_BYTES));
    }

    private VigilDriver driver(long replayEvents, String dir, HeldStates held, DecodedStates states) {
        return new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir.resolve(dir), Map.of(),
                new DecodedModels(AppConfig.DEFAULT_MODEL_CACHE_BYTES), TrainingRequests.NONE, states, replayEvents,
                held);
    }

    /** Event {@code i}: key i mod 3, a minute apart per key, a slow wave. */
    private static long send(VigilDriver vigil, int i) {
        String key = KEYS[i % KEYS.length];
        long at = T0 + (i / KEYS.length) * 60_000L;
        return vigil.send(key, StreamFixtures.single(at, 20 + 3 * Math.sin(i / 17.0)), at);
    }

    @Test
    void shouldScoreAsEveryEventWrittenWhileWritingEachKeyOncePerReplayEvents() {
        List<byte[]> everyEvent = new ArrayList<>();
        try (VigilDriver vigil = driver(0, "every")) {
            for (int i = 0; i < 450; i++) {
                send(vigil, i);
            }
            vigil.scoreRecords().forEach(r -> everyEvent.add(r.value()));
            for (String key : KEYS) {
                byte[] stored = vigil.storedState(key);
                assertEquals(DetectorStateCodec.VERSION_WITHOUT_OFFSET, stored[0], "no offset kept: 8 bytes less");
                assertEquals(DetectorStateCodec.NO_OFFSET, DetectorStateBytes.inputOffset(stored));
            }
            assertNull(replayFrom(vigil), "no replay offset when every event writes");
        }
        try (VigilDriver vigil = driver(R, "behind")) {
            KeyValueStore<String, byte[]> states = vigil.driver.getKeyValueStore(vigil.names.stateStore());
            int[] writes = new int[KEYS.length];
            long[] written = new long[KEYS.length];
            long[] latest = new long[KEYS.length];
            Arrays.fill(written, DetectorStateCodec.NO_OFFSET);
            for (int i = 0; i < 450; i++) {
                long offset = send(vigil, i);
                latest[i % KEYS.length] = offset;
                for (int k = 0; k < KEYS.length; k++) {
                    byte[] stored = states.get(KEYS[k]);
                    long at = stored == null ? DetectorStateCodec.NO_OFFSET : DetectorStateBytes.inputOffset(stored);
                    if (at != written[k]) {
                        writes[k]++;
                        written[k] = at;
                        assertEquals(latest[k], at, "a key is written with its latest event");
                    }
                    if (latest[k] > written[k]) {
                        long firstUnwritten = written[k] + KEYS.length;
                        assertTrue(replayFrom(vigil) <= Math.max(k, firstUnwritten), "replay offset "
                                + replayFrom(vigil) + " after key " + k + "'s first unwritten event " + firstUnwritten);
                        assertTrue(offset - firstUnwritten < R + KEYS.length, "held past R: " + offset);
                    }
                }
            }
            List<byte[]> behind = new ArrayList<>();
            vigil.scoreRecords().forEach(r -> behind.add(r.value()));
            assertEquals(everyEvent.size(), behind.size());
            for (int i = 0; i < behind.size(); i++) {
                assertArrayEquals(everyEvent.get(i), behind.get(i), "score " + i);
            }
            for (int k = 0; k < KEYS.length; k++) {
                // 150 events a key, a write at the first event R offsets after the first unwritten one
                assertTrue(writes[k] >= 3 && writes[k] <= 5, "key " + k + " written " + writes[k] + " times");
            }
            assertTrue(replayFrom(vigil) >= 450 - R - R / 2 - KEYS.length, "moved on: " + replayFrom(vigil));

            // a request to forget a key writes every state first, and the replay offset moves past it
            long forget = vigil.send(VigilDriver.utf8(KEYS[0]), null, T0, ForgetRequests.headers("test"));
            assertNull(states.get(KEYS[0]));
            for (int k = 1; k < KEYS.length; k++) {
                assertEquals(latest[k], DetectorStateBytes.inputOffset(states.get(KEYS[k])), "written at the request");
            }
            assertEquals(forget + 1, replayFrom(vigil));
        }
    }

    private static long sendKey(VigilDriver vigil, int key, int i) {
        long at = T0 + i * 20_000L;
        return vigil.send(KEYS[key], StreamFixtures.single(at, 20 + 3 * Math.sin(i / 17.0)), at);
    }

    @Test
    void shouldWriteARegularKeyAtItsOwnEventAndHandAQuietOneOverWithoutWritingItAgain() {
        // keys in turn until key 0 is written at its own event a second time; then only keys 1 and 2 for 2R + 1
        // events; then all three again. Key 0 goes quiet written: it is handed over, not written again.
        List<Integer> sent = new ArrayList<>();
        DecodedStates decoded = new DecodedStates(AppConfig.DEFAULT_STATE_CACHE_BYTES);
        List<byte[]> behind = new ArrayList<>();
        try (VigilDriver vigil = driver(R, "own", new HeldStates(), decoded)) {
            long[] written = new long[KEYS.length];
            Arrays.fill(written, DetectorStateCodec.NO_OFFSET);
            int quietFrom = -1;
            int ownWritesOfKey0 = 0;
            for (int i = 0; quietFrom < 0 || i < quietFrom + 2 * R + 61; i++) {
                boolean quiet = quietFrom >= 0 && i < quietFrom + 2 * R + 1;
                int key = quiet ? 1 + (i - quietFrom) % 2 : i % KEYS.length;
                sent.add(key);
                long offset = sendKey(vigil, key, i);
                for (int k = 0; k < KEYS.length; k++) {
                    byte[] stored = vigil.storedState(KEYS[k]);
                    long at = stored == null ? DetectorStateCodec.NO_OFFSET : DetectorStateBytes.inputOffset(stored);
                    if (at != written[k]) {
                        written[k] = at;
                        assertEquals(key, k, "a key whose events come in turn is written at its own event, " + i);
                        assertEquals(offset, at);
                        ownWritesOfKey0 += k == 0 ? 1 : 0;
                    }
                }
                if (quietFrom < 0) {
                    assertEquals(0, decoded.size(), "keys with events to come stay with their task");
                    assertEquals(Math.min(i + 1, KEYS.length), decoded.heldEntries(), "held by it");
                    quietFrom = ownWritesOfKey0 == 2 ? i + 1 : -1;
                } else if (quiet && i == quietFrom + 2 * R) {
                    assertEquals(1, decoded.size(), "the quiet key handed to the instance's cache");
                    assertEquals(2, decoded.heldEntries(), "the others still held");
                }
            }
            assertTrue(quietFrom > 2 * R, "written twice, each R offsets or so apart: " + quietFrom);
            vigil.scoreRecords().forEach(r -> behind.add(r.value()));
        }
        assertEquals(0, decoded.heldEntries(), "a closed task holds nothing");
        assertEquals(0, decoded.heldBytes());
        List<byte[]> everyEvent = new ArrayList<>();
        try (VigilDriver vigil = driver(0, "own-every")) {
            for (int i = 0; i < sent.size(); i++) {
                sendKey(vigil, sent.get(i), i);
            }
            vigil.scoreRecords().forEach(r -> everyEvent.add(r.value()));
        }
        assertEquals(everyEvent.size(), behind.size());
        for (int i = 0; i < behind.size(); i++) {
            assertArrayEquals(everyEvent.get(i), behind.get(i), "score " + i);
        }
    }

    @Test
    void shouldHoldNoKeyPastROffsetsNorBehindTheReplayOffsetWhateverItsEventsGaps() {
        String[] keys = {"k0", "k1", "k2", "k3", "k4"};
        java.util.Random random = new java.util.Random(7);
        int[] sent = new int[600];
        for (int i = 0; i < sent.length; i++) {
            // keys of every rhythm: one often, one in bursts, the others now and then
            sent[i] = random.nextInt(3) == 0 ? 0 : (i / 40) % 2 == 0 && random.nextBoolean() ? 1 : random.nextInt(5);
        }
        List<byte[]> everyEvent = new ArrayList<>();
        List<byte[]> behind = new ArrayList<>();
        for (long replayEvents : new long[] {0, 50}) {
            try (VigilDriver vigil = driver(replayEvents, "gaps-" + replayEvents)) {
                List<List<Long>> offsets = new ArrayList<>();
                for (String ignored : keys) {
                    offsets.add(new ArrayList<>());
                }
                for (int i = 0; i < sent.length; i++) {
                    long at = T0 + i * 30_000L;
                    long offset = vigil.send(keys[sent[i]], StreamFixtures.single(at, 20 + Math.sin(i / 9.0)), at);
                    offsets.get(sent[i]).add(offset);
                    for (int k = 0; replayEvents > 0 && k < keys.length; k++) {
                        byte[] stored = vigil.storedState(keys[k]);
                        long written = stored == null ? -1 : DetectorStateBytes.inputOffset(stored);
                        long firstUnwritten = offsets.get(k).stream().filter(o -> o > written).findFirst()
                                .orElse(Long.MAX_VALUE);
                        if (firstUnwritten != Long.MAX_VALUE) {
                            assertTrue(offset - firstUnwritten < replayEvents, keys[k] + " held past R at " + offset);
                            assertTrue(replayFrom(vigil) <= firstUnwritten, "replay offset after " + keys[k]
                                    + "'s first unwritten event " + firstUnwritten);
                        }
                    }
                }
                vigil.scoreRecords().forEach(r -> (replayEvents == 0 ? everyEvent : behind).add(r.value()));
            }
        }
        assertEquals(everyEvent.size(), behind.size());
        for (int i = 0; i < behind.size(); i++) {
            assertArrayEquals(everyEvent.get(i), behind.get(i), "score " + i);
        }
    }

    @Test
    void shouldKeepAStateReadForAnEventItHoldsAlreadySoThatAReplayDecodesItOnce() {
        DecodedStates decoded = new DecodedStates(AppConfig.DEFAULT_STATE_CACHE_BYTES);
        try (VigilDriver vigil = driver(R, "already", new HeldStates(), decoded)) {
            for (int i = 0; i < 300; i++) {
                send(vigil, i);
            }
            // the stores as the task starting again after a crash has them: its states restored, nothing cached
            DetectorStores restarted = new DetectorStores(vigil.driver.getKeyValueStore(vigil.names.stateStore()),
                    vigil.driver.getKeyValueStore(vigil.names.historyStore()), DETECTOR, () -> null,
                    RETRAIN.historySize(), new org.apache.kafka.common.metrics.Metrics().sensor("discarded"), decoded,
                    new java.util.concurrent.atomic.AtomicLong(), R);
            long written = DetectorStateBytes.inputOffset(vigil.storedState(KEYS[1]));
            int cached = decoded.size();
            DetectorState state = restarted.loadState(KEYS[1]);
            assertEquals(written, restarted.loadedOffset(), "read from the store");
            restarted.alreadyHeld(KEYS[1], state);
            assertEquals(cached + 1, decoded.size(), "kept for the key's next event the state holds");
            assertSame(state, restarted.loadState(KEYS[1]), "which does not read and decode it again");
            assertEquals(written, restarted.loadedOffset());
            restarted.alreadyHeld(KEYS[1], state);
            assertEquals(cached + 1, decoded.size());
            restarted.close();
        }
    }

    @Test
    void shouldWriteTheOldestHeldStatesEarlyPastTheInstancesHeapBound() {
        List<byte[]> everyEvent = new ArrayList<>();
        try (VigilDriver vigil = driver(0, "bound-every")) {
            for (int i = 0; i < 150; i++) {
                send(vigil, i);
            }
            vigil.scoreRecords().forEach(r -> everyEvent.add(r.value()));
        }
        // a bound of two states' estimated heap (states.cache.bytes; the held states may take as much again)
        long bound = 2 * DecodedStates.entryBytes(1_024, 1) + 100;
        DecodedStates small = new DecodedStates(bound);
        try (VigilDriver vigil = driver(1_000_000, "bound", new HeldStates(), small)) {
            boolean someHeld = false;
            for (int i = 0; i < 150; i++) {
                send(vigil, i);
                assertTrue(small.heldBytes() <= bound, "within the bound after event " + i + ": " + small.heldBytes());
                someHeld |= small.heldBytes() > 0;
            }
            assertTrue(someHeld, "states were held");
            int stored = 0;
            for (String key : KEYS) {
                stored += vigil.storedState(key) == null ? 0 : 1;
            }
            assertTrue(stored > 0, "the oldest written early although far from R offsets");
            List<byte[]> scores = new ArrayList<>();
            vigil.scoreRecords().forEach(r -> scores.add(r.value()));
            assertEquals(everyEvent.size(), scores.size());
            for (int i = 0; i < scores.size(); i++) {
                assertArrayEquals(everyEvent.get(i), scores.get(i), "score record " + i);
            }
        }
        assertEquals(0, small.heldBytes(), "a closed task holds nothing");
    }

    @Test
    void shouldWriteAKeyAtOnceWhenItsModelSwaps() {
        try (VigilDriver vigil = driver(R, "swap")) {
            for (int i = 0; i < 90; i++) {
                send(vigil, i);
            }
            assertNull(vigil.storedState(KEYS[1]), "held behind");
            vigil.publish(KEYS[1], ModelCodec.encode(StreamFixtures.model(DETECTOR, KEYS[1], 1, 5)));
            send(vigil, 90);
            assertNull(vigil.storedState(KEYS[1]), "still held: its next event has not come");
            long swapped = send(vigil, 91);
            byte[] stored = vigil.storedState(KEYS[1]);
            assertNotNull(stored, "its re-warm onto the new model is written with its event");
            assertEquals(swapped, DetectorStateBytes.inputOffset(stored));
            assertEquals(1, DetectorStateCodec.decode(stored).modelVersion());
        }
    }

    @Test
    void shouldWriteAStateHeldThirtySecondsOfWallTimeWhenThePartitionIsQuiet() {
        try (VigilDriver vigil = driver(1_000_000, "quiet")) {
            long last = 0;
            for (int i = 0; i < 30; i++) {
                last = send(vigil, i);
            }
            for (String key : KEYS) {
                assertNull(vigil.storedState(key), "held: far from R offsets, and just held");
            }
            assertEquals(0L, replayFrom(vigil), "the replay offset at the first held event");
            vigil.driver.advanceWallClockTime(java.time.Duration.ofMillis(WriteBehind.MAX_HELD_MS - 5_000));
            assertNull(vigil.storedState(KEYS[0]), "not yet");
            vigil.driver.advanceWallClockTime(java.time.Duration.ofMillis(10_000));
            for (int k = 0; k < KEYS.length; k++) {
                assertEquals(last - (KEYS.length - 1 - k), DetectorStateBytes.inputOffset(vigil.storedState(KEYS[k])),
                        "written by the task's check after " + WriteBehind.MAX_HELD_MS + " ms");
            }
            assertEquals(last + 1, replayFrom(vigil), "every event written: the replay offset after the latest");
        }
    }

    @Test
    void shouldMoveTheReplayOffsetOnByWallTimeThoughFarFewerThanHalfROffsetsPassed() {
        try (VigilDriver vigil = driver(1_000_000, "replay-by-time")) {
            long a = vigil.send("a", StreamFixtures.single(T0, 20.0), T0);
            passWallTime(vigil, WriteBehind.WRITE_CHECK_MS);
            long b = vigil.send("b", StreamFixtures.single(T0 + 60_000L, 21.0), T0 + 60_000L);
            passWallTime(vigil, 15_000);
            long c = vigil.send("c", StreamFixtures.single(T0 + 120_000L, 22.0), T0 + 120_000L);
            assertEquals(a, replayFrom(vigil), "stored at the first held event");
            passWallTime(vigil, 10_000);
            assertNotNull(vigil.storedState("a"), "written after " + WriteBehind.MAX_HELD_MS + " ms");
            assertNull(vigil.storedState("b"));
            assertEquals(b, replayFrom(vigil), "moved on to the oldest held event, one offset on, not R/2");
            passWallTime(vigil, WriteBehind.WRITE_CHECK_MS);
            assertNotNull(vigil.storedState("b"));
            assertEquals(b, replayFrom(vigil), "not yet: moved " + WriteBehind.WRITE_CHECK_MS + " ms ago");
            passWallTime(vigil, WriteBehind.REPLAY_MOVE_MS - WriteBehind.WRITE_CHECK_MS);
            assertNull(vigil.storedState("c"));
            assertEquals(c, replayFrom(vigil), "moved on " + WriteBehind.REPLAY_MOVE_MS + " ms after it last moved");
        }
    }

    /** Advances the driver's wall clock by {@code ms} in steps of the task's write check, each running it once. */
    private static void passWallTime(VigilDriver vigil, long ms) {
        for (long passed = 0; passed < ms; passed += WriteBehind.WRITE_CHECK_MS) {
            vigil.driver.advanceWallClockTime(java.time.Duration.ofMillis(WriteBehind.WRITE_CHECK_MS));
        }
    }

    @Test
    void shouldWriteEveryHeldStateWhenTheInstanceDrainsAndHoldNoneAfter() throws InterruptedException {
        HeldStates held = new HeldStates();
        try (VigilDriver vigil = driver(1_000_000, "drain", held)) {
            for (int i = 0; i < 30; i++) {
                send(vigil, i);
            }
            assertEquals(1, held.tasks());
            for (String key : KEYS) {
                assertNull(vigil.storedState(key), "held behind");
                assertNotNull(held.value(0, key), "and registered for queries");
            }
            assertEquals(1, held.drain(java.time.Duration.ZERO), "asked; the task has not checked yet");
            long next = send(vigil, 30);
            assertEquals(0, held.drain(java.time.Duration.ZERO), "drained at its next record");
            assertEquals(next + 1, replayFrom(vigil), "the replay offset past that record: nothing to replay");
            for (int k = 0; k < KEYS.length; k++) {
                byte[] stored = vigil.storedState(KEYS[k]);
                assertNotNull(stored, KEYS[k] + " written");
                assertNull(held.value(0, KEYS[k]), "and no longer held");
                assertEquals(k == 0 ? next : next - KEYS.length + k, DetectorStateBytes.inputOffset(stored),
                        "with its latest event's offset");
            }
            for (int i = 31; i < 40; i++) {
                long offset = send(vigil, i);
                byte[] stored = vigil.storedState(KEYS[i % KEYS.length]);
                assertEquals(offset, DetectorStateBytes.inputOffset(stored), "from then on written at its event");
                assertNull(held.value(0, KEYS[i % KEYS.length]));
            }
        }
    }

    @Test
    void shouldDrainAQuietTaskByItsPunctuation() throws InterruptedException {
        HeldStates held = new HeldStates();
        try (VigilDriver vigil = driver(1_000_000, "drain-quiet", held)) {
            long last = 0;
            for (int i = 0; i < 30; i++) {
                last = send(vigil, i);
            }
            assertEquals(1, held.drain(java.time.Duration.ZERO));
            vigil.driver.advanceWallClockTime(java.time.Duration.ofMillis(HeldStates.DRAIN_CHECK_MS));
            assertEquals(0, held.drain(java.time.Duration.ZERO), "drained by its wall-clock check");
            assertEquals(last + 1, replayFrom(vigil));
            for (String key : KEYS) {
                assertNotNull(vigil.storedState(key), key + " written");
            }
        }
    }

    private static Long replayFrom(VigilDriver vigil) {
        KeyValueStore<String, byte[]> states = vigil.driver.getKeyValueStore(vigil.names.stateStore());
        byte[] stored = states.get(WriteBehind.REPLAY_FROM);
        return stored == null ? null : ByteBuffer.wrap(stored).getLong();
    }
}
