package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabFoldsTest {
    @TempDir
    Path tmp;

    private Path folds(String json) throws IOException {
        Path file = tmp.resolve("folds.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void shouldReadEveryListAsAFoldAndSkipTheRule() throws IOException {
        NabFolds f = NabFolds.load(folds("{\"rule\": \"alternately\", \"a\": [\"z/2.csv\", \"b/1.csv\"],"
                + " \"b\": [\"c/3.csv\"]}"));
        assertEquals(List.of("a", "b"), f.names());
        assertEquals(List.of("b/1.csv", "z/2.csv"), f.filesOf("a"));
        assertEquals(List.of("c/3.csv"), f.filesOf("b"));
    }

    @Test
    void shouldNameTheKnownFoldsForAnUnknownOne() throws IOException {
        Path file = folds("{\"rule\": \"r\", \"a\": [], \"b\": []}");
        VigilException e = assertThrows(VigilException.class, () -> NabFolds.load(file).filesOf("c"));
        assertEquals("unknown fold 'c' in " + file + " (folds: a, b)", e.getMessage());
    }

    @Test
    void shouldRejectAMissingFileAndAFileWithoutFolds() throws IOException {
        Path missing = tmp.resolve("none.json");
        assertEquals("folds file " + missing + " does not exist (name one with --folds)",
                assertThrows(VigilException.class, () -> NabFolds.load(missing)).getMessage());
        Path empty = folds("{\"rule\": \"r\"}");
        assertEquals("folds file " + empty + " holds no fold (a member whose value is a list of files)",
                assertThrows(VigilException.class, () -> NabFolds.load(empty)).getMessage());
        Path numbers = folds("{\"a\": [1, 2]}");
        assertEquals(numbers + ": fold 'a' must list file paths, got 1",
                assertThrows(VigilException.class, () -> NabFolds.load(numbers)).getMessage());
    }
}
