package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabLabelsTest {
    private static final Path WINDOWS = NabReferenceScoresTest.NAB.resolve("labels").resolve("combined_windows.json");

    @Test
    void shouldLoadDevWindowsKeyedByRelativePath() {
        NabLabels labels = NabLabels.load(WINDOWS);
        assertEquals(31, labels.relativePaths().size());
        assertEquals(57, labels.windowCount());
        List<NabWindow> taxi = labels.windowsFor("realKnownCause/nyc_taxi.csv");
        assertEquals(LocalDateTime.of(2014, 10, 30, 15, 30), taxi.get(0).start());
        assertEquals(LocalDateTime.of(2014, 11, 3, 22, 30), taxi.get(0).end());
    }

    @Test
    void shouldTellEmptyEntryFromAbsentEntry() {
        NabLabels labels = NabLabels.load(WINDOWS);
        assertTrue(labels.contains("artificialNoAnomaly/art_noisy.csv"));
        assertTrue(labels.windowsFor("artificialNoAnomaly/art_noisy.csv").isEmpty());
        assertFalse(labels.contains("realKnownCause/no_such_file.csv"));
        assertTrue(labels.windowsFor("realKnownCause/no_such_file.csv").isEmpty());
    }

    @Test
    void shouldRejectWindowThatIsNotAPair(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("w.json");
        Files.writeString(json, "{\"a/b.csv\": [[\"2014-01-01 00:00:00.000000\"]]}");
        VigilException e = assertThrows(VigilException.class, () -> NabLabels.load(json));
        assertTrue(e.getMessage().contains("a/b.csv"), e.getMessage());
    }

    @Test
    void shouldRejectOverlappingWindows() {
        Map<String, List<NabWindow>> windows = Map.of("a/b.csv", List.of(
                NabWindow.of("2014-01-01 00:00:00", "2014-01-01 05:00:00"),
                NabWindow.of("2014-01-01 05:00:00", "2014-01-01 09:00:00")));
        assertThrows(VigilException.class, () -> NabLabels.of(windows));
    }

    @Test
    void shouldRejectMissingFile(@TempDir Path dir) {
        assertThrows(VigilException.class, () -> NabLabels.load(dir.resolve("absent.json")));
    }
}
