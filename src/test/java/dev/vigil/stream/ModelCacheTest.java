package dev.vigil.stream;

import dev.vigil.BadConfigException;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorState;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.vigil.stream.StreamFixtures.DETECTOR;
import static dev.vigil.stream.StreamFixtures.RETRAIN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ModelCache} over a real in-memory model store, with its entries in a bounded {@link DecodedModels}. */
class ModelCacheTest {
    private static final String STORE = "models";
    /** Estimated bytes of one cached model of {@link StreamFixtures#DETECTOR}'s shape. */
    private static final long ONE = DecodedModels.entryBytes(StreamFixtures.model(DETECTOR, "k", 1, 1));

    private final KeyValueStore<String, byte[]> store = HistoryRingTest.store();
    private final Metrics metrics = new Metrics();
    private final MetricName refusedName = metrics.metricName("refused", "test");
    /** The updater's record of changes, begun over the empty store as its init does. */
    private final ModelStoreChanges.Task changes = startedTask();
    private long generation;

    private static ModelStoreChanges.Task startedTask() {
        ModelStoreChanges.Task task = new ModelStoreChanges().of(STORE);
        task.restart(ModelGeneration.UNKNOWN);
        return task;
    }

    @AfterEach
    void close() {
        store.close();
        metrics.close();
    }

    private ModelCache cache(DecodedModels decoded) {
        Sensor refused = metrics.sensor("refused");
        refused.add(refusedName, new CumulativeCount());
        return new ModelCache(store, STORE, DETECTOR.lstm(), RETRAIN.maxModelBytes(), refused, decoded, changes);
    }

    /**
     * Publishes {@code payload} for {@code key} as the model store updater does: payload, then a new generation, then
     * the change count.
     */
    private void publish(String key, byte[] payload) {
        store.put(key, payload);
        store.put(ModelGeneration.KEY, ModelGeneration.encode(++generation, 0));
        changes.changed(key, generation);
    }

    private byte[] publish(String key) {
        byte[] payload = StreamFixtures.payload(DETECTOR, key, 1, key.hashCode());
        publish(key, payload);
        return payload;
    }

    private static DecodedModels.Key id(String key) {
        return new DecodedModels.Key(STORE, key);
    }

    private double refusals() {
        return (double) metrics.metric(refusedName).metricValue();
    }

    @Test
    void shouldEvictKeysNotUsedSinceTheHandPassedFirst() {
        DecodedModels decoded = new DecodedModels(3 * ONE);
        ModelCache cache = cache(decoded);
        for (String key : new String[] {"a", "b", "c", "d", "e"}) {
            publish(key);
        }
        for (String key : new String[] {"a", "b", "c", "a"}) {
            cache.current(key);
        }
        cache.current("d");
        assertFalse(decoded.contains(id("b")), "b was not used again, a was");
        assertTrue(decoded.contains(id("a")) && decoded.contains(id("c")) && decoded.contains(id("d")));
        cache.current("c");
        cache.current("e");
        assertFalse(decoded.contains(id("a")), "a was used before d and c");
        assertTrue(decoded.contains(id("c")) && decoded.contains(id("d")) && decoded.contains(id("e")));
        assertEquals(2, decoded.evictions());
        assertEquals(3 * ONE, decoded.bytes());
    }

    @Test
    void shouldDecodeAnEvictedKeysModelAgainWithTheSameBits() {
        DecodedModels decoded = new DecodedModels(2 * ONE);
        ModelCache cache = cache(decoded);
        byte[] payloadA = publish("a");
        LstmModel first = cache.current("a");
        assertSame(first, cache.current("a"), "cached: not decoded again");
        publish("b");
        cache.current("b");
        publish("c");
        cache.current("c");
        assertFalse(decoded.contains(id("b")), "a was used after it was cached: the hand spares it once");
        publish("d");
        cache.current("d");
        assertFalse(decoded.contains(id("a")));
        LstmModel again = cache.current("a");
        assertNotSame(first, again, "decoded again from the store");
        assertArrayEquals(payloadA, ModelCodec.encode(again));
        assertArrayEquals(ModelCodec.encode(first), ModelCodec.encode(again));
        assertEquals(0.0, refusals());
    }

