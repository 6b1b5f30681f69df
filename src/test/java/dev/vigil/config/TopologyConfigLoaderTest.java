package dev.vigil.config;

import dev.vigil.BadConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopologyConfigLoaderTest {
    @TempDir
    Path tmp;

    private Path write(String yaml) throws IOException {
        Path f = tmp.resolve("t.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void shouldReadTheCheckedInExampleAsTheDefaults() {
        TopologyConfig t = TopologyConfigLoader.load(Path.of("topologies", "sensors.yaml"));
        TopologyConfig d = TopologyConfig.defaults();
        assertEquals(d.inputTopic(), t.inputTopic());
        assertNull(t.keyField());
        assertEquals(List.of(), t.channels());
        assertEquals(d.modelsTopic(), t.modelsTopic());
        assertEquals(d.maxFutureMs(), t.maxFutureMs());
        assertEquals(TopologyConfig.DEFAULT_MIN_EVENT_TIME_MS, t.minEventTimeMs());
        assertEquals(0, d.keyIdleExpiryMs());
        assertEquals(d.keyIdleExpiryMs(), t.keyIdleExpiryMs());
        assertEquals(Map.of("lstm.hiddenSize", "32", "lstm.calendar", "day", "training.levelJitter", "0.0",
                "retrain.scope", "per-key", "retrain.coldStart", "none", "retrain.retrainInterval", "1000",
                "retrain.firstSpreadEvents", "0", "scoring.alertThreshold", "0.5"), t.detector());
    }

    @Test
    void shouldReadAMultichannelTopologyWithDetectorSections() throws IOException {
        TopologyConfig t = TopologyConfigLoader.load(write("""
                name: machines
                inputTopic: machine-events
                keyField: machineId
                channels: [temp, vibration]
                allowedLatenessMs: 5000
                detector:
                  lstm: {hiddenSize: 16, layers: 2}
                  retrain: {retrainInterval: 500}
                """));
        assertEquals("machines", t.name());
        assertEquals("machineId", t.keyField());
        assertEquals(2, t.channelCount());
        assertEquals(5000, t.allowedLatenessMs());
        assertEquals(TopologyConfig.DEFAULT_MIN_EVENT_TIME_MS, t.minEventTimeMs(), "the default");
        assertEquals(0, TopologyConfigLoader.load(write("minEventTimeMs: 0\n")).minEventTimeMs(), "the check off");
        assertEquals(Map.of("lstm.hiddenSize", "16", "lstm.layers", "2", "retrain.retrainInterval", "500"), t.detector());
    }

    @Test
    void shouldStopWithOneLineNamingTheFileAndTheKey() throws IOException {
        Path f = write("inputTopik: x\n");
        BadConfigException e = assertThrows(BadConfigException.class, () -> TopologyConfigLoader.load(f));
        assertTrue(e.getMessage().startsWith(f + ": unknown key 'inputTopik'"), e.getMessage());
        assertEquals(f + ": allowedLatenessMs must be an integer, got \"soon\"", assertThrows(BadConfigException.class,
                () -> TopologyConfigLoader.load(write("allowedLatenessMs: soon\n"))).getMessage());
        assertEquals(f + ": maxRecordBytes must be in [64, 10485760], got 1", assertThrows(BadConfigException.class,
                () -> TopologyConfigLoader.load(write("maxRecordBytes: 1\n"))).getMessage());
        assertEquals(f + ": minEventTimeMs must be in [0, 4102444800000], got -1",
                assertThrows(BadConfigException.class, () -> TopologyConfigLoader.load(write("minEventTimeMs: -1\n")))
                        .getMessage());
        assertTrue(assertThrows(BadConfigException.class, () -> TopologyConfigLoader.load(write("channels: [a, a]\n")))
                .getMessage().contains("channels must be distinct"));
        assertTrue(assertThrows(BadConfigException.class, () -> TopologyConfigLoader.load(write("scoresTopic: sensor-events\n")))
                .getMessage().contains("must all differ"));
        assertTrue(assertThrows(BadConfigException.class, () -> TopologyConfigLoader.load(tmp.resolve("none.yaml")))
                .getMessage().contains("does not exist"));
    }

    @Test
    void shouldReadCounterChannelsByNameAndRefuseOthers() throws IOException {
        TopologyConfig t = TopologyConfigLoader.load(
                write("channels: [temp, energy, water]\ncounters: [water, energy]\n"));
        assertEquals(List.of("water", "energy"), t.counters());
        assertEquals(0b110, t.counterMask());
        assertEquals(1, TopologyConfigLoader.load(write("counters: [value]\n")).counterMask(), "single-value events");
        assertEquals(0, TopologyConfig.defaults().counterMask());
        Path f = tmp.resolve("t.yaml");
        assertEquals(f + ": counters must name channels of [temp, energy], got 'power'",
                assertThrows(BadConfigException.class,
                        () -> TopologyConfigLoader.load(write("channels: [temp, energy]\ncounters: [power]\n")))
                        .getMessage());
        assertEquals(f + ": counters must name channels of [value], got 'energy'",
                assertThrows(BadConfigException.class, () -> TopologyConfigLoader.load(write("counters: [energy]\n")))
                        .getMessage());
        assertEquals(f + ": counters must be a list of names, got \"energy\"", assertThrows(BadConfigException.class,
                () -> TopologyConfigLoader.load(write("counters: energy\n"))).getMessage());
        assertTrue(assertThrows(BadConfigException.class,
                () -> TopologyConfigLoader.load(write("counters: [value]\nallowedLatenessMs: 1000\n")))
                .getMessage().startsWith(f + ": counters need allowedLatenessMs 0"));
    }
}
