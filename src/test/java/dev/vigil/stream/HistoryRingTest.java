package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.detect.HistoryWindowCodec;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryRingTest {
    @Test
    void shouldReadBackTheWindowAfterAppendsThatWrapTheRing() {
        HistoryRing ring = new HistoryRing(store());
        HistoryWindow offline = new HistoryWindow(5, 2);
        assertNull(ring.head("k", null));
        offline.append(1, new double[] {1, -1});
        HistoryHead head = ring.write("k", offline, null);
        for (int t = 2; t <= 13; t++) {
            double[] reading = {t * 0.5, -t};
            head = ring.append("k", head, t, reading);
            offline.append(t, reading);
        }
        assertEquals(5, head.size());
        assertArrayEquals(HistoryWindowCodec.encode(offline), HistoryWindowCodec.encode(ring.read("k", head)));
    }

    @Test
    void shouldStartANewKeysRingAsWritingItsFirstReadingWould() {
        // a new key's first reading is appended to an empty head instead of writing a whole window: the same head and
        // the same entries, whether the reading completes a block (capacity 1) or not
        for (int capacity : new int[] {1, 2, HistoryRing.BLOCK, HistoryRing.BLOCK + 1, 2000}) {
            KeyValueStore<String, byte[]> written = store();
            KeyValueStore<String, byte[]> appended = store();
            double[] reading = {2.5, -7};
            HistoryWindow window = new HistoryWindow(capacity, 2);
            window.append(42, reading);
            HistoryHead viaWrite = new HistoryRing(written).write("k", window, null);
            HistoryHead viaAppend = new HistoryRing(appended).append("k", HistoryHead.empty(capacity, 2), 42,
                    reading);
            assertEquals(viaWrite, viaAppend, "capacity " + capacity);
            assertEquals(entries(written), entries(appended), "capacity " + capacity);
            assertArrayEquals(HistoryWindowCodec.encode(window),
                    HistoryWindowCodec.encode(new HistoryRing(appended).read("k", viaAppend)));
        }
    }

    @Test
    void shouldKeepTheWindowOverEveryBlockBoundaryAndLap() {
        // capacity 70: two whole blocks and a short one of 6; every appended count up to three laps is read back
        KeyValueStore<String, byte[]> store = store();
        HistoryRing ring = new HistoryRing(store);
        HistoryWindow offline = new HistoryWindow(70, 1);
        offline.append(0, new double[] {0});
        HistoryHead head = ring.write("k", offline, null);
        for (int t = 1; t <= 3 * 70 + 5; t++) {
            double[] reading = {Math.sin(t)};
            head = ring.append("k", head, t, reading);
            offline.append(t, reading);
            assertArrayEquals(HistoryWindowCodec.encode(offline), HistoryWindowCodec.encode(ring.read("k", head)),
                    "after " + t);
        }
        assertEquals(HistoryRing.blocks(70), 3);
    }

    @Test
    void shouldUpdateTheHeadInPlaceAsItsStoredFormWouldRead() {
        // an event allocates no head: append returns the same object, which at every step equals the head its stored
        // form decodes to (over block boundaries, where its open block empties, and laps)
        HistoryRing ring = new HistoryRing(store());
        HistoryHead head = HistoryHead.empty(70, 2);
        for (int t = 0; t < 3 * 70; t++) {
            HistoryHead after = ring.append("k", head, t, new double[] {t, -t});
            assertSame(head, after, "after " + t);
            byte[] stored = ring.encodeHead(head);
            HistoryHead decoded = HistoryHead.decode(stored);
            assertEquals(decoded, head, "after " + t);
            assertEquals(decoded.hashCode(), head.hashCode());
            assertArrayEquals(decoded.pending(), head.pending());
            assertArrayEquals(stored, ring.encodeHead(decoded));
        }
    }

    @Test
    void shouldWriteABlockOnlyWhenItsLastSlotIsWritten() {
        KeyValueStore<String, byte[]> store = store();
        HistoryRing ring = new HistoryRing(store);
        HistoryHead head = ring.write("k", new HistoryWindow(100, 2), null);
        for (int t = 0; t < HistoryRing.BLOCK - 1; t++) {
            head = ring.append("k", head, t, new double[] {t, -t});
        }
        assertNull(store.get(HistoryRing.blockKey("k", 0)), "the open block's readings are in the head");
        assertEquals(0, store.approximateNumEntries(), "and the head is the caller's to save");
        assertEquals(HistoryRing.BLOCK - 1, head.pending().length / HistoryRing.readingBytes(2));
        head = ring.append("k", head, 99, new double[] {1, 2});
        assertEquals(1 + HistoryRing.BLOCK * HistoryRing.readingBytes(2), store.get(HistoryRing.blockKey("k", 0)).length);
        assertEquals(0, head.pending().length);
    }

    @Test
    void shouldLeaveOutReadingsOverwrittenWhileReadingConcurrently() {
        KeyValueStore<String, byte[]> store = store();
        KeyValueStore<String, byte[]> states = store();
        HistoryRing writer = new HistoryRing(store);
        HistoryWindow full = new HistoryWindow(64, 1);
        for (int t = 0; t < 64; t++) {
            full.append(t, new double[] {t});
        }
        saveHead(states, writer, writer.write("k", full, null));
        // the reader (read-only, as interactive queries are) sees the head, then the writer completes the first block
        // (slots 0..31) before the blocks are read
        ReadOnlyKeyValueStore<String, byte[]> interleaved = new ReadOnlyKeyValueStore<>() {
            private boolean appended;

            @Override
            public byte[] get(String key) {
                if (!appended && key.equals(HistoryRing.blockKey("k", 0))) {
                    appended = true;
                    for (int t = 64; t < 64 + HistoryRing.BLOCK; t++) {
                        saveHead(states, writer, writer.append("k", writer.head("k", states.get("k")), t,
                                new double[] {t}));
                    }
                }
                return store.get(key);
            }

            @Override
            public KeyValueIterator<String, byte[]> range(String from, String to) {
                throw new UnsupportedOperationException("the ring reads single keys");
            }

            @Override
            public KeyValueIterator<String, byte[]> all() {
                throw new UnsupportedOperationException("the ring reads single keys");
            }

            @Override
            public long approximateNumEntries() {
                return store.approximateNumEntries();
            }
        };
        HistoryWindow read = new HistoryRing(interleaved).readConcurrently("k", states);
        assertEquals(64 - HistoryRing.BLOCK, read.size());
        for (int i = 0; i < read.size(); i++) {
            assertEquals(HistoryRing.BLOCK + i, read.timestamp(i), "reading " + i);
        }
    }

    @Test
    void shouldReadAndReplaceARingOfThePreviousFormat() throws IOException {
        KeyValueStore<String, byte[]> store = store();
        HistoryWindow window = new HistoryWindow(5, 1);
        for (int t = 0; t < 7; t++) {
            window.append(t, new double[] {t * 1.5});
        }
        // format 2 as the previous release wrote it: readings in slots (next - size + i) mod capacity, next = 2
        for (int i = 0; i < 5; i++) {
            int slot = Math.floorMod(2 - 5 + i, 5);
            store.put(HistoryRing.legacySlotKey("k", slot), legacyReading(window.timestamp(i), window.value(i, 0)));
        }
        store.put(HistoryRing.headKey("k"), legacyHead(5, 1, 5, 2));
        HistoryRing ring = new HistoryRing(store);
        // beside a state of format 4 (no head in it), the head is the history store's entry
        HistoryHead legacy = ring.head("k", StoreFormatFixturesTest.fixture("detector-state-v4.bin"));
        assertEquals(HistoryRing.LEGACY_VERSION, legacy.version());
        assertArrayEquals(HistoryWindowCodec.encode(window), HistoryWindowCodec.encode(ring.read("k", legacy)));

        HistoryHead head = ring.write("k", ring.read("k", legacy), legacy);
        ring.deleteHeadEntry("k");
        assertEquals(HistoryRing.FORMAT_VERSION, head.version());
        assertArrayEquals(HistoryWindowCodec.encode(window), HistoryWindowCodec.encode(ring.read("k", head)));
        assertNull(store.get(HistoryRing.headKey("k")));
        for (int slot = 0; slot < 5; slot++) {
            assertNull(store.get(HistoryRing.legacySlotKey("k", slot)), "legacy slot " + slot + " deleted");
        }
    }

    @Test
    void shouldDeleteBlocksBeyondASmallerCapacity() {
        KeyValueStore<String, byte[]> store = store();
        HistoryRing ring = new HistoryRing(store);
        HistoryWindow big = new HistoryWindow(100, 1);
        for (int t = 0; t < 100; t++) {
            big.append(t, new double[] {t});
        }
        HistoryHead head = ring.write("k", big, null);
        assertTrue(store.get(HistoryRing.blockKey("k", 3)) != null);
        ring.write("k", new HistoryWindow(64, 1), head);
        assertNull(store.get(HistoryRing.blockKey("k", 2)));
        assertNull(store.get(HistoryRing.blockKey("k", 3)));
    }

    @Test
    void shouldGiveEveryKeyItsOwnEntries() {
        Set<String> seen = new HashSet<>();
        for (String key : List.of("a", "a#h", "a#b00000001", "a#00000001", "a#", "a#b", "")) {
            assertTrue(seen.add(HistoryRing.headKey(key)), key);
            for (int n : new int[] {0, 1, 0xABCDEF}) {
                assertTrue(seen.add(HistoryRing.blockKey(key, n)), key + " block " + n);
                assertTrue(seen.add(HistoryRing.legacySlotKey(key, n)), key + " slot " + n);
            }
        }
        assertEquals("a#b00abcdef", HistoryRing.blockKey("a", 0xABCDEF));
        assertEquals("a#00abcdef", HistoryRing.legacySlotKey("a", 0xABCDEF));
    }

    @Test
    void shouldRefuseAHeadOfAnotherFormatWithABadChecksumOrTheWrongLength() {
        HistoryRing ring = new HistoryRing((KeyValueStore<String, byte[]>) null);
        HistoryHead withReadings = new HistoryHead(100, 1, 35, 35, HistoryRing.FORMAT_VERSION, new byte[3 * 16]);
        byte[] head = ring.encodeHead(100, 1, 35, 35, withReadings.pending());
        assertEquals(withReadings, HistoryHead.decode(head));
        byte[] flipped = head.clone();
        flipped[4] ^= 1;
        assertThrows(BadBytesException.class, () -> HistoryHead.decode(flipped));
        byte[] shortOfAReading = ring.encodeHead(100, 1, 35, 35, new byte[2 * 16]);
        assertThrows(BadBytesException.class, () -> HistoryHead.decode(shortOfAReading));
        assertThrows(BadBytesException.class,
                () -> HistoryHead.decode(HistoryWindowCodec.encode(new HistoryWindow(2, 1))));
    }

    /** Saves {@code head} in the key "k"'s state value, as the stream does. */
    private static void saveHead(KeyValueStore<String, byte[]> states, HistoryRing ring, HistoryHead head) {
        states.put("k", DetectorStateCodec.encode(new Detector(DetectorConfig.defaults()).newState(),
                ring.encodeHead(head)));
    }

    /** An empty in-memory store, initialised, not logged. */
    /** The store's entries, each value as a list of its bytes (comparable by equals). */
    private static Map<String, List<Byte>> entries(KeyValueStore<String, byte[]> store) {
        Map<String, List<Byte>> entries = new TreeMap<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(e -> {
                List<Byte> bytes = new ArrayList<>();
                for (byte b : e.value) {
                    bytes.add(b);
                }
                entries.put(e.key, bytes);
            });
        }
        return entries;
    }

    static KeyValueStore<String, byte[]> store() {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("h"),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new org.apache.kafka.streams.processor.api.MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    /** A format-2 reading of one channel: u8 2, timestamp, value. */
    static byte[] legacyReading(long timestamp, double value) {
        return ByteBuffer.allocate(1 + HistoryRing.readingBytes(1)).put((byte) HistoryRing.LEGACY_VERSION)
                .putLong(timestamp).putDouble(value).array();
    }

    /** A format-2 head: u8 2, capacity, channels, size, next, CRC32 of the rest. */
    static byte[] legacyHead(int capacity, int channels, int size, int next) {
        ByteBuffer out = ByteBuffer.allocate(HistoryRing.LEGACY_HEAD_BYTES);
        out.put((byte) HistoryRing.LEGACY_VERSION).putInt(capacity).putInt(channels).putInt(size).putInt(next);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        return out.putInt((int) crc.getValue()).array();
    }
}
