package dev.vigil.stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    @Test
    void shouldSayWhichBoundGivesCrowdedStoresTheirMemtables() {
        assertEquals(Optional.empty(), RocksDbMemory.crowded(4, 16L << 20), "8 MiB of memtable: 2 MiB a store");
        String warning = RocksDbMemory.crowded(5, 16L << 20).orElseThrow();
        assertTrue(warning.startsWith("rocksdb.memory.bytes=16777216 leaves the 5 RocksDB stores open on it 1.60 MiB"),
                warning);
        assertTrue(warning.contains("set it to 41943040 (40 MiB) or more"), warning);
        assertEquals(Optional.empty(), RocksDbMemory.crowded(5, 40L << 20), "the bound it names is enough");
        assertEquals(Optional.empty(), RocksDbMemory.crowded(96, 768L << 20));
        assertTrue(RocksDbMemory.crowded(96, 256L << 20).orElseThrow().contains("(768 MiB)"));
    }

    @Test
    void shouldCountTheStoresOpenOnABoundAndWarnOnceWhenTheyCrowdIt() {
        long bound = 20L << 20;
        Map<String, Object> configs = Map.of(RocksDbMemory.BOUND_CONFIG, Long.toString(bound));
        Logger logger = (Logger) LoggerFactory.getLogger(RocksDbMemory.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        List<RocksDbMemory> setters = new ArrayList<>();
        List<Options> options = new ArrayList<>();
        try {
            for (int store = 0; store < 8; store++) {
                RocksDbMemory setter = new RocksDbMemory();
                Options o = new Options().setTableFormatConfig(new BlockBasedTableConfig()); // as Kafka Streams
                setter.setConfig("store-" + store, o, configs);
                setters.add(setter);
                options.add(o);
            }
            assertEquals(8, RocksDbMemory.shared(bound).open().get());
            for (int store = 0; store < 3; store++) {
                setters.get(store).close("store-" + store, options.get(store));
            }
            setters.get(0).close("store-0", options.get(0));
            assertEquals(5, RocksDbMemory.shared(bound).open().get(), "a store closed twice counts once");
        } finally {
            logger.detachAppender(appender);
            options.forEach(Options::close);
        }
        List<String> warnings = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("rocksdb.memory.bytes=20971520 leaves the 6 RocksDB stores"),
                warnings.get(0));
    }
}
