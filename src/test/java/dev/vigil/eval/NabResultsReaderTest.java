package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabResultsReaderTest {

    @Test
    void shouldFindAnomalyScoreByNameAmongExtraColumns() {
        // numenta files: timestamp,value,anomaly_score,raw_score,label,S(t)_...
        List<ScoredSeries> corpus = NabResultsReader.read(NabReferenceScoresTest.NAB.resolve("reference-results"),
                "numenta");
        ScoredSeries taxi = corpus.stream().filter(s -> s.relativePath().equals("realKnownCause/nyc_taxi.csv"))
                .findFirst().orElseThrow();
        assertEquals(10320, taxi.size());
        assertEquals("2014-07-01 00:00:00", taxi.timestamps()[0]);
        assertEquals(0.0301029996659, taxi.scores()[0]);
    }

    @Test
    void shouldRejectFileWithoutAnomalyScoreColumn(@TempDir Path dir) throws IOException {
        Path category = Files.createDirectories(dir.resolve("det").resolve("cat"));
        Files.writeString(category.resolve("det_x.csv"), "timestamp,value,score\n2014-01-01 00:00:00,1,0.5\n");
        VigilException e = assertThrows(VigilException.class, () -> NabResultsReader.read(dir, "det"));
        assertTrue(e.getMessage().contains("anomaly_score"), e.getMessage());
    }

    @Test
    void shouldRejectFileNotPrefixedWithDetectorName(@TempDir Path dir) throws IOException {
        Path category = Files.createDirectories(dir.resolve("det").resolve("cat"));
        Files.writeString(category.resolve("other_x.csv"), "timestamp,anomaly_score\n2014-01-01 00:00:00,0.5\n");
        assertThrows(VigilException.class, () -> NabResultsReader.read(dir, "det"));
    }

    @Test
    void shouldRejectMalformedScore(@TempDir Path dir) throws IOException {
        Path category = Files.createDirectories(dir.resolve("det").resolve("cat"));
        Files.writeString(category.resolve("det_x.csv"), "timestamp,anomaly_score\n2014-01-01 00:00:00,high\n");
        VigilException e = assertThrows(VigilException.class, () -> NabResultsReader.read(dir, "det"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
