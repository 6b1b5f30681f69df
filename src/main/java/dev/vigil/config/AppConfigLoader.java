package dev.vigil.config;

import dev.vigil.BadConfigException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code config/vigil.properties} and {@code VIGIL_*} environment variables ({@link EnvironmentSettings};
 * the environment wins) into an {@link AppConfig}. Vigil's own keys are listed in {@link #KEYS}; keys starting
 * with {@code kafka.} are passed to the Kafka clients without the prefix. Anything else, a missing file or a bad
 * value stops with one line naming the key.
 */
public final class AppConfigLoader {
    /** Vigil's own keys. */
    public static final Set<String> KEYS = Set.of("bootstrap.servers", "application.id", "state.dir",
            "topics.create", "topics.partitions", "topics.replication.factor",
            "http.enabled", "http.host", "http.port", "http.advertised.host", "http.auth.token", "trainer.threads",
            "trainer.parallelism", "trainer.queue.capacity", "models.cache.bytes", "states.cache.bytes",
            "states.replayEvents", "instance.id", "rocksdb.memory.bytes");
    private static final String KAFKA_PREFIX = "kafka.";

    private AppConfigLoader() {
    }

    /** The file's settings alone (no environment). */
    public static AppConfig load(Path file) {
        return load(file, Map.of());
    }

    /**
     * The file's settings (none when {@code file} is null) overridden by the {@code VIGIL_*} variables of
     * {@code env} ({@link EnvironmentSettings}). {@code bootstrap.servers} must come from one of them. An error
     * names the key and where it came from (the file, or the environment variable).
     */
    public static AppConfig load(Path file, Map<String, String> env) {
        Map<String, String> values = file == null ? new LinkedHashMap<>() : read(file);
        EnvironmentSettings fromEnv = EnvironmentSettings.of(env);
        values.putAll(fromEnv.values());
        if (!values.containsKey("bootstrap.servers")) {
            throw new BadConfigException("bootstrap.servers is required: set it in " + (file == null
                    ? "a config file (--config FILE)" : file) + " or as " + EnvironmentSettings.variable("bootstrap.servers"));
        }
        try {
            return parse(values);
        } catch (BadConfigException e) {
            String key = values.keySet().stream()
                    .filter(k -> e.getMessage().startsWith(k + " ") || e.getMessage().startsWith("unknown key '" + k + "'"))
                    .reduce((a, b) -> a.length() >= b.length() ? a : b).orElse(null);
            if (key != null && fromEnv.variables().containsKey(key)) {
                throw new BadConfigException(e.getMessage() + " (from environment variable "
                        + fromEnv.variables().get(key) + ")", e);
            }
            throw file == null ? e : new BadConfigException(file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadConfigException("config file " + file + " does not exist");
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String k : new TreeSet<>(p.stringPropertyNames())) {
            values.put(k, p.getProperty(k).trim());
        }
        return values;
    }

    /** Builds the config from key → value (file keys, already merged with any other source). */
    public static AppConfig parse(Map<String, String> values) {
        Map<String, String> kafka = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(KAFKA_PREFIX) && k.length() > KAFKA_PREFIX.length()) {
                kafka.put(k.substring(KAFKA_PREFIX.length()), e.getValue());
            } else if (!KEYS.contains(k)) {
                throw new BadConfigException("unknown key '" + k + "' (Vigil's keys: " + new TreeSet<>(KEYS)
                        + "; Kafka client settings take the prefix 'kafka.')");
            }
        }
        AppConfig d = AppConfig.defaults("unset");
        HttpConfig h = d.http();
        HttpConfig http = new HttpConfig(
                bool(values, "http.enabled", h.enabled()),
                values.getOrDefault("http.host", h.host()),
                (int) number(values, "http.port", h.port()),
                values.getOrDefault("http.advertised.host", h.advertisedHost()),
                values.getOrDefault("http.auth.token", h.authToken()));
        return new AppConfig(
                values.get("bootstrap.servers"),
                values.getOrDefault("application.id", d.applicationId()),
                Path.of(values.getOrDefault("state.dir", d.stateDir().toString())),
                bool(values, "topics.create", d.createTopics()),
                (int) number(values, "topics.partitions", d.partitions()),
                (int) number(values, "topics.replication.factor", d.replicationFactor()),
                kafka, http,
                (int) number(values, "trainer.threads", d.trainerThreads()),
                (int) number(values, "trainer.queue.capacity", d.trainerQueue()),
                wholeNumber(values, "models.cache.bytes", d.modelCacheBytes()),
                values.get("instance.id"),
                (int) number(values, "trainer.parallelism", d.trainerParallelism()),
                wholeNumber(values, "states.cache.bytes", d.stateCacheBytes()),
                wholeNumber(values, "rocksdb.memory.bytes", d.rocksDbMemoryBytes()),
                wholeNumber(values, "states.replayEvents", d.replayEvents()));
    }

    private static boolean bool(Map<String, String> values, String key, boolean fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new BadConfigException(key + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private static long number(Map<String, String> values, String key, long fallback) {
        long n = wholeNumber(values, key, fallback);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw new BadConfigException(key + " must be an integer, got '" + values.get(key) + "'");
        }
        return n;
    }

    /** A 64-bit integer setting. */
    private static long wholeNumber(Map<String, String> values, String key, long fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadConfigException(key + " must be an integer, got '" + v + "'");
        }
    }
}
