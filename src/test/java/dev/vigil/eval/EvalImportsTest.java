package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layering: evaluation runs without a broker, so the eval package must not import Kafka. */
class EvalImportsTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "vigil", "eval");

    @Test
    void shouldNotImportKafkaInEvalPackage() throws IOException {
        List<Path> offenders;
        try (var files = Files.list(SOURCES)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(EvalImportsTest::importsKafka).toList();
        }
        assertTrue(offenders.isEmpty(), "eval must not import org.apache.kafka: " + offenders);
    }

    private static boolean importsKafka(Path file) {
        try {
            return Files.readAllLines(file).stream().anyMatch(l -> l.trim().startsWith("import org.apache.kafka")
                    || l.trim().startsWith("import static org.apache.kafka"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