    @Test
    void shouldNeverHoldMoreBytesThanTheBound() {
        long bound = 10 * ONE + ONE / 2;
        DecodedModels decoded = new DecodedModels(bound);
        ModelCache cache = cache(decoded);
        for (int k = 0; k < 40; k++) {
            publish("key-" + k);
        }
        Random random = new Random(7);
        for (int event = 0; event < 2_000; event++) {
            String key = "key-" + random.nextInt(random.nextBoolean() ? 8 : 40);
            LstmModel model = cache.current(key);
            assertEquals(key, model.info().modelId());
            assertTrue(decoded.bytes() <= bound, decoded.bytes() + " bytes after event " + event);
        }
        assertEquals(10, decoded.size(), "as many whole models as fit");
        assertTrue(decoded.evictions() > 0);
    }

    @Test
    void shouldCacheOneModelOrNoneWhenTheBoundIsAboutOneModel() {
        DecodedModels one = new DecodedModels(ONE);
        ModelCache cache = cache(one);
        byte[] payloadA = publish("a");
        publish("b");
        LstmModel a = cache.current("a");
        assertSame(a, cache.current("a"));
        cache.current("b");
        assertEquals(1, one.size());
        assertTrue(one.contains(id("b")));

        for (long bound : new long[] {ONE - 1, 0}) {
            DecodedModels none = new DecodedModels(bound);
            ModelCache uncached = cache(none);
            LstmModel first = uncached.current("a");
            LstmModel second = uncached.current("a");
            assertNotSame(first, second, "decoded at every event");
            assertArrayEquals(payloadA, ModelCodec.encode(second));
            assertEquals(0, none.size());
            assertEquals(0, none.bytes());
        }
    }

    @Test
    void shouldKeepTheLastGoodModelWhileCachedAndRunWithoutOneOnceEvicted() {
        DecodedModels decoded = new DecodedModels(ONE);
        ModelCache cache = cache(decoded);
        publish("a");
        LstmModel good = cache.current("a");
        byte[] wrongKey = StreamFixtures.payload(DETECTOR, "not-a", 2, 3);
        publish("a", wrongKey);
        assertSame(good, cache.current("a"), "refused payload: the last good model stays in force");
        assertEquals(1.0, refusals());
        publish("b");
        assertNotNull(cache.current("b"));
        assertNull(cache.current("a"), "evicted: no last good model to keep");
        assertEquals(2.0, refusals());
    }

    @Test
    void shouldKeepTheModelsOfTwoStoresApartInOneCache() {
        DecodedModels decoded = new DecodedModels(4 * ONE);
        ModelCache first = cache(decoded);
        publish("a");
        LstmModel inFirst = first.current("a");
        KeyValueStore<String, byte[]> other = HistoryRingTest.store();
        other.put("a", StreamFixtures.payload(DETECTOR, "a", 9, 99));
        ModelCache second = new ModelCache(other, "other-models", DETECTOR.lstm(), RETRAIN.maxModelBytes(),
                metrics.sensor("refused"), decoded, new ModelStoreChanges().of("other-models"));
        assertEquals(9, second.current("a").info().version());
        assertSame(inFirst, first.current("a"));
        assertEquals(2, decoded.size());
        other.close();
    }

