package dev.vigil.lstm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Layering (DESIGN.md): the lstm package depends on java.*, EJML and the root exceptions only, so in
 * particular it never imports Kafka or another Vigil package.
 */
class LstmImportsTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "vigil", "lstm");
    private static final List<String> ALLOWED = List.of("java.", "org.ejml.", "dev.vigil.VigilException",
            "dev.vigil.BadConfigException", "dev.vigil.BadBytesException", "dev.vigil.ShapeMismatchException");

    @Test
    void shouldImportOnlyJavaEjmlAndRootExceptions() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (var files = Files.list(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    String trimmed = line.trim();
                    if (trimmed.startsWith("import ")) {
                        String name = trimmed.replace("import static ", "").replace("import ", "");
                        if (ALLOWED.stream().noneMatch(name::startsWith)) {
                            offenders.add(file.getFileName() + ": " + trimmed);
                        }
                    }
                }
            }
        }
        assertTrue(offenders.isEmpty(), "lstm imports outside its layer: " + offenders);
    }
}
