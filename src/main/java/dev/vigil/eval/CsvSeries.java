package dev.vigil.eval;

import dev.vigil.VigilException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One NAB-layout CSV series ({@code timestamp,value}, timestamps {@code YYYY-MM-DD HH:MM:SS}, read as UTC),
 * with the original strings kept so results can echo them exactly.
 *
 * @param relativePath "category/file.csv"
 * @param timestamps   timestamp strings as in the file
 * @param values       value strings as in the file
 * @param epochMillis  parsed timestamps
 * @param numbers      parsed values
 */
public record CsvSeries(String relativePath, String[] timestamps, String[] values, long[] epochMillis,
                        double[] numbers) {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    public int size() {
        return timestamps.length;
    }

    /** Parses a NAB timestamp as UTC epoch milliseconds. */
    public static long parseTimestamp(String text) {
        return LocalDateTime.parse(text.trim(), FORMAT).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** Reads a file; {@link VigilException} naming the file and line for anything malformed. */
    public static CsvSeries read(Path file, String relativePath) {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.trim().toLowerCase().startsWith("timestamp,value")) {
                throw new VigilException(file + ": expected header 'timestamp,value', got '" + header + "'");
            }
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    rows.add(line.split(",", -1));
                }
            }
        } catch (IOException e) {
            throw new VigilException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int n = rows.size();
        String[] ts = new String[n];
        String[] vs = new String[n];
        long[] ms = new long[n];
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            String[] row = rows.get(i);
            if (row.length < 2) {
                throw new VigilException(file + ": line " + (i + 2) + " has " + row.length + " column(s), expected 2");
            }
            ts[i] = row[0];
            vs[i] = row[1];
            try {
                ms[i] = parseTimestamp(row[0]);
                xs[i] = Double.parseDouble(row[1].trim());
            } catch (DateTimeParseException | NumberFormatException e) {
                throw new VigilException(file + ": line " + (i + 2) + ": " + e.getMessage(), e);
            }
        }
        return new CsvSeries(relativePath, ts, vs, ms, xs);
    }
}