    @Test
    void shouldFindAKeysModelThroughTheHandleItsStateKeepsWhileItIsCached() {
        DecodedModels decoded = new DecodedModels(2 * ONE);
        ModelCache cache = cache(decoded);
        DetectorState state = new Detector(DETECTOR).newState();
        byte[] payloadA = publish("a");
        LstmModel first = cache.current("a", state);
        Object handle = state.modelHandle();
        assertNotNull(handle, "the first event takes a handle on the key's entry");
        assertSame(first, cache.current("a", state));
        assertSame(first, cache.current("a"), "the same entry as the lookup's");
        publish("a", StreamFixtures.payload(DETECTOR, "a", 2, 3));
        assertEquals(2, cache.current("a", state).info().version(),
                "the store changed: the new model, not the held one");
        assertSame(handle, state.modelHandle(), "the key's entry replaced in place: the same handle");
        publish("b");
        cache.current("b");
        publish("c");
        cache.current("c");
        cache.current("b");
        publish("d");
        cache.current("d");
        assertFalse(decoded.contains(id("a")));
        assertNull(ClockCache.value((ClockCache.Cached<?, ?>) handle), "evicted: the handle keeps no model alive");
        LstmModel again = cache.current("a", state);
        assertEquals(2, again.info().version(), "decoded again from the store");
        assertNotSame(handle, state.modelHandle(), "a new handle on the new entry");
        assertSame(again, cache.current("a", state));
        DetectorState none = new Detector(DETECTOR).newState();
        assertNull(cache.current("x", none), "no payload: no model, through the handle too");
        assertNull(cache.current("x", none));
        assertFalse(java.util.Arrays.equals(payloadA, ModelCodec.encode(again)), "version 1 is gone from the store");
    }

    @Test
    void shouldReadTheStoreAgainOnlyAfterTheUpdaterCountedAChange() {
        ModelCache cache = cache(new DecodedModels(4 * ONE));
        publish("a");
        LstmModel first = cache.current("a");
        // a payload and generation written without the updater's count: the cache does not look (the updater is the
        // store's only writer, so this does not happen in a topology)
        store.put("a", StreamFixtures.payload(DETECTOR, "a", 2, 5));
        store.put(ModelGeneration.KEY, ModelGeneration.encode(++generation, 0));
        assertSame(first, cache.current("a"), "no change counted: the generation is not read again");
        changes.changed("a", generation);
        assertEquals(2, cache.current("a").info().version(), "change counted: the new payload is read");
        ModelCache fresh = cache(new DecodedModels(4 * ONE));
        store.put("a", StreamFixtures.payload(DETECTOR, "a", 3, 6));
        store.put(ModelGeneration.KEY, ModelGeneration.encode(++generation, 0));
        assertEquals(3, fresh.current("a").info().version(), "a new cache reads the generation at its first call");
    }

    @Test
    void shouldReadAgainOnlyThePayloadsOfTheKeysThatChanged() {
        ModelCache cache = cache(new DecodedModels(4 * ONE));
        publish("a");
        publish("b");
        LstmModel a = cache.current("a");
        LstmModel b = cache.current("b");
        // b's payload replaced behind the updater's back (it never is in a topology): unseen while b is not recorded
        // as changed, even though the store's generation moves with a's new version
        store.put("b", StreamFixtures.payload(DETECTOR, "b", 7, 9));
        publish("a", StreamFixtures.payload(DETECTOR, "a", 2, 3));
        assertEquals(2, cache.current("a").info().version(), "a changed: its payload is read again");
        assertSame(b, cache.current("b"), "b did not change: its model stands without a read");
        assertNotSame(a, cache.current("a"));
        // the updater restarts (a restored store, changed elsewhere meanwhile): nothing older is vouched for
        store.put(ModelGeneration.KEY, ModelGeneration.encode(++generation, 0));
        changes.restart(generation);
        assertEquals(7, cache.current("b").info().version(), "after a restart the entry is read again");
        assertSame(cache.current("b"), cache.current("b"));
    }

    @Test
    void shouldNotVouchForAnEntryReadWithoutAGeneration() {
        ModelCache cache = cache(new DecodedModels(4 * ONE));
        store.put("a", StreamFixtures.payload(DETECTOR, "a", 1, 1));
        assertEquals(1, cache.current("a").info().version(), "no generation in the store: the payload is read");
        store.put("a", StreamFixtures.payload(DETECTOR, "a", 2, 2));
        publish("b");
        assertEquals(2, cache.current("a").info().version(),
                "an entry read while the store had no generation is read again once it has one");
    }

    @Test
    void shouldRefuseABoundOutsideItsRangeNamingTheSetting() {
        assertEquals("models.cache.bytes must be in [0, 1099511627776], got -1",
                assertThrows(BadConfigException.class, () -> new DecodedModels(-1)).getMessage());
        assertThrows(BadConfigException.class, () -> new DecodedModels((1L << 40) + 1));
    }
}
