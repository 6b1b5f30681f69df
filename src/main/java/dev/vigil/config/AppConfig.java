package dev.vigil.config;

import dev.vigil.BadConfigException;

import java.nio.file.Path;
import java.util.Map;

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
 * @param trainerThreads    background training threads: at most this many models train at once, off the stream
 *                          threads; 1..64, default 1 (on two cores, scoring keeps the other)
 * @param trainerQueue      training requests waiting for a thread; a request that finds it full is refused and
 *                          asked again at the key's next event; 1..1,000,000, default 10,000
 */
public record AppConfig(String bootstrapServers, String applicationId, Path stateDir, boolean createTopics,
                        int partitions, int replicationFactor, Map<String, String> kafka, int trainerThreads,
                        int trainerQueue) {

    public static AppConfig defaults(String bootstrapServers) {
        return new AppConfig(bootstrapServers, "vigil", Path.of("/tmp/vigil-state"), true, 4, 1, Map.of());
    }

    /** With the trainer's defaults. */
    public AppConfig(String bootstrapServers, String applicationId, Path stateDir, boolean createTopics,
                     int partitions, int replicationFactor, Map<String, String> kafka) {
        this(bootstrapServers, applicationId, stateDir, createTopics, partitions, replicationFactor, kafka, 1, 10_000);
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
        if (trainerThreads < 1 || trainerThreads > 64) {
            throw new BadConfigException("trainer.threads must be in [1, 64], got " + trainerThreads);
        }
        if (trainerQueue < 1 || trainerQueue > 1_000_000) {
            throw new BadConfigException("trainer.queue.capacity must be in [1, 1000000], got " + trainerQueue);
        }
    }
}
