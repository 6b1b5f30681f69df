package dev.vigil.stream;

import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps {@code topologies/sensors.describe.txt} equal to the wiring the default topology file produces. After a
 * deliberate change, regenerate it with
 * {@code mvn -B -q -o test -Dtest=TopologyDescriptionTest -Dvigil.updateDescriptions=true} and commit the file.
 */
class TopologyDescriptionTest {
    static final Path DESCRIPTION = Path.of("topologies", "sensors.describe.txt");
    static final String UPDATE_PROPERTY = "vigil.updateDescriptions";

    private static String describeDefaults() {
        return VigilTopology.build(TopologyConfig.defaults(), DetectorConfig.defaults(), RetrainConfig.defaults())
                .describe().toString();
    }

    private static TopologyConfig keyed() {
        TopologyConfig d = TopologyConfig.defaults();
        return new TopologyConfig("fleet", d.inputTopic(), "sensor", List.of("temp", "vibration"), d.timestampField(),
                d.allowedLatenessMs(), d.maxRecordBytes(), d.scoresTopic(), d.alertsTopic(), d.dlqTopic(),
                d.modelsTopic(), Map.of());
    }

    @Test
    void shouldMatchTheCheckedInDescriptionOfTheDefaultTopology() throws IOException {
        String actual = describeDefaults();
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(DESCRIPTION, actual, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(DESCRIPTION), DESCRIPTION + " is missing; create it with -D" + UPDATE_PROPERTY + "=true");
        String expected = Files.readString(DESCRIPTION, StandardCharsets.UTF_8);
        assertEquals(expected, actual, "the topology's wiring changed but " + DESCRIPTION + " did not. If the change is "
                + "deliberate, regenerate the file with: mvn -B -q -o test -Dtest=TopologyDescriptionTest -D"
                + UPDATE_PROPERTY + "=true (a renamed store or internal topic needs an application reset)");
    }

    @Test
    void shouldNameEveryProcessorStoreAndTopicExplicitly() {
        for (TopologyConfig config : List.of(TopologyConfig.defaults(), keyed())) {
            String description = VigilTopology.build(config, DetectorConfig.defaults(), RetrainConfig.defaults())
                    .describe().toString();
            assertFalse(Pattern.compile("KSTREAM-|KTABLE-|STATE-STORE-").matcher(description).find(), description);
            Matcher names = Pattern.compile("(?:Source|Processor|Sink): (\\S+)").matcher(description);
            while (names.find()) {
                assertTrue(names.group(1).startsWith("vigil-" + config.name() + "-"), names.group(1));
            }
        }
    }

    @Test
    void shouldBuildWithTheExplicitNamingCheckOfTheStreamsConfig() {
        for (TopologyConfig config : List.of(TopologyConfig.defaults(), keyed())) {
            Properties props = VigilTopology.streamsConfig("vigil-test", "localhost:9092", "/tmp/unused", config, Map.of());
            Topology topology = assertDoesNotThrow(() ->
                    VigilTopology.build(config, DetectorConfig.defaults(), RetrainConfig.defaults(), props));
            assertTrue(topology.describe().toString().contains("vigil-" + config.name() + "-detector"));
        }
    }
}
