package dev.vigil.eval;

import dev.vigil.ShapeMismatchException;
import dev.vigil.VigilException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes one data file's anomaly scores in the layout NAB's scorer reads:
 * {@code <outRoot>/<detector>/<category>/<detector>_<file>.csv} with header
 * {@code timestamp,value,anomaly_score,label} and exactly one line per data row, in data order.
 *
 * <p>Timestamps and values are written exactly as they appear in the data file. Scores are written
 * as plain decimals (no exponent) that parse back to the same double. {@code label} is 1 inside a
 * window, 0 outside; NAB does not read it.
 */
public final class NabResultsWriter {
    /** Header of every results file. */
    public static final String HEADER = "timestamp,value,anomaly_score,label";
    /** NAB splits results file names on '_', so a detector name is letters and digits only. */
    private static final Pattern DETECTOR_NAME = Pattern.compile("[A-Za-z0-9]+");
    /** {@code <category>/<file>.csv}, one folder deep, no path tricks. */
    private static final Pattern RELATIVE_PATH = Pattern.compile("[A-Za-z0-9_.\\-]+/[A-Za-z0-9_.\\-]+\\.csv");

    private NabResultsWriter() {
    }

    /**
     * Writes one results file, creating folders as needed and replacing an existing file.
     *
     * @param outRoot results root, e.g. {@code results}
     * @param detectorName letters and digits only, e.g. {@code vigil}
     * @param relativePath the data file, {@code "<category>/<file>.csv"}
     * @param timestamps the data file's timestamp strings, in row order
     * @param values the data file's value strings, same length
     * @param scores anomaly score per row, finite and in [0, 1], same length
     * @param windows the file's labelled windows (for the {@code label} column)
     * @return the path written
     * @throws VigilException if a name is invalid, lengths differ, a score is out of range, a field
     *     contains a comma or line break, a window matches no row, or the file cannot be written
     */
    public static Path write(Path outRoot, String detectorName, String relativePath, String[] timestamps,
            String[] values, double[] scores, List<NabWindow> windows) {
        checkNames(detectorName, relativePath);
        if (values.length != timestamps.length || scores.length != timestamps.length) {
            throw new ShapeMismatchException(relativePath + ": timestamps, values and scores must have the "
                    + "same length, got " + timestamps.length + ", " + values.length + ", " + scores.length);
        }
        boolean[] inside = WindowRows.insideMask(timestamps.length,
                WindowRows.locate(relativePath, timestamps, windows));
        int slash = relativePath.indexOf('/');
        Path dir = outRoot.resolve(detectorName).resolve(relativePath.substring(0, slash));
        Path file = dir.resolve(detectorName + "_" + relativePath.substring(slash + 1));
        try {
            Files.createDirectories(dir);
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write(HEADER);
                out.write('\n');
                for (int i = 0; i < timestamps.length; i++) {
                    out.write(field(timestamps[i], "timestamp", relativePath, i));
                    out.write(',');
                    out.write(field(values[i], "value", relativePath, i));
                    out.write(',');
                    out.write(formatScore(scores[i], relativePath, i));
                    out.write(',');
                    out.write(inside[i] ? '1' : '0');
                    out.write('\n');
                }
            }
        } catch (IOException e) {
            throw new VigilException("cannot write NAB results file " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * Checks a detector name: letters and digits only.
     *
     * @param detectorName the name to check
     * @throws VigilException if it is empty or has any other character
     */
    public static void checkDetectorName(String detectorName) {
        if (detectorName == null || !DETECTOR_NAME.matcher(detectorName).matches()) {
            throw new VigilException("detectorName must be letters and digits only (NAB splits file names on"
                    + " '_'), got '" + detectorName + "'");
        }
    }

    private static void checkNames(String detectorName, String relativePath) {
        checkDetectorName(detectorName);
        if (relativePath == null || !RELATIVE_PATH.matcher(relativePath).matches()
                || relativePath.startsWith("../") || relativePath.startsWith("./")) {
            throw new VigilException("relativePath must be '<category>/<file>.csv', got '" + relativePath + "'");
        }
    }

    private static String field(String text, String column, String relativePath, int row) {
        if (text == null || text.indexOf(',') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new VigilException(relativePath + " row " + row + ": " + column
                    + " must be present and hold no comma or line break, got '" + text + "'");
        }
        return text;
    }

    private static String formatScore(double score, String relativePath, int row) {
        if (!(score >= 0.0 && score <= 1.0)) {
            throw new VigilException(relativePath + " row " + row + ": anomaly score must be finite and in [0, 1],"
                    + " got " + score);
        }
        // Double.toString is the shortest text that parses back to the same double, but switches to
        // an exponent below 1e-3; the same digits are then written out plainly
        String text = Double.toString(score);
        return text.indexOf('E') < 0 ? text : BigDecimal.valueOf(score).stripTrailingZeros().toPlainString();
    }
}
