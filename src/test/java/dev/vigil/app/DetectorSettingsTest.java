package dev.vigil.app;

import dev.vigil.BadConfigException;
import dev.vigil.config.TopologyConfig;
import dev.vigil.config.TopologyConfigLoader;
import dev.vigil.detect.CalendarInputs;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.train.RetrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectorSettingsTest {
    private static final Path EXAMPLE = Path.of("config", "detector.properties");

    @TempDir
    Path tmp;

    @Test
    void shouldListEveryParameterWithItsDefaultInTheCheckedInExample() throws IOException {
        DetectorSettings defaults = DetectorSettings.load(null, List.of());
        Set<String> expected = new TreeSet<>();
        collect("lstm", defaults.detector().lstm(), expected);
        collect("scoring", defaults.detector().scoring(), expected);
        collect("retrain", defaults.retrain(), expected);
        collect("training", defaults.retrain().training(), expected);
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(EXAMPLE)) {
            p.load(in);
        }
        Set<String> listed = new TreeSet<>();
        p.forEach((k, v) -> listed.add(k + "=" + v));
        assertEquals(expected, listed);
        assertEquals(defaults, DetectorSettings.load(EXAMPLE, List.of()));
    }

    @Test
    void shouldShipATopologyExampleWhoseDetectorSettingsAreTheDefaults() {
        // the container runs topologies/sensors.yaml: what it sets must be what the figures were measured with
        TopologyConfig example = TopologyConfigLoader.load(Path.of("topologies", "sensors.yaml"));
        List<String> settings = example.detector().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .toList();
        assertFalse(settings.isEmpty(), "the example shows the main settings");
        assertEquals(DetectorSettings.load(null, List.of()), DetectorSettings.load(null, settings));
    }

    private static void collect(String section, Record r, Set<String> out) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (c.getName().equals("inputSize") || c.getName().equals("training")) {
                continue;
            }
            try {
                if (c.getName().equals("contextSize")) {
                    out.add(section + ".calendar=" + CalendarInputs.of((LstmConfig) r).configName());
                    continue;
                }
                out.add(section + "." + c.getName() + "=" + c.getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void shouldTurnTheCalendarSettingIntoTheNetworksContextInputs() {
        assertEquals(0, DetectorSettings.load(null, List.of("lstm.calendar=none")).detector().lstm().contextSize());
        assertEquals(8, DetectorSettings.load(null, List.of("lstm.calendar=day")).detector().lstm().contextSize(),
                "four harmonics of the day by default: sin and cos of each");
        assertEquals(10, DetectorSettings.load(null, List.of("lstm.calendar=week")).detector().lstm().contextSize());
        assertEquals(2, DetectorSettings.load(null, List.of("lstm.dayHarmonics=1")).detector().lstm().contextSize());
        assertEquals(4, DetectorSettings.load(null, List.of("lstm.calendar=week", "lstm.dayHarmonics=1")).detector()
                .lstm().contextSize());
        LstmConfig week = DetectorSettings.load(null, List.of("lstm.calendar=week", "lstm.dayHarmonics=2")).detector()
                .lstm();
        assertEquals(6, week.contextSize());
        assertEquals(CalendarInputs.WEEK, CalendarInputs.of(week));
        assertEquals(0, DetectorSettings.load(null, List.of("lstm.calendar=none", "lstm.dayHarmonics=3")).detector()
                .lstm().contextSize());
        assertEquals("dayHarmonics must be <= 4, got 5", assertThrows(BadConfigException.class,
                () -> DetectorSettings.load(null, List.of("lstm.dayHarmonics=5"))).getMessage());
    }

    @Test
    void shouldApplyCommandLineOverridesAfterTheFile() throws IOException {
        Path file = tmp.resolve("d.properties");
        Files.writeString(file, "lstm.hiddenSize=16\nscoring.quietEvents=7\n");
        DetectorSettings s = DetectorSettings.load(file, List.of("lstm.hiddenSize=24"));
        assertEquals(24, s.detector().lstm().hiddenSize());
        assertEquals(7, s.detector().scoring().quietEvents());
        assertEquals(DetectorConfig.defaults().scoring().alertThreshold(), s.detector().scoring().alertThreshold());
        assertEquals(RetrainConfig.defaults().historySize(), s.retrain().historySize());
    }

    @Test
    void shouldStopOnUnknownKeysSectionsMissingFilesAndCrossFieldViolations() {
        assertEquals("unknown setting scoring.threshold", assertThrows(BadConfigException.class,
                () -> DetectorSettings.load(null, List.of("scoring.threshold=0.4"))).getMessage());
        assertThrows(BadConfigException.class, () -> DetectorSettings.load(null, List.of("model.size=3")));
        assertThrows(BadConfigException.class, () -> DetectorSettings.load(null, List.of("lstm.inputSize=3")));
        assertEquals("lstm.calendar must be one of none, day, week, got 'daily'", assertThrows(BadConfigException.class,
                () -> DetectorSettings.load(null, List.of("lstm.calendar=daily"))).getMessage());
        assertThrows(BadConfigException.class, () -> DetectorSettings.load(null, List.of("lstm.contextSize=2")));
        assertThrows(BadConfigException.class, () -> DetectorSettings.load(tmp.resolve("missing.properties"), List.of()));
        assertEquals("minTrainPoints must be in [32, historySize=100], got 300", assertThrows(BadConfigException.class,
                () -> DetectorSettings.load(null, List.of("retrain.historySize=100"))).getMessage());
        assertEquals("retrain.coldStart must be shared or none, got 'fleet'", assertThrows(BadConfigException.class,
                () -> DetectorSettings.load(null, List.of("retrain.coldStart=fleet"))).getMessage());
        assertEquals("scoring.timeZone must be a time zone ID such as UTC or Europe/Berlin, got 'Berlin'",
                assertThrows(BadConfigException.class,
                () -> DetectorSettings.load(null, List.of("scoring.timeZone=Berlin"))).getMessage());
    }

    @Test
    void shouldTurnColdStartOnOnlyInPerKeyScope() {
        assertFalse(DetectorSettings.load(null, List.of()).retrain().coldStartShared(), "off by default");
        assertTrue(DetectorSettings.load(null, List.of("retrain.coldStart=shared")).retrain().coldStartShared());
        assertFalse(DetectorSettings.load(null, List.of("retrain.coldStart=shared", "retrain.scope=shared")).retrain()
                .coldStartShared(), "in shared scope every key is on the shared model anyway");
    }
}
