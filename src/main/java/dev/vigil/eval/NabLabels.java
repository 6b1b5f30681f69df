package dev.vigil.eval;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.VigilException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NAB's labelled anomaly windows ({@code labels/combined_windows.json}), keyed by a data file's
 * path relative to the corpus root, e.g. {@code "realKnownCause/nyc_taxi.csv"}.
 *
 * <p>Immutable and thread-safe. Within one file the windows are in time order and do not overlap
 * (checked when built).
 */
public final class NabLabels {
    private static final TypeReference<LinkedHashMap<String, List<List<String>>>> JSON_TYPE =
            new TypeReference<>() { };

    private final Map<String, List<NabWindow>> windowsByPath;

    private NabLabels(Map<String, List<NabWindow>> windowsByPath) {
        this.windowsByPath = windowsByPath;
    }

    /**
     * Builds labels from windows already in memory (tests, synthetic corpora).
     *
     * @param windowsByPath windows per relative path; each list in time order, not overlapping
     * @return the labels (an immutable copy)
     * @throws VigilException if a file's windows are out of order or overlap
     */
    public static NabLabels of(Map<String, List<NabWindow>> windowsByPath) {
        Map<String, List<NabWindow>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<NabWindow>> e : windowsByPath.entrySet()) {
            List<NabWindow> windows = List.copyOf(e.getValue());
            checkOrdered(e.getKey(), windows);
            copy.put(e.getKey(), windows);
        }
        return new NabLabels(Collections.unmodifiableMap(copy));
    }

    /**
     * Loads a NAB window file: {@code {"<file>": [["<start>", "<end>"], ...], ...}}.
     *
     * @param jsonFile path of {@code combined_windows.json}
     * @return the labels
     * @throws VigilException if the file cannot be read or is not in that form
     */
    public static NabLabels load(Path jsonFile) {
        Map<String, List<List<String>>> raw;
        try {
            raw = new ObjectMapper().readValue(jsonFile.toFile(), JSON_TYPE);
        } catch (IOException e) {
            throw new VigilException("cannot read NAB windows file " + jsonFile + ": " + e.getMessage(), e);
        }
        if (raw == null) {
            throw new VigilException("NAB windows file " + jsonFile + " must hold a JSON object, got null");
        }
        Map<String, List<NabWindow>> windows = new LinkedHashMap<>();
        for (Map.Entry<String, List<List<String>>> e : raw.entrySet()) {
            List<NabWindow> list = new ArrayList<>();
            List<List<String>> pairs = e.getValue() == null ? List.of() : e.getValue();
            for (List<String> pair : pairs) {
                if (pair == null || pair.size() != 2) {
                    throw new VigilException(jsonFile + ": each window of '" + e.getKey()
                            + "' must be [start, end], got " + pair);
                }
                list.add(NabWindow.of(pair.get(0), pair.get(1)));
            }
            windows.put(e.getKey(), list);
        }
        return of(windows);
    }

    /** Whether the labels have an entry (possibly empty) for this relative path. */
    public boolean contains(String relativePath) {
        return windowsByPath.containsKey(relativePath);
    }

    /**
     * The windows of one file, in time order.
     *
     * @param relativePath e.g. {@code "realKnownCause/nyc_taxi.csv"}
     * @return its windows; empty if it has none or is not labelled at all (see {@link #contains})
     */
    public List<NabWindow> windowsFor(String relativePath) {
        return windowsByPath.getOrDefault(relativePath, List.of());
    }

    /** Every labelled relative path, in the order of the source. */
    public Set<String> relativePaths() {
        return windowsByPath.keySet();
    }

    /** Total number of windows over every labelled file. */
    public int windowCount() {
        return windowsByPath.values().stream().mapToInt(List::size).sum();
    }

    private static void checkOrdered(String path, List<NabWindow> windows) {
        for (int k = 1; k < windows.size(); k++) {
            NabWindow prev = windows.get(k - 1);
            NabWindow cur = windows.get(k);
            if (!cur.start().isAfter(prev.end())) {
                throw new VigilException("windows of '" + path + "' must be in time order and not overlap, got "
                        + prev + " then " + cur);
            }
        }
    }
}
