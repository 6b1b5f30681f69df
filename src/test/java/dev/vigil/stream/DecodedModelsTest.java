package dev.vigil.stream;

import dev.vigil.lstm.LstmModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.vigil.stream.StreamFixtures.DETECTOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DecodedModels} alone: second-chance eviction by bytes, replacement in place, and use from several threads. */
class DecodedModelsTest {
    private static final LstmModel MODEL = StreamFixtures.model(DETECTOR, "k", 1, 1);
    private static final long ONE = DecodedModels.entryBytes(MODEL);
    private static final ModelCache.Entry WITH_MODEL = new ModelCache.Entry(null, MODEL, null, 1);
    private static final ModelCache.Entry WITHOUT_MODEL = new ModelCache.Entry(null, null, null, 1);

    private static DecodedModels.Key id(String key) {
        return new DecodedModels.Key("models", key);
    }

    @Test
    void shouldGiveAnEntryUsedSinceTheHandPassedASecondChance() {
        DecodedModels decoded = new DecodedModels(3 * ONE);
        for (String key : new String[] {"a", "b", "c"}) {
            decoded.put(id(key), WITH_MODEL);
        }
        decoded.get(id("a"));
        decoded.put(id("d"), WITH_MODEL);
        assertFalse(decoded.contains(id("b")), "b, not used since it was cached, goes before a");
        decoded.put(id("e"), WITH_MODEL);
        assertFalse(decoded.contains(id("c")), "c next: a's second chance holds until the hand comes round again");
        decoded.put(id("f"), WITH_MODEL);
        assertFalse(decoded.contains(id("a")), "the hand came round: a was not used again");
        assertTrue(decoded.contains(id("d")) && decoded.contains(id("e")) && decoded.contains(id("f")));
        assertEquals(3, decoded.evictions());
        assertEquals(3 * ONE, decoded.bytes());
        assertNull(decoded.get(id("a")));
    }

    @Test
    void shouldReplaceAnEntryInPlaceAndEvictOthersWhenItGrows() {
        DecodedModels decoded = new DecodedModels(2 * ONE);
        decoded.put(id("a"), WITHOUT_MODEL);
        decoded.put(id("b"), WITH_MODEL);
        assertEquals(ONE + DecodedModels.EMPTY_ENTRY_BYTES, decoded.bytes());
        ModelCache.Entry newer = new ModelCache.Entry(null, MODEL, null, 2);
        decoded.put(id("b"), newer);
        assertSame(newer, decoded.get(id("b")));
        assertEquals(2, decoded.size());
        decoded.put(id("a"), WITH_MODEL);
        assertEquals(2 * ONE, decoded.bytes(), "a grew to a model: both fit exactly");
        decoded.put(id("c"), WITH_MODEL);
        decoded.put(id("c"), WITH_MODEL);
        assertEquals(2, decoded.size());
        assertEquals(2 * ONE, decoded.bytes());
        assertEquals(1, decoded.evictions());
        assertTrue(decoded.contains(id("c")));
    }

    @Test
    void shouldDropAnEntryReplacedByOneLargerThanTheBound() {
        DecodedModels decoded = new DecodedModels(ONE - 1);
        decoded.put(id("a"), WITHOUT_MODEL);
        decoded.put(id("a"), WITH_MODEL);
        assertFalse(decoded.contains(id("a")));
        assertEquals(0, decoded.bytes());
        decoded.put(id("b"), WITHOUT_MODEL);
        assertEquals(DecodedModels.EMPTY_ENTRY_BYTES, decoded.bytes());
    }

    @Test
    void shouldStayWithinTheBoundAndCountItsBytesUnderConcurrentUse() throws Exception {
        long bound = 6 * ONE + 5 * DecodedModels.EMPTY_ENTRY_BYTES;
        DecodedModels decoded = new DecodedModels(bound);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<Long>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            done.add(threads.submit(() -> {
                Random random = new Random(seed);
                long over = 0;
                for (int i = 0; i < 50_000; i++) {
                    DecodedModels.Key key = id("key-" + random.nextInt(40));
                    if (decoded.get(key) == null || random.nextInt(10) == 0) {
                        decoded.put(key, random.nextBoolean() ? WITH_MODEL : WITHOUT_MODEL);
                    }
                    over += decoded.bytes() > bound ? 1 : 0;
                }
                return over;
            }));
        }
        for (Future<Long> f : done) {
            assertEquals(0L, f.get(60, TimeUnit.SECONDS), "reads of bytes() above the bound");
        }
        threads.shutdown();
        long counted = 0;
        int held = 0;
        for (int k = 0; k < 40; k++) {
            ModelCache.Entry entry = decoded.get(id("key-" + k));
            if (entry != null) {
                counted += DecodedModels.entryBytes(entry.model());
                held++;
            }
        }
        assertEquals(counted, decoded.bytes(), "bytes() is the sum of the entries held");
        assertEquals(held, decoded.size());
        assertTrue(decoded.evictions() > 0);
    }
}
