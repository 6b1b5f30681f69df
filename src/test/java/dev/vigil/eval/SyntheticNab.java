package dev.vigil.eval;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small hand-made NAB files for scorer tests: hourly rows from 2020-01-01 00:00:00. */
final class SyntheticNab {
    private static final LocalDateTime FIRST_ROW = LocalDateTime.of(2020, 1, 1, 0, 0, 0);
    private static final DateTimeFormatter DATA_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter LABEL_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** A file of {@link #THREE_FILES} whose window a detection on row 10 finds. */
    static final String FOUND = "c/found.csv";
    /** A file of {@link #THREE_FILES} whose window nothing finds. */
    static final String MISSED = "c/missed.csv";
    /** A file of {@link #THREE_FILES} without windows. */
    static final String QUIET = "c/quiet.csv";
    /** Windows over rows 10..13 in {@link #FOUND} and {@link #MISSED}, none in {@link #QUIET}. */
    static final NabLabels THREE_FILES = NabLabels.of(Map.of(FOUND, List.of(window(10, 13)),
            MISSED, List.of(window(10, 13)), QUIET, List.of()));

    private SyntheticNab() {
    }

    /** A series of {@code rows} rows whose scores are drawn at random in steps of 0.05 (so with ties). */
    static ScoredSeries randomSeries(String relativePath, int rows, Random random) {
        double[] scores = new double[rows];
        for (int i = 0; i < rows; i++) {
            scores[i] = random.nextInt(21) / 20.0;
        }
        return new ScoredSeries(relativePath, timestamps(rows), scores);
    }

    /** Data-file timestamps {@code YYYY-MM-DD HH:MM:SS} of {@code rows} hourly rows. */
    static String[] timestamps(int rows) {
        String[] ts = new String[rows];
        for (int i = 0; i < rows; i++) {
            ts[i] = FIRST_ROW.plusHours(i).format(DATA_FORMAT);
        }
        return ts;
    }

    /** The window over rows {@code first..last} (inclusive), built from label-file text as NAB writes it. */
    static NabWindow window(int first, int last) {
        return NabWindow.of(FIRST_ROW.plusHours(first).format(LABEL_FORMAT),
                FIRST_ROW.plusHours(last).format(LABEL_FORMAT));
    }

    /** A series of {@code rows} rows scoring 0 except {@code score} on the given rows. */
    static ScoredSeries series(String relativePath, int rows, double score, int... detectedRows) {
        double[] scores = new double[rows];
        for (int r : detectedRows) {
            scores[r] = score;
        }
        return new ScoredSeries(relativePath, timestamps(rows), scores);
    }
}
