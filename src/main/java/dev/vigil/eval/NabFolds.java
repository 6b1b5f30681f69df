package dev.vigil.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.VigilException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named folds of a corpus ({@code folds.json} beside NAB's {@code data/} and {@code labels/}):
 * {@code {"rule": "how they were made", "a": ["category/file.csv", ...], "b": [...]}}. Every member whose
 * value is a list of file paths is a fold; other members (such as {@code rule}) are descriptions.
 * Immutable and thread-safe.
 */
public final class NabFolds {
    private final Path source;
    private final Map<String, List<String>> folds;

    private NabFolds(Path source, Map<String, List<String>> folds) {
        this.source = source;
        this.folds = folds;
    }

    /**
     * Reads a folds file.
     *
     * @param file the JSON file
     * @throws VigilException if it is missing, unreadable, or holds no fold
     */
    public static NabFolds load(Path file) {
        JsonNode root = JsonObjectFile.read(file, "folds file", " (name one with --folds)", "{\"a\": [files], ...}");
        Map<String, List<String>> folds = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                continue;
            }
            List<String> files = new ArrayList<>();
            for (JsonNode f : e.getValue()) {
                if (!f.isTextual()) {
                    throw new VigilException(file + ": fold '" + e.getKey() + "' must list file paths, got " + f);
                }
                files.add(f.asText());
            }
            folds.put(e.getKey(), List.copyOf(files));
        }
        if (folds.isEmpty()) {
            throw new VigilException("folds file " + file + " holds no fold (a member whose value is a list of files)");
        }
        return new NabFolds(file, Collections.unmodifiableMap(folds));
    }

    /** The fold names, in the file's order. */
    public List<String> names() {
        return List.copyOf(folds.keySet());
    }

    /**
     * The files of one fold, sorted.
     *
     * @param name e.g. {@code a}
     * @throws VigilException for an unknown fold, naming the known ones
     */
    public List<String> filesOf(String name) {
        List<String> files = folds.get(name);
        if (files == null) {
            throw new VigilException("unknown fold '" + name + "' in " + source + " (folds: "
                    + String.join(", ", folds.keySet()) + ")");
        }
        return files.stream().sorted().toList();
    }
}
