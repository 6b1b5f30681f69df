package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalyCatalogTest {
    @TempDir
    Path tmp;

    @Test
    void shouldReadBackWhatItWrites() {
        Map<String, List<InjectedAnomaly>> byPath = new LinkedHashMap<>();
        byPath.put("a/one.csv", List.of(new InjectedAnomaly(AnomalyKind.LEVEL_SHIFT_UP, 10, 12, "+3"),
                new InjectedAnomaly(AnomalyKind.MISSING_PEAK, 40, 60, "")));
        byPath.put("b/none.csv", List.of());
        Path file = tmp.resolve("labels/anomalies.json");
        AnomalyCatalog.of(byPath).write(file);
        AnomalyCatalog back = AnomalyCatalog.load(file);
        assertEquals(List.of("a/one.csv", "b/none.csv"), back.relativePaths());
        assertEquals(byPath.get("a/one.csv"), back.anomaliesOf("a/one.csv"));
        assertTrue(back.contains("b/none.csv"));
        assertTrue(back.anomaliesOf("b/none.csv").isEmpty());
    }

    @Test
    void shouldNameAnUnknownKindAndTheKnownOnes() throws IOException {
        Path file = tmp.resolve("a.json");
        Files.writeString(file, "{\"a/x.csv\": [{\"kind\": \"blip\", \"start\": 3, \"end\": 4}]}");
        VigilException e = assertThrows(VigilException.class, () -> AnomalyCatalog.load(file));
        assertEquals(file + ": 'a/x.csv': unknown anomaly kind 'blip' (known: spike, dip, level-shift-up,"
                + " level-shift-down, contextual, drift, variance-change, frequency-change, frozen, missing-peak)",
                e.getMessage());
    }

    @Test
    void shouldRejectMalformedEntriesWithOneLine() throws IOException {
        Path file = tmp.resolve("a.json");
        Files.writeString(file, "{\"a/x.csv\": [{\"kind\": \"spike\", \"start\": \"three\", \"end\": 4}]}");
        VigilException e = assertThrows(VigilException.class, () -> AnomalyCatalog.load(file));
        assertTrue(e.getMessage().startsWith(file + ": each anomaly of 'a/x.csv' must be {\"kind\": name,"),
                e.getMessage());
        Files.writeString(file, "{\"a/x.csv\": [{\"kind\": \"spike\", \"start\": 9, \"end\": 4}]}");
        assertEquals(file + ": 'a/x.csv': spike anomaly must have 0 <= start <= end, got start=9 end=4",
                assertThrows(VigilException.class, () -> AnomalyCatalog.load(file)).getMessage());
    }

    @Test
    void shouldRejectOverlappingAnomaliesAndAMissingFile() {
        VigilException overlap = assertThrows(VigilException.class, () -> AnomalyCatalog.of(Map.of("a/x.csv",
                List.of(new InjectedAnomaly(AnomalyKind.SPIKE, 5, 9, ""), new InjectedAnomaly(AnomalyKind.DIP, 9, 9, "")))));
        assertEquals("anomalies of 'a/x.csv' must be in row order and not overlap, got rows 5..9 then 9..9",
                overlap.getMessage());
        Path missing = tmp.resolve("nope.json");
        assertEquals("anomalies file " + missing + " does not exist",
                assertThrows(VigilException.class, () -> AnomalyCatalog.load(missing)).getMessage());
    }
}
