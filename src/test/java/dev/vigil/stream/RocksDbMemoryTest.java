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
    }

    @Test
    void shouldShareOneCacheAndWriteBufferManagerPerBound() {
        RocksDbMemory.Shared a = RocksDbMemory.shared(48L << 20);
        assertSame(a, RocksDbMemory.shared(48L << 20));
        assertNotSame(a.cache(), RocksDbMemory.shared(80L << 20).cache());
    }
}
