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
}
