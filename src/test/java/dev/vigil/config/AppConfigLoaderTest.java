package dev.vigil.config;

import dev.vigil.BadConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppConfigLoaderTest {
    @Test
    void shouldReadTheCheckedInExample() {
        AppConfig c = AppConfigLoader.load(Path.of("config", "vigil.properties"));
        assertEquals("localhost:9092", c.bootstrapServers());
        assertEquals("vigil", c.applicationId());
        assertEquals(4, c.partitions());
        assertEquals(Map.of(), c.kafka());
    }

    @Test
    void shouldPassKafkaSettingsThroughWithoutThePrefix() {
        AppConfig c = AppConfigLoader.parse(Map.of("bootstrap.servers", "b:9092",
                "kafka.security.protocol", "SASL_SSL", "kafka.num.stream.threads", "2"));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "num.stream.threads", "2"), c.kafka());
    }

    @Test
    void shouldStopWithOneLineNamingTheKey() {
        assertTrue(assertThrows(BadConfigException.class, () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1",
                "bootstrap.server", "x"))).getMessage().startsWith("unknown key 'bootstrap.server'"));
        assertEquals("bootstrap.servers is required, e.g. bootstrap.servers=localhost:9092",
                assertThrows(BadConfigException.class, () -> AppConfigLoader.parse(Map.of())).getMessage());
        assertEquals("topics.partitions must be an integer, got 'four'", assertThrows(BadConfigException.class,
                () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "topics.partitions", "four"))).getMessage());
        assertEquals("topics.replication.factor must be in [1, 32], got 70000", assertThrows(BadConfigException.class,
                () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "topics.replication.factor", "70000"))).getMessage());
    }

    @Test
    void shouldReadTheInstanceIdAndRefuseBadOnesAndAClashWithKafkasOwnKey() {
        assertEquals(null, AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1")).instanceId());
        assertEquals("vigil-1", AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "instance.id", "vigil-1"))
                .instanceId());
        assertEquals("instance.id must be 1 to 200 letters, digits, '.', '_' or '-', got 'a b'",
                assertThrows(BadConfigException.class, () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1",
                        "instance.id", "a b"))).getMessage());
        assertEquals("kafka.group.instance.id must not be set: Vigil sets it from instance.id",
                assertThrows(BadConfigException.class, () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1",
                        "instance.id", "x", "kafka.group.instance.id", "y"))).getMessage());
    }

    @Test
    void shouldReadTheStateCacheBoundWithAQuarterOfTheHeapUpTo384MiBAsItsDefault() {
        long heap = Runtime.getRuntime().maxMemory();
        long expected = Math.min(384L << 20, heap / 4);
        assertEquals(expected, AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1")).stateCacheBytes());
        assertEquals(expected, AppConfigLoader.load(Path.of("config", "vigil.properties")).stateCacheBytes(),
                "the example file leaves the default in place");
        assertEquals(0L, AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1",
                "states.cache.bytes", "0")).stateCacheBytes());
        assertEquals(8_000_000_000L, AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1",
                "states.cache.bytes", "8000000000")).stateCacheBytes());
        assertEquals("states.cache.bytes must be in [0, 1099511627776], got -5", assertThrows(BadConfigException.class,
                () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "states.cache.bytes", "-5"))).getMessage());
        assertTrue(AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "states.cache.bytes", "1000"))
                .describe().contains("states.cache.bytes=1000"));
    }

    @Test
    void shouldReadTheRocksDbMemoryBoundWith0ForKafkasPerStoreDefaultsAsItsDefault() {
        assertEquals(0L, AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1")).rocksDbMemoryBytes());
        assertEquals(0L, AppConfigLoader.load(Path.of("config", "vigil.properties")).rocksDbMemoryBytes(),
                "the example file leaves the default in place");
        assertEquals(256L << 20, AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1",
                "rocksdb.memory.bytes", "268435456")).rocksDbMemoryBytes());
        assertEquals(4L << 30, AppConfigLoader.load(null, Map.of("VIGIL_BOOTSTRAP_SERVERS", "b:1",
                "VIGIL_ROCKSDB_MEMORY_BYTES", "4294967296")).rocksDbMemoryBytes());
        assertEquals("rocksdb.memory.bytes must be 0 or in [16777216, 1099511627776], got 1000",
                assertThrows(BadConfigException.class, () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1",
                        "rocksdb.memory.bytes", "1000"))).getMessage());
        assertTrue(AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "rocksdb.memory.bytes", "33554432"))
                .describe().contains("rocksdb.memory.bytes=33554432"));
    }

    @Test
    void shouldReadTheModelCacheBoundAsBytesWithADefaultAndARange() {
        assertEquals(256L << 20, AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1")).modelCacheBytes());
        assertEquals(8_000_000_000L, AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1",
                "models.cache.bytes", "8000000000")).modelCacheBytes());
        assertEquals("models.cache.bytes must be in [0, 1099511627776], got -1", assertThrows(BadConfigException.class,
                () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "models.cache.bytes", "-1"))).getMessage());
        assertEquals("models.cache.bytes must be an integer, got '256MB'", assertThrows(BadConfigException.class,
                () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "models.cache.bytes", "256MB"))).getMessage());
    }

    @Test
    void shouldReadTheTrainerParallelismWithADefaultOfOneAndARangeOfOneToTwo() {
        assertEquals(1, AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1")).trainerParallelism());
        AppConfig two = AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "trainer.parallelism", "2"));
        assertEquals(2, two.trainerParallelism());
        assertTrue(two.describe().contains("trainer.parallelism=2"), two.describe());
        assertEquals("trainer.parallelism must be 1 or 2, got 3", assertThrows(BadConfigException.class,
                () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "trainer.parallelism", "3"))).getMessage());
    }

    @Test
    void shouldDocumentEverySettingInTheReadmeAndTheExample() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        String example = java.nio.file.Files.readString(Path.of("config", "vigil.properties"));
        for (String key : AppConfigLoader.KEYS) {
            assertTrue(readme.contains("| `" + key + "` |"), key + " missing from the README's settings table");
            assertTrue(example.contains(key + "="), key + " missing from config/vigil.properties");
        }
    }

    @Test
    void shouldReadHttpSettingsWithDefaults() {
        assertEquals(new HttpConfig(true, "127.0.0.1", 8080, null),
                AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1")).http());
        assertEquals(new HttpConfig(false, "0.0.0.0", 0, "vigil-2.internal"), AppConfigLoader.parse(Map.of(
                "bootstrap.servers", "b:1", "http.enabled", "false", "http.host", "0.0.0.0", "http.port", "0",
                "http.advertised.host", "vigil-2.internal")).http());
        assertEquals(HttpConfig.defaults(), AppConfigLoader.load(Path.of("config", "vigil.properties")).http());
    }

    @Test
    void shouldStopOnBadHttpSettingsNamingTheKey() {
        assertEquals("http.port must be in [0, 65535], got 70000", assertThrows(BadConfigException.class,
                () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "http.port", "70000"))).getMessage());
        assertEquals("http.enabled must be true or false, got 'yes'", assertThrows(BadConfigException.class,
                () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "http.enabled", "yes"))).getMessage());
        assertEquals("http.host must be a host name or address, got 'a b'", assertThrows(BadConfigException.class,
                () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1", "http.host", "a b"))).getMessage());
        assertTrue(assertThrows(BadConfigException.class, () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1",
                "http.advertised.host", "h:1"))).getMessage().startsWith("http.advertised.host must be"));
        assertTrue(assertThrows(BadConfigException.class, () -> AppConfigLoader.parse(Map.of("bootstrap.servers", "b:1",
                "kafka.application.server", "h:1"))).getMessage().startsWith("kafka.application.server must not be set"));
    }

    @Test
    void shouldLetTheEnvironmentOverrideTheFile() {
        AppConfig c = AppConfigLoader.load(Path.of("config", "vigil.properties"), Map.of(
                "VIGIL_BOOTSTRAP_SERVERS", "kafka:9092", "VIGIL_HTTP_HOST", "0.0.0.0",
                "VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "HOME", "/root"));
        assertEquals("kafka:9092", c.bootstrapServers());
        assertEquals("0.0.0.0", c.http().host());
        assertEquals(8080, c.http().port());
        assertEquals("vigil", c.applicationId());
        assertEquals(Map.of("security.protocol", "SASL_SSL"), c.kafka());
    }

    @Test
    void shouldNeedNoFileWhenTheEnvironmentNamesTheCluster() {
        AppConfig c = AppConfigLoader.load(null, Map.of("VIGIL_BOOTSTRAP_SERVERS", "kafka:9092", "VIGIL_TOPICS_PARTITIONS", "8"));
        assertEquals("kafka:9092", c.bootstrapServers());
        assertEquals(8, c.partitions());
        assertEquals(HttpConfig.defaults(), c.http());
        assertEquals("bootstrap.servers is required: set it in a config file (--config FILE) or as VIGIL_BOOTSTRAP_SERVERS",
                assertThrows(BadConfigException.class, () -> AppConfigLoader.load(null, Map.of("VIGIL_HTTP_PORT", "1")))
                        .getMessage());
    }

    @Test
    void shouldNameTheVariableOfABadValueFromTheEnvironment() {
        assertEquals("http.port must be in [0, 65535], got 99999 (from environment variable VIGIL_HTTP_PORT)",
                assertThrows(BadConfigException.class, () -> AppConfigLoader.load(Path.of("config", "vigil.properties"),
                        Map.of("VIGIL_HTTP_PORT", "99999"))).getMessage());
        assertTrue(assertThrows(BadConfigException.class, () -> AppConfigLoader.load(null, Map.of(
                "VIGIL_BOOTSTRAP_SERVERS", "k:1", "VIGIL_STATE_DIRR", "/x"))).getMessage()
                .matches("unknown key 'state.dirr' .*\\(from environment variable VIGIL_STATE_DIRR\\)"));
        assertTrue(assertThrows(BadConfigException.class, () -> AppConfigLoader.load(Path.of("config", "vigil.properties"),
                Map.of("VIGIL_KAFKA_APPLICATION_SERVER", "h:1"))).getMessage()
                .endsWith("(from environment variable VIGIL_KAFKA_APPLICATION_SERVER)"));
    }

    @Test
    void shouldNeverShowSecretsInTheDescription() {
        AppConfig c = AppConfigLoader.load(null, Map.of("VIGIL_BOOTSTRAP_SERVERS", "kafka:9093",
                "VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "VIGIL_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"vigil\" password=\"s3cr3t-1\";",
                "VIGIL_KAFKA_SSL_TRUSTSTORE_PASSWORD", "s3cr3t-2",
                "VIGIL_KAFKA_SSL_KEY_PASSWORD", "s3cr3t-3",
                "VIGIL_KAFKA_SSL_KEYSTORE_KEY", "s3cr3t-4",
                "VIGIL_KAFKA_SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET", "s3cr3t-5",
                "VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/vigil/truststore.jks"));
        String described = c.describe();
        assertTrue(!described.contains("s3cr3t"), described);
        assertEquals(described, c.toString());
        assertTrue(described.contains("kafka.sasl.jaas.config=[hidden]"), described);
        assertTrue(described.contains("kafka.ssl.key.password=[hidden]"), described);
        assertTrue(described.contains("kafka.security.protocol=SASL_SSL"), described);
        assertTrue(described.contains("kafka.ssl.truststore.location=/etc/vigil/truststore.jks"), described);
        assertTrue(described.startsWith("bootstrap.servers=kafka:9093, application.id=vigil,"), described);
        assertTrue(!AppConfig.isSecret("key.serializer") && AppConfig.isSecret("kafka.ssl.keystore.key")
                && AppConfig.isSecret("sasl.login.token.endpoint") && !AppConfig.isSecret("ssl.keystore.type"));
    }

    @Test
    void shouldReadTheHttpTokenFromTheEnvironmentAndNeverShowIt() {
        String token = "s3cr3t-t0ken-0123456789";
        AppConfig c = AppConfigLoader.load(Path.of("config", "vigil.properties"),
                Map.of("VIGIL_HTTP_AUTH_TOKEN", token));
        assertEquals(token, c.http().authToken());
        assertTrue(c.http().requiresToken());
        assertTrue(c.describe().contains("http.auth.token=[hidden]"), c.describe());
        assertTrue(!c.describe().contains("s3cr3t") && !c.http().toString().contains("s3cr3t"), c.http().toString());
        assertTrue(AppConfig.isSecret("http.auth.token"));
        AppConfig none = AppConfigLoader.load(Path.of("config", "vigil.properties"));
        assertEquals(null, none.http().authToken());
        assertTrue(none.describe().contains("http.auth.token=(none)"), none.describe());
        // too short, and a character outside the token alphabet: refused without showing the value
        for (String bad : new String[] {"s3cr3t", "s3cr3t s3cr3t s3cr3t"}) {
            String message = assertThrows(BadConfigException.class, () -> AppConfigLoader.load(null, Map.of(
                    "VIGIL_BOOTSTRAP_SERVERS", "k:1", "VIGIL_HTTP_AUTH_TOKEN", bad))).getMessage();
            assertTrue(message.startsWith("http.auth.token must be 16 to 1024 characters of A-Z a-z 0-9 - . _ ~ + / =,"
                    + " got " + bad.length() + " characters"), message);
            assertTrue(message.endsWith("(from environment variable VIGIL_HTTP_AUTH_TOKEN)"), message);
            assertTrue(!message.contains("s3cr3t"), message);
        }
    }
}
