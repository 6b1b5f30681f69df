package dev.vigil.config;

import dev.vigil.BadConfigException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Application settings of {@code vigil run}: which cluster, which application id, where state lives,
 * whether to create missing topics, plus Kafka client settings passed through untouched. Immutable;
 * loaded from {@code config/vigil.properties} by {@link AppConfigLoader}.
 *
 * @param bootstrapServers  Kafka bootstrap servers, "host:port[,host:port...]"; required
 * @param applicationId     Kafka Streams application id (instances with the same id share the work);
 *                          default "vigil"
 * @param stateDir          local state directory (RocksDB stores); default "/tmp/vigil-state"
 * @param createTopics      create missing topics at startup; default true
 * @param partitions        partitions of topics Vigil creates; 1..10,000, default 4
 * @param replicationFactor replication factor of topics Vigil creates; 1..32, default 1
 * @param kafka             Kafka client and Streams settings passed through untouched (keys without the
 *                          {@code kafka.} prefix of the properties file), e.g. security settings
 * @param http              the HTTP endpoint (keys {@code http.*}); {@link HttpConfig#defaults()} when loaded
 * @param trainerThreads    background training threads: at most this many models train at once, off the stream
 *                          threads; 1..64, default 1 (on two cores, scoring keeps the other)
 * @param trainerQueue      training requests waiting for a thread; a request that finds it full is refused and
 *                          the key trains the model in line at its swap point; 1..1,000,000, default 10,000
 * @param modelCacheBytes   bound on the heap of the instance's decoded models, in bytes (estimated: about 19 KB a
 *                          model at H=32); models not used lately are dropped first (second chance, an approximate
 *                          LRU) and decoded again from the model store at their key's next event; 0..2^40 (0 decodes
 *                          at every event), default 256 MiB
 * @param instanceId        static membership: this instance's stable name in the consumer groups (Kafka's
 *                          {@code group.instance.id}, one per stream thread), so that an instance restarted after a
 *                          crash takes its partitions back at once instead of after the dead member's session timeout;
 *                          letters, digits, '.', '_', '-', at most 200; must differ between running instances;
 *                          {@value #NO_INSTANCE_ID}: dynamic membership; null (the default): derived from the HTTP
 *                          endpoint's advertised host and port when those are stable and not a loopback address,
 *                          dynamic membership otherwise (docs/operations.md "Recovery after a crash")
 * @param trainerParallelism threads one background training runs on: its training thread and, with 2, a helper that
 *                          takes a share of each minibatch (the same models either way); 1..2, default 1 (on two
 *                          shared cores a training on two threads takes the core the stream threads keep)
 * @param stateCacheBytes   bound on the heap of the instance's decoded detector states, in bytes (estimated: about
 *                          2.3 KB a key at H=32 with one channel): a key whose state is held skips reading and decoding
 *                          it from its store at its next event (states held behind their events by their tasks,
 *                          states.replayEvents, may take as much again); keys not seen lately are dropped first;
 *                          0..2^40 (0 reads every state from its store), default a quarter of the JVM's maximum heap,
 *                          at most 384 MiB
 * @param rocksDbMemoryBytes bound on the native memory of all the instance's RocksDB stores together, in bytes: one
 *                          shared block cache that the memtables, index and filter blocks are charged to
 *                          ({@code dev.vigil.stream.RocksDbMemory}); 0, or with {@code kafka.rocksdb.config.setter}
 *                          set: Kafka Streams' per-store defaults (50 MB of cache and 3 × 16 MB of memtables each,
 *                          three stores a task); 0 or {@value #MIN_ROCKSDB_MEMORY_BYTES}..2^40, default 0: at 32
 *                          partitions a 256 MiB bound left the memtables of 96 stores so little room that a 100,000-key
 *                          fleet ran 7x slower (docs/performance.md), so the bound is for a user who sizes it
 * @param replayEvents      detector states written behind their events: a key's state is written at most once per this
 *                          many offsets of its input partition (held on the heap meanwhile), and a task that starts
 *                          again reads its partition back from before its oldest unwritten state, at most about 1.5
 *                          times this many records (docs/operations.md); 0 (the default): every event writes its key's
 *                          state; 0 or {@value #MIN_REPLAY_EVENTS}..{@value #MAX_REPLAY_EVENTS}. Applies to per-key
 *                          topologies that read their keys from the record key
 */
public record AppConfig(String bootstrapServers, String applicationId, Path stateDir, boolean createTopics,
                        int partitions, int replicationFactor, Map<String, String> kafka, HttpConfig http,
                        int trainerThreads, int trainerQueue, long modelCacheBytes, String instanceId,
                        int trainerParallelism, long stateCacheBytes, long rocksDbMemoryBytes, long replayEvents) {
    /** {@code instance.id} value that turns static membership off. */
    public static final String NO_INSTANCE_ID = "none";
    public static final int DEFAULT_TRAINER_THREADS = 1;
    public static final int DEFAULT_TRAINER_QUEUE = 10_000;
    public static final int DEFAULT_TRAINER_PARALLELISM = 1;
    /** Default {@code models.cache.bytes}: 256 MiB, about 14,000 models at H=32. */
    public static final long DEFAULT_MODEL_CACHE_BYTES = 256L << 20;
    /** Largest {@code models.cache.bytes}: 1 TiB. */
    public static final long MAX_MODEL_CACHE_BYTES = 1L << 40;
    /**
     * Largest default {@code states.cache.bytes}: 384 MiB, about 170,000 keys at H=32 with one channel (the default is
     * a quarter of the JVM's maximum heap up to this, {@link #defaultStateCacheBytes}).
     */
    public static final long DEFAULT_STATE_CACHE_BYTES = 384L << 20;
    /** Largest {@code states.cache.bytes}: 1 TiB. */
    public static final long MAX_STATE_CACHE_BYTES = 1L << 40;
    /** Default {@code rocksdb.memory.bytes}: 0, Kafka Streams' per-store defaults. */
    public static final long DEFAULT_ROCKSDB_MEMORY_BYTES = 0;
    /** Smallest {@code rocksdb.memory.bytes} other than 0: 16 MiB. */
    public static final long MIN_ROCKSDB_MEMORY_BYTES = 16L << 20;
    /** Largest {@code rocksdb.memory.bytes}: 1 TiB. */
    public static final long MAX_ROCKSDB_MEMORY_BYTES = 1L << 40;
    /**
     * Default {@code states.replayEvents}: a key's state written at most once per 1,000,000 offsets of its partition
     * (or 30 s): a 100,000-key fleet on four partitions writes a record at about one event in forty instead of one in
     * ten at 200,000 (0.84–0.85 of a 1,000-key fleet's events/s against 0.65–0.72), and a crash replays up to 1.5
     * million offsets a partition at full speed; at a live rate the 30 s bound writes first (docs/performance.md,
     * Fleet).
     */
    public static final long DEFAULT_REPLAY_EVENTS = 1_000_000;
    /** Smallest {@code states.replayEvents} other than 0. */
    public static final long MIN_REPLAY_EVENTS = 100;
    /** Largest {@code states.replayEvents}. */
    public static final long MAX_REPLAY_EVENTS = 100_000_000;

    public static AppConfig defaults(String bootstrapServers) {
        return new AppConfig(bootstrapServers, "vigil", Path.of("/tmp/vigil-state"), true, 4, 1, Map.of(),
                HttpConfig.defaults());
    }

    /** With the default {@code states.replayEvents} ({@value #DEFAULT_REPLAY_EVENTS}). */
    public AppConfig(String bootstrapServers, String applicationId, Path stateDir, boolean createTopics,
                     int partitions, int replicationFactor, Map<String, String> kafka, HttpConfig http,
                     int trainerThreads, int trainerQueue, long modelCacheBytes, String instanceId,
                     int trainerParallelism, long stateCacheBytes, long rocksDbMemoryBytes) {
        this(bootstrapServers, applicationId, stateDir, createTopics, partitions, replicationFactor, kafka, http,
                trainerThreads, trainerQueue, modelCacheBytes, instanceId, trainerParallelism, stateCacheBytes,
                rocksDbMemoryBytes, DEFAULT_REPLAY_EVENTS);
    }

    /** With the default {@code rocksdb.memory.bytes}. */
    public AppConfig(String bootstrapServers, String applicationId, Path stateDir, boolean createTopics,
                     int partitions, int replicationFactor, Map<String, String> kafka, HttpConfig http,
                     int trainerThreads, int trainerQueue, long modelCacheBytes, String instanceId,
                     int trainerParallelism, long stateCacheBytes) {
        this(bootstrapServers, applicationId, stateDir, createTopics, partitions, replicationFactor, kafka, http,
                trainerThreads, trainerQueue, modelCacheBytes, instanceId, trainerParallelism, stateCacheBytes,
                DEFAULT_ROCKSDB_MEMORY_BYTES);
    }

    /** With the default {@code states.cache.bytes}. */
    public AppConfig(String bootstrapServers, String applicationId, Path stateDir, boolean createTopics,
                     int partitions, int replicationFactor, Map<String, String> kafka, HttpConfig http,
                     int trainerThreads, int trainerQueue, long modelCacheBytes, String instanceId,
                     int trainerParallelism) {
        this(bootstrapServers, applicationId, stateDir, createTopics, partitions, replicationFactor, kafka, http,
                trainerThreads, trainerQueue, modelCacheBytes, instanceId, trainerParallelism,
                defaultStateCacheBytes());
    }

    /**
     * The default {@code states.cache.bytes}: a quarter of this JVM's maximum heap, at most {@value
     * #DEFAULT_STATE_CACHE_BYTES} bytes, so that a small container's heap is not taken by states it could read from
     * its stores (a 1 GiB container, whose JVM gets half of it, holds about 70,000 keys' states).
     */
    public static long defaultStateCacheBytes() {
        return Math.min(DEFAULT_STATE_CACHE_BYTES, Runtime.getRuntime().maxMemory() / 4);
    }

    /** With one thread per training (the default {@code trainer.parallelism}). */
    public AppConfig(String bootstrapServers, String applicationId, Path stateDir, boolean createTopics,
                     int partitions, int replicationFactor, Map<String, String> kafka, HttpConfig http,
                     int trainerThreads, int trainerQueue, long modelCacheBytes, String instanceId) {
        this(bootstrapServers, applicationId, stateDir, createTopics, partitions, replicationFactor, kafka, http,
                trainerThreads, trainerQueue, modelCacheBytes, instanceId, DEFAULT_TRAINER_PARALLELISM);
    }

    /** With {@code instance.id} derived (the default). */
    public AppConfig(String bootstrapServers, String applicationId, Path stateDir, boolean createTopics,
                     int partitions, int replicationFactor, Map<String, String> kafka, HttpConfig http,
                     int trainerThreads, int trainerQueue, long modelCacheBytes) {
        this(bootstrapServers, applicationId, stateDir, createTopics, partitions, replicationFactor, kafka, http,
                trainerThreads, trainerQueue, modelCacheBytes, null);
    }

    /** With the default model cache bound. */
    public AppConfig(String bootstrapServers, String applicationId, Path stateDir, boolean createTopics,
                     int partitions, int replicationFactor, Map<String, String> kafka, HttpConfig http,
                     int trainerThreads, int trainerQueue) {
        this(bootstrapServers, applicationId, stateDir, createTopics, partitions, replicationFactor, kafka, http,
                trainerThreads, trainerQueue, DEFAULT_MODEL_CACHE_BYTES);
    }

    /** With the trainer's defaults. */
    public AppConfig(String bootstrapServers, String applicationId, Path stateDir, boolean createTopics,
                     int partitions, int replicationFactor, Map<String, String> kafka, HttpConfig http) {
        this(bootstrapServers, applicationId, stateDir, createTopics, partitions, replicationFactor, kafka, http,
                DEFAULT_TRAINER_THREADS, DEFAULT_TRAINER_QUEUE);
    }

    /** Settings without an HTTP endpoint (programmatic use: the demo, benchmarks, tests). */
    public AppConfig(String bootstrapServers, String applicationId, Path stateDir, boolean createTopics,
                     int partitions, int replicationFactor, Map<String, String> kafka) {
        this(bootstrapServers, applicationId, stateDir, createTopics, partitions, replicationFactor, kafka,
                HttpConfig.disabled());
    }

    public AppConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new BadConfigException("bootstrap.servers is required, e.g. bootstrap.servers=localhost:9092");
        }
        if (applicationId == null || !applicationId.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new BadConfigException("application.id must be letters, digits, '.', '_' or '-', got '" + applicationId + "'");
        }
        if (stateDir == null) {
            throw new BadConfigException("state.dir is required");
        }
        if (partitions < 1 || partitions > 10_000) {
            throw new BadConfigException("topics.partitions must be in [1, 10000], got " + partitions);
        }
        if (replicationFactor < 1 || replicationFactor > 32) {
            throw new BadConfigException("topics.replication.factor must be in [1, 32], got " + replicationFactor);
        }
        kafka = Map.copyOf(kafka == null ? Map.of() : kafka);
        if (http == null) {
            throw new BadConfigException("http settings are required (HttpConfig.disabled() for none)");
        }
        if (http.enabled() && kafka.containsKey("application.server")) {
            throw new BadConfigException("kafka.application.server must not be set: with http.enabled=true Vigil sets it"
                    + " to http.advertised.host and the bound http.port");
        }
        if (trainerThreads < 1 || trainerThreads > 64) {
            throw new BadConfigException("trainer.threads must be in [1, 64], got " + trainerThreads);
        }
        if (trainerParallelism < 1 || trainerParallelism > 2) {
            throw new BadConfigException("trainer.parallelism must be 1 or 2, got " + trainerParallelism);
        }
        if (trainerQueue < 1 || trainerQueue > 1_000_000) {
            throw new BadConfigException("trainer.queue.capacity must be in [1, 1000000], got " + trainerQueue);
        }
        if (modelCacheBytes < 0 || modelCacheBytes > MAX_MODEL_CACHE_BYTES) {
            throw new BadConfigException("models.cache.bytes must be in [0, " + MAX_MODEL_CACHE_BYTES + "], got "
                    + modelCacheBytes);
        }
        if (stateCacheBytes < 0 || stateCacheBytes > MAX_STATE_CACHE_BYTES) {
            throw new BadConfigException("states.cache.bytes must be in [0, " + MAX_STATE_CACHE_BYTES + "], got "
                    + stateCacheBytes);
        }
        if (rocksDbMemoryBytes != 0 && (rocksDbMemoryBytes < MIN_ROCKSDB_MEMORY_BYTES
                || rocksDbMemoryBytes > MAX_ROCKSDB_MEMORY_BYTES)) {
            throw new BadConfigException("rocksdb.memory.bytes must be 0 or in [" + MIN_ROCKSDB_MEMORY_BYTES + ", "
                    + MAX_ROCKSDB_MEMORY_BYTES + "], got " + rocksDbMemoryBytes);
        }
        if (replayEvents != 0 && (replayEvents < MIN_REPLAY_EVENTS || replayEvents > MAX_REPLAY_EVENTS)) {
            throw new BadConfigException("states.replayEvents must be 0 or in [" + MIN_REPLAY_EVENTS + ", "
                    + MAX_REPLAY_EVENTS + "], got " + replayEvents);
        }
        if (instanceId != null && !instanceId.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new BadConfigException("instance.id must be 1 to 200 letters, digits, '.', '_' or '-', got '"
                    + instanceId + "'");
        }
        if (instanceId != null && kafka.containsKey("group.instance.id")) {
            throw new BadConfigException("kafka.group.instance.id must not be set: Vigil sets it from instance.id");
        }
    }

    /** Parts of a key that mark its value as secret ({@link #isSecret}). */
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "jaas", "token", "credential");
    /** What {@link #describe()} shows instead of a secret value. */
    public static final String HIDDEN = "[hidden]";

    /**
     * Whether the value of {@code key} (a Kafka client key, with or without the {@code kafka.} prefix) must never
     * be logged: the key contains password, secret, jaas, token or credential, or has a part "key" after its first
     * (ssl.key.password, ssl.keystore.key, ...private.key.passphrase; not key.serializer).
     */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (SECRET_WORDS.stream().anyMatch(k::contains)) {
            return true;
        }
        String[] parts = (k.startsWith("kafka.") ? k.substring("kafka.".length()) : k).split("\\.");
        return Arrays.asList(parts).subList(1, parts.length).contains("key");
    }

    /**
     * The effective settings as {@code key=value} pairs, Vigil's keys first, then the {@code kafka.} keys sorted;
     * secret values ({@link #isSecret}) as {@value #HIDDEN}. Safe to log; also {@link #toString()}.
     */
    public String describe() {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("bootstrap.servers", bootstrapServers);
        shown.put("application.id", applicationId);
        shown.put("state.dir", stateDir);
        shown.put("topics.create", createTopics);
        shown.put("topics.partitions", partitions);
        shown.put("topics.replication.factor", replicationFactor);
        shown.put("http.enabled", http.enabled());
        shown.put("http.host", http.host());
        shown.put("http.port", http.port());
        shown.put("http.advertised.host", http.advertisedHost() == null ? "(derived)" : http.advertisedHost());
        shown.put("http.auth.token", http.requiresToken() ? HIDDEN : "(none)");
        shown.put("trainer.threads", trainerThreads);
        shown.put("trainer.parallelism", trainerParallelism);
        shown.put("trainer.queue.capacity", trainerQueue);
        shown.put("models.cache.bytes", modelCacheBytes);
        shown.put("states.cache.bytes", stateCacheBytes);
        shown.put("rocksdb.memory.bytes", rocksDbMemoryBytes);
        shown.put("states.replayEvents", replayEvents);
        shown.put("instance.id", instanceId == null ? "(derived)" : instanceId);
        new TreeMap<>(kafka).forEach((k, v) -> shown.put("kafka." + k, isSecret(k) ? HIDDEN : v));
        StringBuilder out = new StringBuilder();
        shown.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return out.toString();
    }

    /** {@link #describe()}: never the secrets (a record's default would print them). */
    @Override
    public String toString() {
        return describe();
    }
}
