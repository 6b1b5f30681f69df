package dev.vigil.app;

import dev.vigil.BadConfigException;
import dev.vigil.score.ScoringConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SettingOverridesTest {
    @Test
    void shouldReplaceOnlyTheNamedComponents() {
        ScoringConfig s = SettingOverrides.apply(ScoringConfig.defaults(), "scoring",
                Map.of("alertThreshold", "0.7", "quietEvents", "12"));
        assertEquals(0.7, s.alertThreshold());
        assertEquals(12, s.quietEvents());
        assertEquals(ScoringConfig.defaults().warmupEvents(), s.warmupEvents());
    }

    @Test
    void shouldNameTheKeyWhenAValueIsBad() {
        assertEquals("scoring.quietEvents must be an integer, got 'many'", assertThrows(BadConfigException.class,
                () -> SettingOverrides.apply(ScoringConfig.defaults(), "scoring", Map.of("quietEvents", "many"))).getMessage());
        assertEquals("alertThreshold must be in (0, 1], got 2.0", assertThrows(BadConfigException.class,
                () -> SettingOverrides.apply(ScoringConfig.defaults(), "scoring", Map.of("alertThreshold", "2"))).getMessage());
        assertThrows(BadConfigException.class, () -> SettingOverrides.parse(List.of("noSection=1")));
    }
}
