package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabResultsWriterTest {
    private static final String PATH = "realTest/some_file.csv";
    private static final int ROWS = 20;

    @TempDir
    Path out;

    private final String[] timestamps = SyntheticNab.timestamps(ROWS);
    private final List<NabWindow> windows = List.of(SyntheticNab.window(10, 13));

    @Test
    void shouldRoundTripTimestampsAndScoresThroughReader() {
        double[] scores = scores();
        NabResultsWriter.write(out, "vigil", PATH, timestamps, values(), scores, windows);
        List<ScoredSeries> read = NabResultsReader.read(out, "vigil");
        assertEquals(1, read.size());
        assertEquals(PATH, read.get(0).relativePath());
        assertArrayEquals(timestamps, read.get(0).timestamps());
        assertArrayEquals(scores, read.get(0).scores());
    }

    @Test
    void shouldWriteOneLinePerRowInOrderWithValuesVerbatimAndWindowLabels() throws IOException {
        Path file = NabResultsWriter.write(out, "vigil", PATH, timestamps, values(), scores(), windows);
        assertEquals(out.resolve("vigil").resolve("realTest").resolve("vigil_some_file.csv"), file);
        List<String> lines = Files.readAllLines(file);
        assertEquals(ROWS + 1, lines.size());
        assertEquals("timestamp,value,anomaly_score,label", lines.get(0));
        for (int i = 0; i < ROWS; i++) {
            String[] fields = lines.get(i + 1).split(",", -1);
            assertEquals(timestamps[i], fields[0]);
            assertEquals(values()[i], fields[1]);
            assertFalse(fields[2].contains("E") || fields[2].contains("NaN"), fields[2]);
            assertEquals(i >= 10 && i <= 13 ? "1" : "0", fields[3], "label of row " + i);
        }
        assertEquals("0.00001", lines.get(1 + 3).split(",")[2]);
    }

    @Test
    void shouldRejectDetectorNameWithUnderscoreOrOtherCharacters() {
        for (String name : new String[] {"my_detector", "", "a-b", "a/b"}) {
            assertThrows(VigilException.class,
                    () -> NabResultsWriter.write(out, name, PATH, timestamps, values(), scores(), windows), name);
        }
    }

    @Test
    void shouldRejectNonFiniteOrOutOfRangeScore() {
        double[] nan = scores();
        nan[5] = Double.NaN;
        double[] big = scores();
        big[5] = 1.0001;
        assertThrows(VigilException.class,
                () -> NabResultsWriter.write(out, "vigil", PATH, timestamps, values(), nan, windows));
        assertThrows(VigilException.class,
                () -> NabResultsWriter.write(out, "vigil", PATH, timestamps, values(), big, windows));
    }

    @Test
    void shouldRejectValueContainingComma() {
        String[] values = values();
        values[2] = "1,5";
        assertThrows(VigilException.class,
                () -> NabResultsWriter.write(out, "vigil", PATH, timestamps, values, scores(), windows));
    }

    @Test
    void shouldRejectRelativePathThatIsNotCategorySlashFile() {
        for (String path : new String[] {"file.csv", "../x/file.csv", "a/b/c.csv", "a/file.txt"}) {
            assertThrows(VigilException.class,
                    () -> NabResultsWriter.write(out, "vigil", path, timestamps, values(), scores(), windows), path);
        }
    }

    /** Values in the varied spellings a data file may use; they must come back unchanged. */
    private static String[] values() {
        String[] values = new String[ROWS];
        for (int i = 0; i < ROWS; i++) {
            values[i] = switch (i % 4) {
                case 0 -> Integer.toString(10844 + i);
                case 1 -> "1.50";
                case 2 -> "-0.25";
                default -> "3.0e2";
            };
        }
        return values;
    }

    private static double[] scores() {
        double[] scores = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            scores[i] = i / (double) (ROWS - 1) * 0.987654321;
        }
        scores[0] = 0.0;
        scores[3] = 1e-5;
        scores[ROWS - 1] = 1.0;
        return scores;
    }
}
