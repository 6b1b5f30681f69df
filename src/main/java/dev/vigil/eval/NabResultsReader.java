package dev.vigil.eval;

import dev.vigil.VigilException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads one detector's NAB results folder, {@code <detector>/<category>/<detector>_<file>.csv},
 * into scored series keyed {@code "<category>/<file>.csv"}.
 *
 * <p>Each file has a header naming its columns; {@code timestamp} and {@code anomaly_score} are
 * found by name, other columns ({@code value}, {@code label}, NAB's {@code S(t)_*}) are ignored.
 * Fields are plain comma-separated text with no quoting, as NAB writes them.
 */
public final class NabResultsReader {
    private static final String TIMESTAMP = "timestamp";
    private static final String ANOMALY_SCORE = "anomaly_score";

    private NabResultsReader() {
    }

    /**
     * Reads {@code resultsRoot/detectorName}.
     *
     * @param resultsRoot the folder holding one sub-folder per detector
     * @param detectorName the detector's folder name
     * @return one series per results file, sorted by relative path
     */
    public static List<ScoredSeries> read(Path resultsRoot, String detectorName) {
        return read(resultsRoot.resolve(detectorName));
    }

    /**
     * Reads a detector folder; the detector name is the folder's name and each file must be named
     * {@code <detector>_<file>.csv}.
     *
     * @param detectorDir e.g. {@code results/numenta}
     * @return one series per results file, sorted by relative path
     * @throws VigilException if the folder cannot be read, a file is misnamed, lacks a needed column
     *     or has a malformed row
     */
    public static List<ScoredSeries> read(Path detectorDir) {
        String detector = detectorDir.getFileName().toString();
        if (!Files.isDirectory(detectorDir)) {
            throw new VigilException("NAB results folder " + detectorDir + " must be a directory");
        }
        List<ScoredSeries> series = new ArrayList<>();
        for (Path category : list(detectorDir)) {
            if (!Files.isDirectory(category)) {
                continue;
            }
            for (Path file : list(category)) {
                String name = file.getFileName().toString();
                if (!Files.isRegularFile(file) || !name.endsWith(".csv")) {
                    continue;
                }
                String prefix = detector + "_";
                if (!name.startsWith(prefix) || name.length() == prefix.length() + ".csv".length()) {
                    throw new VigilException(file + ": results file name must be '" + prefix
                            + "<file>.csv' (the detector name is the folder name), got '" + name + "'");
                }
                String relativePath = category.getFileName() + "/" + name.substring(prefix.length());
                series.add(readFile(file, relativePath));
            }
        }
        series.sort((a, b) -> a.relativePath().compareTo(b.relativePath()));
        return series;
    }

    /**
     * Reads one results file.
     *
     * @param file the CSV file
     * @param relativePath the data file it scores, e.g. {@code "realKnownCause/nyc_taxi.csv"}
     * @return its timestamps and scores, in row order
     * @throws VigilException if the file cannot be read, lacks a needed column or has a malformed row
     */
    public static ScoredSeries readFile(Path file, String relativePath) {
        List<String> timestamps = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new VigilException(file + ": expected a header line, got an empty file");
            }
            List<String> columns = Arrays.asList(header.replace("\uFEFF", "").split(",", -1));
            int tsCol = column(columns, TIMESTAMP, file);
            int scoreCol = column(columns, ANOMALY_SCORE, file);
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (fields.length <= Math.max(tsCol, scoreCol)) {
                    throw new VigilException(file + " line " + lineNo + ": expected " + columns.size()
                            + " fields, got " + fields.length);
                }
                timestamps.add(fields[tsCol].trim());
                scores.add(parseScore(fields[scoreCol], file, lineNo));
            }
        } catch (IOException e) {
            throw new VigilException("cannot read NAB results file " + file + ": " + e.getMessage(), e);
        }
        double[] values = scores.stream().mapToDouble(Double::doubleValue).toArray();
        return new ScoredSeries(relativePath, timestamps.toArray(new String[0]), values);
    }

    private static int column(List<String> columns, String name, Path file) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).trim().equals(name)) {
                return i;
            }
        }
        throw new VigilException(file + ": header must have a '" + name + "' column, got " + columns);
    }

    private static double parseScore(String text, Path file, int lineNo) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new VigilException(file + " line " + lineNo + ": anomaly_score must be a number, got '"
                    + text + "'", e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new VigilException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
