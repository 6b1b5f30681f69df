package dev.vigil.config;

import dev.vigil.BadConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VIGIL_* environment variables as settings keys, with an injected environment (the real one is not touched). */
class EnvironmentSettingsTest {
    @Test
    void shouldMapVariableNamesToKeys() {
        assertEquals("bootstrap.servers", EnvironmentSettings.key("VIGIL_BOOTSTRAP_SERVERS"));
        assertEquals("http.advertised.host", EnvironmentSettings.key("VIGIL_HTTP_ADVERTISED_HOST"));
        assertEquals("kafka.sasl.jaas.config", EnvironmentSettings.key("VIGIL_KAFKA_SASL_JAAS_CONFIG"));
        assertEquals("kafka.some_key", EnvironmentSettings.key("VIGIL_KAFKA_SOME__KEY"));
        assertEquals("kafka.a-b.c", EnvironmentSettings.key("VIGIL_KAFKA_A___B_C"));
    }

    @Test
    void shouldInvertTheMapping() {
        for (String key : new String[] {"bootstrap.servers", "kafka.sasl.jaas.config", "kafka.some_key", "kafka.a-b.c",
                "topics.replication.factor"}) {
            assertEquals(key, EnvironmentSettings.key(EnvironmentSettings.variable(key)), key);
        }
        assertEquals("VIGIL_KAFKA_SSL_KEYSTORE_LOCATION", EnvironmentSettings.variable("kafka.ssl.keystore.location"));
    }

    @Test
    void shouldTakeOnlyPrefixedVariables() {
        EnvironmentSettings s = EnvironmentSettings.of(Map.of("PATH", "/bin", "VIGIL_BOOTSTRAP_SERVERS", " k:9092 ",
                "vigil_http_port", "1", "VIGILANT", "x", "VIGIL_KAFKA_NUM_STREAM_THREADS", "2"));
        assertEquals(Map.of("bootstrap.servers", "k:9092", "kafka.num.stream.threads", "2"), s.values());
        assertEquals("VIGIL_KAFKA_NUM_STREAM_THREADS", s.variables().get("kafka.num.stream.threads"));
    }

    @Test
    void shouldRefuseNamesThatNameNoKey() {
        assertTrue(assertThrows(BadConfigException.class, () -> EnvironmentSettings.key("VIGIL_")).getMessage()
                .contains("VIGIL_ does not name a settings key"));
        assertTrue(assertThrows(BadConfigException.class, () -> EnvironmentSettings.key("VIGIL_HTTP_PORT_")).getMessage()
                .contains("does not name a settings key"));
        assertTrue(assertThrows(BadConfigException.class, () -> EnvironmentSettings.key("VIGIL_A____B")).getMessage()
                .contains("at most three underscores"));
        assertTrue(assertThrows(BadConfigException.class, () -> EnvironmentSettings.of(Map.of(
                "VIGIL_HTTP_PORT", "1", "VIGIL_http_port", "2"))).getMessage().contains("both set http.port"));
    }
}
