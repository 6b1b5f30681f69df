package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.detect.HistoryWindowCodec;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryRingTest {
    @Test
    void shouldReadBackTheWindowAfterAppendsThatWrapTheRing() {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("h"),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new org.apache.kafka.streams.processor.api.MockProcessorContext<>().getStateStoreContext(), store);
        HistoryRing ring = new HistoryRing(store);
        HistoryWindow offline = new HistoryWindow(5, 2);
        assertNull(ring.head("k"));
        offline.append(1, new double[] {1, -1});
        ring.write("k", offline);
        for (int t = 2; t <= 13; t++) {
            double[] reading = {t * 0.5, -t};
            ring.append("k", ring.head("k"), t, reading);
            offline.append(t, reading);
        }
        HistoryRing.Head head = ring.head("k");
        assertEquals(5, head.size());
        assertArrayEquals(HistoryWindowCodec.encode(offline), HistoryWindowCodec.encode(ring.read("k", head)));
    }

    @Test
    void shouldGiveEveryKeyItsOwnEntries() {
        Set<String> seen = new HashSet<>();
        for (String key : List.of("a", "a#h", "a#00000001", "a#", "")) {
            assertTrue(seen.add(HistoryRing.headKey(key)), key);
            for (int slot : new int[] {0, 1, 0xABCDEF}) {
                assertTrue(seen.add(HistoryRing.slotKey(key, slot)), key + " " + slot);
            }
        }
        assertEquals("a#00abcdef", HistoryRing.slotKey("a", 0xABCDEF));
    }

    @Test
    void shouldRefuseAHeadOfAnotherFormatOrWithABadChecksum() {
        HistoryRing ring = new HistoryRing(null);
        byte[] head = ring.encodeHead(new HistoryRing.Head(10, 1, 3, 3));
        assertEquals(new HistoryRing.Head(10, 1, 3, 3), HistoryRing.decodeHead(head));
        byte[] flipped = head.clone();
        flipped[4] ^= 1;
        assertThrows(BadBytesException.class, () -> HistoryRing.decodeHead(flipped));
        assertThrows(BadBytesException.class, () -> HistoryRing.decodeHead(HistoryWindowCodec.encode(new HistoryWindow(2, 1))));
    }
}
