package dev.vigil.app;

import dev.vigil.config.AppConfig;
import dev.vigil.config.HttpConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link VigilService#instanceId}: the group.instance.id of static membership, set or derived. */
class InstanceIdTest {
    @Test
    void shouldUseTheSetIdAndNoneForDynamicMembership() {
        assertEquals("vigil-1", VigilService.instanceId(app("vigil-1", 8080, Map.of()), "10.0.0.5:8080"));
        assertNull(VigilService.instanceId(app("none", 8080, Map.of()), "10.0.0.5:8080"));
    }

    @Test
    void shouldDeriveItFromAStableNonLoopbackAdvertisedAddress() {
        assertEquals("vigil-0.vigil.default.svc-8080",
                VigilService.instanceId(app(null, 8080, Map.of()), "vigil-0.vigil.default.svc:8080"));
        // two machines would both advertise 127.0.0.1:8080 and fence each other; port 0 changes at each start
        assertNull(VigilService.instanceId(app(null, 8080, Map.of()), "127.0.0.1:8080"));
        assertNull(VigilService.instanceId(app(null, 8080, Map.of()), "localhost:8080"));
        assertNull(VigilService.instanceId(app(null, 0, Map.of()), "10.0.0.5:41234"));
        assertNull(VigilService.instanceId(app(null, 8080, Map.of()), null));
        // a group.instance.id passed through as a Kafka setting is left alone
        assertNull(VigilService.instanceId(app(null, 8080, Map.of("group.instance.id", "mine")), "10.0.0.5:8080"));
    }

    private static AppConfig app(String instanceId, int port, Map<String, String> kafka) {
        return new AppConfig("b:1", "vigil", Path.of("/tmp/x"), true, 4, 1, kafka,
                new HttpConfig(true, "0.0.0.0", port, null), 1, 10, AppConfig.DEFAULT_MODEL_CACHE_BYTES, instanceId);
    }
}
