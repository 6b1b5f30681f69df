package dev.vigil.stream;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One bound on the native memory of every RocksDB store of the instance ({@code rocksdb.memory.bytes}). Kafka Streams
 * gives each store its own block cache and memtables (50 MB and 3 × 16 MB): a Vigil task has three stores, so an
 * instance's native memory grows with the partitions it owns, beside the heap, and a container sized for the heap
 * is killed when a rebalance hands it more. With this setter every store of the applications that name the same bound
 * shares one LRU block cache of that size, its memtables are charged to the same cache (at most {@value
 * #MEMTABLE_SHARE} of it), and index and filter blocks live in it too (at high priority, the top level pinned), the
 * recipe of Kafka Streams' memory management guide. The cache and write-buffer manager of a bound live as long as the
 * process (every store of any application may use them); nothing is closed when a store closes. The stores open on a
 * bound are counted, and one warning says when they leave each less than {@link #MIN_MEMTABLE_PER_STORE} of memtable.
 */
public final class RocksDbMemory implements RocksDBConfigSetter {
    /** Streams config key (an application config, not passed to the clients) carrying the bound in bytes. */
    public static final String BOUND_CONFIG = "vigil.rocksdb.memory.bytes";
    /** Share of the bound the stores' memtables may take together; a store flushes its memtable beyond it. */
    static final double MEMTABLE_SHARE = 0.5;
    /** Share of the cache reserved for index and filter blocks (high priority). */
    static final double INDEX_FILTER_SHARE = 0.1;
    /**
     * Memtable a bounded store needs at least: below it stores flush their memtables every few MB and writes stall in
     * RocksDB's put ({@code bench fleet} at 100,000 keys: 2.7 MiB a store, 16 partitions, as fast as Kafka's per-store
     * defaults; 1.3 MiB a store, 32 partitions, 7 times slower).
     */
    static final long MIN_MEMTABLE_PER_STORE = 2L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbMemory.class);
    private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();
    /** The bound of the store this setter configured (Kafka Streams makes a setter per store), until it closes. */
    private Shared opened;

    /** A bound's cache and the write-buffer manager charging memtables to it, and the stores open on them. */
    record Shared(long bytes, Cache cache, WriteBufferManager writeBuffers, AtomicInteger open, AtomicBoolean warned) {
        static Shared of(long bytes) {
            RocksDB.loadLibrary();
            LRUCache cache = new LRUCache(bytes, -1, false, INDEX_FILTER_SHARE);
            return new Shared(bytes, cache, new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache),
                    new AtomicInteger(), new AtomicBoolean());
        }

        /** Counts a store opened on the bound; warns once when the stores open crowd its memtable share. */
        void opened() {
            crowded(open.incrementAndGet(), bytes).filter(w -> warned.compareAndSet(false, true)).ifPresent(LOG::warn);
        }

        void closed() {
            open.decrementAndGet();
        }
    }

    /**
     * The warning for {@code stores} open on a bound of {@code bytes} when their share of its memtables is below
     * {@link #MIN_MEMTABLE_PER_STORE}, naming the setting and a bound that gives each store twice that; else empty.
     */
    static Optional<String> crowded(int stores, long bytes) {
        double perStore = bytes * MEMTABLE_SHARE / stores;
        if (perStore >= MIN_MEMTABLE_PER_STORE) {
            return Optional.empty();
        }
        long needed = (long) Math.ceil(stores * 2.0 * MIN_MEMTABLE_PER_STORE / MEMTABLE_SHARE / (1 << 20)) << 20;
        return Optional.of(String.format(Locale.ROOT, "rocksdb.memory.bytes=%d leaves the %d RocksDB stores open on"
                + " it %.2f MiB of memtable each (half the bound); below %d MiB a store flushes every few MB and writes"
                + " stall: set it to %d (%d MiB) or more, or to 0 for Kafka Streams' per-store memory", bytes, stores,
                perStore / (1 << 20), MIN_MEMTABLE_PER_STORE >> 20, needed, needed >> 20));
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
        shared.opened();
        opened = shared;
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
        // the cache and write-buffer manager outlive the store (every store of the bound shares them): only the count
        // of the stores open on the bound drops
        if (opened != null) {
            opened.closed();
            opened = null;
        }
    }
}
