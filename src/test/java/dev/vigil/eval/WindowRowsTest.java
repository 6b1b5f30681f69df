package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.VigilException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A scored file's windows mapped onto its rows, and every reader of a scored corpus refusing an unlabelled file. */
class WindowRowsTest {
    private static final int ROWS = 1000;

    private static ScoredSeries series(String path) {
        return new ScoredSeries(path, SyntheticNab.timestamps(ROWS), new double[ROWS]);
    }

    @Test
    void shouldMapEachWindowToTheRowsOfItsStartAndEnd() {
        NabLabels labels = NabLabels.of(Map.of("c/a.csv",
                List.of(SyntheticNab.window(100, 200), SyntheticNab.window(400, 400))));

        assertEquals(List.of(new RowRange(100, 200), new RowRange(400, 400)), WindowRows.of(series("c/a.csv"), labels));
        assertEquals(List.of(), WindowRows.of(series("c/a.csv"), NabLabels.of(Map.of("c/a.csv", List.of()))),
                "an entry of [] is a file without windows");
    }

    @Test
    void shouldRefuseAFileWithoutALabelEntryAlikeInEveryReader() {
        NabLabels labels = NabLabels.of(Map.of("c/a.csv", List.of(SyntheticNab.window(100, 200))));
        List<ScoredSeries> corpus = List.of(series("c/a.csv"), series("c/b.csv"));
        String expected = "no NAB labels for 'c/b.csv': every scored file needs an entry (possibly []) in the windows"
                + " file";
        List<Executable> readers = List.of(
                () -> new NabScorer().scoreAll(corpus, labels),
                () -> WindowOutcome.of(corpus, labels, 0.5),
                () -> DetectionReport.count(corpus, labels, DetectionReport.withoutCatalog(corpus), 0.5));
        for (Executable reader : readers) {
            assertEquals(expected, assertThrows(VigilException.class, reader).getMessage());
        }
    }
}
