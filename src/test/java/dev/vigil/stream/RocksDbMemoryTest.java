package dev.vigil.stream;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RocksDbMemory#apply}: which streams settings name the bounded setter, and the caches bounds share. */
class RocksDbMemoryTest {
    @Test
    void shouldNameTheSetterAndTheBoundUnlessTheBoundIsZeroOrAUserSetterIsSet() {
        Map<String, Object> settings = new HashMap<>();
        assertTrue(RocksDbMemory.apply(settings, 64L << 20));
        assertEquals(RocksDbMemory.class.getName(), settings.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        assertEquals(Long.toString(64L << 20), settings.get(RocksDbMemory.BOUND_CONFIG));

        Map<String, Object> off = new HashMap<>();
        assertFalse(RocksDbMemory.apply(off, 0));
        assertTrue(off.isEmpty(), "0: Kafka Streams' per-store defaults");

        Map<String, Object> users = new HashMap<>(
                Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "my.Setter"));
        assertFalse(RocksDbMemory.apply(users, 64L << 20));
        assertEquals(Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "my.Setter"), users);
        assertFalse(RocksDbMemory.applies(users, 64L << 20));
        assertFalse(RocksDbMemory.applies(Map.of(), 0));
        assertTrue(RocksDbMemory.applies(Map.of(), 64L << 20));

        Map<String, Object> ours = new HashMap<>(
                Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbMemory.class.getName()));
        assertTrue(RocksDbMemory.apply(ours, 64L << 20), "naming this class as the setter still takes the bound");
        assertEquals(Long.toString(64L << 20), ours.get(RocksDbMemory.BOUND_CONFIG));
    }

    @Test
    void shouldRefuseAStoreWithoutABoundSayingWhatToSet() {
        try (org.rocksdb.Options options = new org.rocksdb.Options()) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> new RocksDbMemory().setConfig("store", options, Map.of()));
            assertTrue(e.getMessage().contains("rocksdb.memory.bytes"), e.getMessage());
        }
    }

    @Test
    void shouldShareOneCacheAndWriteBufferManagerPerBound() {
        RocksDbMemory.Shared a = RocksDbMemory.shared(48L << 20);
        assertSame(a, RocksDbMemory.shared(48L << 20));
        assertNotSame(a.cache(), RocksDbMemory.shared(80L << 20).cache());
    }
}
