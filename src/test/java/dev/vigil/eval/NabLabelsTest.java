package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.VigilException;
import dev.vigil.testutil.NabData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabLabelsTest {
    /** NAB's own windows file cut down to three entries (the whole dev set is checked in NabReferenceScoresTest). */
    private static final Path WINDOWS = NabData.shippedWindows();

    @Test
    void shouldLoadWindowsKeyedByRelativePathInTimeOrder() {
        NabLabels labels = NabLabels.load(WINDOWS);
        assertEquals(3, labels.relativePaths().size());
        assertEquals(4, labels.windowCount());
        List<NabWindow> exchange3 = labels.windowsFor("realAdExchange/exchange-3_cpc_results.csv");
        assertEquals(3, exchange3.size());
        assertEquals(LocalDateTime.of(2011, 7, 19, 9, 15, 1), exchange3.get(1).start());
        assertEquals(LocalDateTime.of(2011, 7, 21, 11, 15, 1), exchange3.get(1).end());
        assertEquals(LocalDateTime.of(2011, 8, 12, 7, 15, 1), exchange3.get(2).start());
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
