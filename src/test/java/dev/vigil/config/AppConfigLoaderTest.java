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
}
