package dev.vigil.eval;

import dev.vigil.VigilException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** The CSV files {@code vigil evaluate} writes beside its results: a header, then one line an item. */
final class CsvLines {
    private CsvLines() {
    }

    /**
     * Writes {@code header}, then {@code line} of each item, in the order given.
     *
     * @throws VigilException when the file cannot be written
     */
    static <T> void write(Path file, String header, List<T> items, Function<T, String> line) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(header);
            out.write('\n');
            for (T item : items) {
                out.write(line.apply(item));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new VigilException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A cell quoted, its quotes doubled. */
    static String quote(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    /** A file path as a cell: quoted only when it holds a comma or a quote. */
    static String path(String file) {
        return file.contains(",") || file.contains("\"") ? quote(file) : file;
    }
}
