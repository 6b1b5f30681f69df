package dev.vigil;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Enforces DESIGN.md's layering from the sources (Kafka's import-control idea): the numerics and evaluation
 * layers never import Kafka, and no layer imports one further down the list.
 */
class LayeringTest {
    private static final Path MAIN = Path.of("src", "main", "java", "dev", "vigil");

    /** Layer → the vigil packages it must not import. */
    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "lstm", List.of("score", "detect", "train", "lifecycle", "stream", "config", "eval", "app"),
            "score", List.of("detect", "train", "lifecycle", "stream", "config", "eval", "app"),
            "detect", List.of("train", "lifecycle", "stream", "config", "eval", "app"),
            "train", List.of("lifecycle", "stream", "config", "eval", "app"),
            "lifecycle", List.of("stream", "config", "eval", "app"),
            "eval", List.of("stream", "app"),
            "stream", List.of("eval", "app"));

    private static final List<String> NO_KAFKA = List.of("lstm", "score", "detect", "train", "lifecycle", "eval");

    @Test
    void shouldKeepKafkaOutOfTheNumericsAndEvaluationLayers() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String layer : NO_KAFKA) {
            for (Path file : sources(layer)) {
                if (Files.readString(file).contains("import org.apache.kafka")) {
                    offenders.add(file.toString());
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void shouldOnlyImportLayersAboveInTheDesignTable() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (var entry : FORBIDDEN.entrySet()) {
            for (Path file : sources(entry.getKey())) {
                String text = Files.readString(file);
                for (String below : entry.getValue()) {
                    if (text.contains("import dev.vigil." + below + ".")) {
                        offenders.add(file + " imports dev.vigil." + below);
                    }
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void shouldKeepConsoleOutputAndExitInTheAppLayer() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (file.startsWith(MAIN.resolve("app"))) {
                    continue;
                }
                String text = Files.readString(file);
                if (text.contains("System.out") || text.contains("System.err") || text.contains("System.exit")) {
                    offenders.add(file.toString());
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    private static List<Path> sources(String layer) throws IOException {
        Path dir = MAIN.resolve(layer);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> out = files.filter(p -> p.toString().endsWith(".java")).toList();
            return out;
        }
    }
}
