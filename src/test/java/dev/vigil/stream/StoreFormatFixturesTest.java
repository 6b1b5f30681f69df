package dev.vigil.stream;

import dev.vigil.detect.DetectorStateBytes;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.detect.HistoryWindowCodec;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Golden fixtures of the released store formats: the history ring (v3: a head with its open block's readings, kept in
 * the state value since state format 5 and under its own entry before, and a block; v2, an earlier release: a head
 * and a reading) and the model generation (v1). Regenerate the v3 ones with
 * {@code -Dvigil.updateFixtures=true} only when the format changes on purpose.
 */
class StoreFormatFixturesTest {
    static byte[] fixture(String name) throws IOException {
        try (InputStream in = StoreFormatFixturesTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertNotNull(in, name + " is missing");
            return in.readAllBytes();
        }
    }

    @Test
    void shouldDecodeAndStillWriteTheReleasedHistoryRing() throws IOException {
        // a 2-channel ring of capacity 40: block 0 (slots 0..31) complete, slots 32..34 in the head
        HistoryWindow window = new HistoryWindow(40, 2);
        for (int i = 0; i < 35; i++) {
            window.append(1_767_225_600_000L + i * 60_000L, new double[] {21.5 + i, 0.02 * i});
        }
        KeyValueStore<String, byte[]> store = HistoryRingTest.store();
        HistoryRing writer = new HistoryRing(store);
        byte[] written = writer.encodeHead(writer.write("pump-1", window, null));
        if (Boolean.getBoolean("vigil.updateFixtures")) {
            Files.write(Path.of("src/test/resources/fixtures/history-head-v3.bin"), written);
            Files.write(Path.of("src/test/resources/fixtures/history-block-v3.bin"),
                    store.get(HistoryRing.blockKey("pump-1", 0)));
        }
        byte[] head = fixture("history-head-v3.bin");
        byte[] block = fixture("history-block-v3.bin");
        assertArrayEquals(head, written, "the ring still writes the released head");
        assertArrayEquals(block, store.get(HistoryRing.blockKey("pump-1", 0)), "and the released block");

        // as the previous release kept it: the head under its own entry, beside a state of format 4
        KeyValueStore<String, byte[]> released = HistoryRingTest.store();
        released.put(HistoryRing.headKey("pump-1"), head);
        released.put(HistoryRing.blockKey("pump-1", 0), block);
        HistoryRing ring = new HistoryRing(released);
        HistoryHead decoded = ring.head("pump-1", fixture("detector-state-v4.bin"));
        assertEquals(new HistoryHead(40, 2, 35, 35, HistoryRing.FORMAT_VERSION, decoded.pending()), decoded);
        assertEquals(3 * HistoryRing.readingBytes(2), decoded.pending().length);
        assertArrayEquals(HistoryWindowCodec.encode(window), HistoryWindowCodec.encode(ring.read("pump-1", decoded)));
    }

    @Test
    void shouldReadTheHistoryHeadKeptInTheReleasedStateValue() throws IOException {
        // detector-state-v5.bin (DetectorStateCodecTest) holds history-head-v3.bin beside its state
        byte[] state = fixture("detector-state-v5.bin");
        byte[] head = fixture("history-head-v3.bin");
        assertArrayEquals(head, DetectorStateBytes.historyHead(state));
        KeyValueStore<String, byte[]> blocks = HistoryRingTest.store();
        blocks.put(HistoryRing.blockKey("pump-1", 0), fixture("history-block-v3.bin"));
        blocks.put(HistoryRing.headKey("pump-1"), new byte[] {1, 2, 3});
        HistoryRing ring = new HistoryRing(blocks);
        HistoryHead decoded = ring.head("pump-1", state);
        assertEquals(HistoryHead.decode(head), decoded, "the head in the state value, not the stale entry");
        HistoryWindow window = ring.read("pump-1", decoded);
        assertEquals(35, window.size());
        assertEquals(1_767_225_600_000L + 34 * 60_000L, window.timestamp(34));
        assertEquals(21.5 + 34, window.value(34, 0));
        assertEquals(null, ring.head("pump-1", DetectorStateCodec.encode(DetectorStateCodec.decode(state))),
                "a state value of format 5 without a head: no history");
    }

    @Test
    void shouldStillDecodeThePreviousHistoryHead() throws IOException {
        byte[] bytes = fixture("history-head-v2.bin");
        HistoryHead head = HistoryHead.decode(bytes);
        assertEquals(new HistoryHead(2000, 2, 1500, 1500, HistoryRing.LEGACY_VERSION, new byte[0]), head);
    }

    @Test
    void shouldStillDecodeThePreviousHistoryReading() throws IOException {
        byte[] bytes = fixture("history-reading-v2.bin");
        double[] reading = new double[2];
        assertEquals(1_767_225_600_000L, HistoryRing.decodeLegacyReading(bytes, 0, reading));
        assertArrayEquals(new double[] {21.5, 0.02}, reading);
    }

    @Test
    void shouldStillDecodeTheReleasedModelGeneration() throws IOException {
        byte[] bytes = fixture("model-generation-v1.bin");
        assertEquals(42, ModelGeneration.decode(bytes));
        assertEquals(ModelGeneration.UNKNOWN, ModelGeneration.models(bytes), "format 1 has no model count");
        byte[] current = ModelGeneration.encode(43, 7);
        assertEquals(43, ModelGeneration.decode(current));
        assertEquals(7, ModelGeneration.models(current));
        assertEquals(0, ModelGeneration.models(null), "no entry: a store the updater never changed");
    }
}
