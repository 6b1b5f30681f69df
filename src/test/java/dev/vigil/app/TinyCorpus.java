package dev.vigil.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A small NAB-layout corpus written by a test: four hourly files of {@value #ROWS} rows (a daily sine with a spike
 * at row {@value #SPIKE} in three of them), windows, anomalies and a folds file; plus detector settings that
 * replay it in a few seconds.
 */
final class TinyCorpus {
    static final int ROWS = 400;
    static final int SPIKE = 300;
    static final List<String> FILES = List.of("c1/f1.csv", "c1/f2.csv", "c2/f3.csv", "c2/f4.csv");
    /** Fold a: f1 and f3 (two windows); fold b: f2 and f4 (one window: f4 has none). */
    static final String FOLDS = "{\"rule\": \"test\", \"a\": [\"c1/f1.csv\", \"c2/f3.csv\"],"
            + " \"b\": [\"c1/f2.csv\", \"c2/f4.csv\"]}";
    /** Settings for a fast replay: a small network, few epochs, a first model early. */
    static final List<String> FAST = List.of("--set", "lstm.hiddenSize=4", "--set", "training.maxEpochs=2",
            "--set", "retrain.minTrainPoints=100", "--set", "retrain.retrainInterval=150");
    private static final DateTimeFormatter DATA = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final LocalDateTime START = LocalDateTime.of(2020, 1, 1, 0, 0);

    private TinyCorpus() {
    }

    /** Writes root/data, root/labels/combined_windows.json, root/labels/anomalies.json and root/folds.json. */
    static void write(Path root) throws IOException {
        StringBuilder windows = new StringBuilder("{");
        StringBuilder anomalies = new StringBuilder("{");
        for (int f = 0; f < FILES.size(); f++) {
            String file = FILES.get(f);
            boolean spiked = f != 3;
            StringBuilder csv = new StringBuilder("timestamp,value\n");
            for (int i = 0; i < ROWS; i++) {
                double v = 10 + 3 * Math.sin(2 * Math.PI * i / 24) + 0.2 * Math.sin(i * (1.3 + f)) + (spiked
                        && i == SPIKE ? 12 : 0);
                csv.append(START.plusHours(i).format(DATA)).append(',').append(String.format(Locale.ROOT, "%.3f", v))
                        .append('\n');
            }
            Path target = root.resolve("data").resolve(file);
            Files.createDirectories(target.getParent());
            Files.writeString(target, csv);
            String sep = f == 0 ? "" : ", ";
            windows.append(sep).append('"').append(file).append("\": ").append(spiked ? "[[\""
                    + START.plusHours(SPIKE - 20).format(LABEL) + "\", \"" + START.plusHours(SPIKE + 20).format(LABEL)
                    + "\"]]" : "[]");
            anomalies.append(sep).append('"').append(file).append("\": ").append(spiked ? "[{\"kind\": \"spike\","
                    + " \"start\": " + SPIKE + ", \"end\": " + SPIKE + "}]" : "[]");
        }
        Files.createDirectories(root.resolve("labels"));
        Files.writeString(root.resolve("labels/combined_windows.json"), windows.append('}'));
        Files.writeString(root.resolve("labels/anomalies.json"), anomalies.append('}'));
        Files.writeString(root.resolve("folds.json"), FOLDS);
    }
}
