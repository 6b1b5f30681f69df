package dev.vigil.stream;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One bound on the native memory of every RocksDB store of the instance ({@code rocksdb.memory.bytes}). Kafka Streams
 * gives each store its own block cache and memtables (50 MB and 3 × 16 MB): a Vigil task has three stores, so an
 * instance's native memory grows with the partitions it owns, beside the heap, and a container sized for the heap
 * is killed when a rebalance hands it more. With this setter every store of the applications that name the same bound
 * shares one LRU block cache of that size, its memtables are charged to the same cache (at most {@value
 * #MEMTABLE_SHARE} of it), and index and filter blocks live in it too (at high priority, the top level pinned), the
 * recipe of Kafka Streams' memory management guide. The cache and write-buffer manager of a bound live as long as the
 * process (every store of any application may use them); nothing is closed when a store closes.
 */
public final class RocksDbMemory implements RocksDBConfigSetter {
    /** Streams config key (an application config, not passed to the clients) carrying the bound in bytes. */
    public static final String BOUND_CONFIG = "vigil.rocksdb.memory.bytes";
    /** Share of the bound the stores' memtables may take together; a store flushes its memtable beyond it. */
    static final double MEMTABLE_SHARE = 0.5;
    /** Share of the cache reserved for index and filter blocks (high priority). */
    static final double INDEX_FILTER_SHARE = 0.1;
    private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();

    /** A bound's cache and the write-buffer manager charging memtables to it. */
    record Shared(Cache cache, WriteBufferManager writeBuffers) {
        static Shared of(long bytes) {
            RocksDB.loadLibrary();
            LRUCache cache = new LRUCache(bytes, -1, false, INDEX_FILTER_SHARE);
            return new Shared(cache, new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache));
        }
    }

    /**
     * Puts the bound into a streams config's {@code settings}: this class as the RocksDB config setter and
     * {@code bytes} under {@link #BOUND_CONFIG}, unless {@code bytes} is 0 or the settings name a config setter of
     * their own (a user's {@code kafka.rocksdb.config.setter} wins). Returns whether the bound applies.
     */
    public static boolean apply(Map<String, ? super String> settings, long bytes) {
        if (!applies(settings, bytes)) {
            return false;
        }
        settings.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbMemory.class.getName());
        settings.put(BOUND_CONFIG, Long.toString(bytes));
        return true;
    }

    /** Whether {@link #apply} puts the bound into {@code settings}: {@code bytes} > 0 and no setter of their own. */
    public static boolean applies(Map<String, ?> settings, long bytes) {
        Object setter = settings.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG);
        return bytes > 0 && (setter == null || RocksDbMemory.class.getName().equals(String.valueOf(setter)));
    }

    /** The block cache every store bounded by {@code bytes} shares: its usage is all those stores hold. */
    public static Cache cache(long bytes) {
        return shared(bytes).cache();
    }

    /** The cache and manager every store bounded by {@code bytes} shares (made at the first such store). */
    static Shared shared(long bytes) {
        return SHARED.computeIfAbsent(bytes, Shared::of);
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object bound = configs.get(BOUND_CONFIG);
        long bytes;
        try {
            bytes = bound instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(bound));
        } catch (NumberFormatException e) {
            bytes = 0;
        }
        if (bytes <= 0) {
            throw new IllegalStateException(getClass().getName() + " bounds RocksDB by rocksdb.memory.bytes, which is"
                    + " " + bound + " here: set it above 0, or leave kafka.rocksdb.config.setter unset");
        }
        Shared shared = shared(bytes);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(shared.writeBuffers());
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and write-buffer manager are shared by every store of the bound, for the process's life
    }
}
