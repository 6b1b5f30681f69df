package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.VigilException;
import dev.vigil.testutil.NabData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabResultsReaderTest {

    @Test
    void shouldFindAnomalyScoreByNameAmongExtraColumns() {
        // numenta files: timestamp,value,anomaly_score,raw_score,label,S(t)_... (raw_score is 1.0 on row 0)
        List<ScoredSeries> corpus = NabResultsReader.read(NabData.shipped().resolve("reference-results"), "numenta");
        assertEquals(1, corpus.size());
        ScoredSeries exchange2 = corpus.get(0);
        assertEquals("realAdExchange/exchange-2_cpc_results.csv", exchange2.relativePath());
        assertEquals(1624, exchange2.size());
        assertEquals("2011-07-01 00:00:01", exchange2.timestamps()[0]);
        assertEquals(0.0301029996659, exchange2.scores()[0]);
        assertEquals("2011-09-07 15:00:01", exchange2.timestamps()[1623]);
        assertEquals(0.0311770220856, exchange2.scores()[1623]);
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
