package dev.vigil.app.bench;

import dev.vigil.BadConfigException;

/**
 * What {@code vigil bench fleet} runs ({@link FleetBenchmark}).
 *
 * @param keys             keys of the large fleet (≥ 1)
 * @param eventsPerKey     events per key of the large fleet (≥ 1); the small fleet gets the same total
 * @param smallKeys        keys of the small fleet (≥ 1)
 * @param modelShare       share of keys given a per-key model before the run, in [0, 1]
 * @param partitions       partitions of every topic (≥ 1)
 * @param cacheBytes       bound of the instance's decoded-model cache ({@code models.cache.bytes})
 * @param modelChurn       new model versions published per second while a fleet processes (round robin over the
 *                         keys with a model, as a trainer would put them in force), 0 for none
 * @param recordCacheBytes Kafka Streams' record cache of each fleet's application ({@code
 *                         statestore.cache.max.bytes}), or -1 for Kafka's default (10 MB, what Vigil runs with
 *                         unless {@code kafka.statestore.cache.max.bytes} is set)
 * @param statesCacheBytes bound of the decoded-state cache ({@code states.cache.bytes}), -1 for the service's default
 * @param rounds           times both fleets process their events (≥ 1): the first round measures everything, each
 *                         further one runs both fleets again under new application ids, the large fleet first in
 *                         even rounds, and the ratio is the median of the rounds' ratios, so that the machine's
 *                         load moving between two phases does not decide it
 * @param bootstrapServers an existing cluster, or null for an embedded broker
 * @param rocksDbMemoryBytes bound on the native memory of each fleet's RocksDB stores ({@code
 *                         rocksdb.memory.bytes}), 0 for Kafka Streams' per-store defaults, -1 for the service's
 *                         default
 * @param replayEvents     the detectors' {@code states.replayEvents}: states written behind their events, at most once
 *                         per this many offsets of a partition (the service's default {@value
 *                         dev.vigil.config.AppConfig#DEFAULT_REPLAY_EVENTS}); 0: at every event
 */
public record FleetSettings(int keys, int eventsPerKey, int smallKeys, double modelShare, int partitions,
                            long cacheBytes, int modelChurn, long recordCacheBytes, long statesCacheBytes, int rounds,
                            String bootstrapServers, long rocksDbMemoryBytes, long replayEvents) {
    /** Rounds of the default run: the median of three ratios, within the run's 10 minutes. */
    public static final int DEFAULT_ROUNDS = 3;

    /** With every event writing its key's state. */
    public FleetSettings(int keys, int eventsPerKey, int smallKeys, double modelShare, int partitions,
                         long cacheBytes, int modelChurn, long recordCacheBytes, long statesCacheBytes, int rounds,
                         String bootstrapServers, long rocksDbMemoryBytes) {
        this(keys, eventsPerKey, smallKeys, modelShare, partitions, cacheBytes, modelChurn, recordCacheBytes,
                statesCacheBytes, rounds, bootstrapServers, rocksDbMemoryBytes, 0);
    }

    /** With the service's RocksDB memory bound. */
    public FleetSettings(int keys, int eventsPerKey, int smallKeys, double modelShare, int partitions,
                         long cacheBytes, int modelChurn, long recordCacheBytes, long statesCacheBytes, int rounds,
                         String bootstrapServers) {
        this(keys, eventsPerKey, smallKeys, modelShare, partitions, cacheBytes, modelChurn, recordCacheBytes,
                statesCacheBytes, rounds, bootstrapServers, -1);
    }

    public FleetSettings {
        if (rounds < 1) {
            throw new BadConfigException("--rounds must be >= 1, got " + rounds);
        }
        if (keys < 1 || eventsPerKey < 1 || smallKeys < 1 || partitions < 1 || cacheBytes < 1) {
            throw new BadConfigException("bench fleet needs keys, events per key, small keys, partitions and cache"
                    + " bytes > 0, got " + keys + ", " + eventsPerKey + ", " + smallKeys + ", " + partitions + ", "
                    + cacheBytes);
        }
        if (modelChurn < 0) {
            throw new BadConfigException("--model-churn must be >= 0, got " + modelChurn);
        }
        if (recordCacheBytes < -1) {
            throw new BadConfigException("--record-cache-bytes must be >= 0 (or -1: Kafka's default), got "
                    + recordCacheBytes);
        }
        if (!(modelShare >= 0 && modelShare <= 1)) {
            throw new BadConfigException("--model-share must be in [0, 1], got " + modelShare);
        }
        if (rocksDbMemoryBytes < -1) {
            throw new BadConfigException("--rocksdb-memory-bytes must be >= 0 (or -1: the service's default), got "
                    + rocksDbMemoryBytes);
        }
        if (replayEvents != 0 && (replayEvents < dev.vigil.config.AppConfig.MIN_REPLAY_EVENTS
                || replayEvents > dev.vigil.config.AppConfig.MAX_REPLAY_EVENTS)) {
            throw new BadConfigException("--replay-events must be 0 or in ["
                    + dev.vigil.config.AppConfig.MIN_REPLAY_EVENTS + ", " + dev.vigil.config.AppConfig.MAX_REPLAY_EVENTS
                    + "], got " + replayEvents);
        }
        if (statesCacheBytes < -1 || statesCacheBytes > dev.vigil.config.AppConfig.MAX_STATE_CACHE_BYTES) {
            throw new BadConfigException("--states-cache-bytes must be in [0, "
                    + dev.vigil.config.AppConfig.MAX_STATE_CACHE_BYTES + "] (or -1: the service's default), got "
                    + statesCacheBytes);
        }
    }

    /** The RocksDB memory bound: {@code --rocksdb-memory-bytes}, or the service's default. */
    public long rocksDbMemoryBound() {
        return rocksDbMemoryBytes < 0 ? dev.vigil.config.AppConfig.DEFAULT_ROCKSDB_MEMORY_BYTES
                : rocksDbMemoryBytes;
    }

    /** The decoded-state cache's bound: {@code --states-cache-bytes}, or the service's default. */
    public long stateCacheBound() {
        return statesCacheBytes < 0 ? dev.vigil.config.AppConfig.defaultStateCacheBytes() : statesCacheBytes;
    }

    public static FleetSettings defaults() {
        return new FleetSettings(100_000, 20, 1_000, 0.1, 4, dev.vigil.config.AppConfig.DEFAULT_MODEL_CACHE_BYTES, 0,
                -1, -1, DEFAULT_ROUNDS, null, -1, dev.vigil.config.AppConfig.DEFAULT_REPLAY_EVENTS);
    }
}
