package dev.vigil.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.VigilException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The injected anomalies of a labelled corpus, per data file ({@code labels/anomalies.json}):
 * <pre>
 * {"daily/series_000.csv": [{"kind": "spike", "start": 2210, "end": 2211, "detail": "+41.2"}],
 *  "server/series_006.csv": []}
 * </pre>
 * Rows are 0-based and inclusive; every file of the corpus has an entry (possibly empty). Within a file the
 * anomalies are in row order and do not overlap. Immutable and thread-safe.
 */
public final class AnomalyCatalog {
    private final Map<String, List<InjectedAnomaly>> byPath;

    private AnomalyCatalog(Map<String, List<InjectedAnomaly>> byPath) {
        this.byPath = byPath;
    }

    /**
     * A catalog from anomalies in memory.
     *
     * @param byPath anomalies per relative path
     * @throws VigilException if a file's anomalies are out of order or overlap
     */
    public static AnomalyCatalog of(Map<String, List<InjectedAnomaly>> byPath) {
        Map<String, List<InjectedAnomaly>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<InjectedAnomaly>> e : byPath.entrySet()) {
            List<InjectedAnomaly> list = List.copyOf(e.getValue());
            for (int k = 1; k < list.size(); k++) {
                if (list.get(k).start() <= list.get(k - 1).end()) {
                    throw new VigilException("anomalies of '" + e.getKey() + "' must be in row order and not overlap,"
                            + " got rows " + list.get(k - 1).start() + ".." + list.get(k - 1).end() + " then "
                            + list.get(k).start() + ".." + list.get(k).end());
                }
            }
            copy.put(e.getKey(), list);
        }
        return new AnomalyCatalog(Collections.unmodifiableMap(copy));
    }

    /**
     * Reads a catalog file.
     *
     * @param file the JSON file
     * @throws VigilException if it cannot be read or is not in the form above
     */
    public static AnomalyCatalog load(Path file) {
        JsonNode root = JsonObjectFile.read(file, "anomalies file", "", "of file -> [anomaly, ...]");
        Map<String, List<InjectedAnomaly>> byPath = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                throw new VigilException(file + ": the entry of '" + e.getKey() + "' must be a list of anomalies");
            }
            List<InjectedAnomaly> list = new ArrayList<>();
            for (JsonNode a : e.getValue()) {
                list.add(parse(file, e.getKey(), a));
            }
            byPath.put(e.getKey(), list);
        }
        return of(byPath);
    }

    private static InjectedAnomaly parse(Path file, String path, JsonNode a) {
        if (!a.isObject() || !a.path("kind").isTextual() || !a.path("start").canConvertToInt()
                || !a.path("end").canConvertToInt() || !a.path("start").isIntegralNumber()
                || !a.path("end").isIntegralNumber()) {
            throw new VigilException(file + ": each anomaly of '" + path
                    + "' must be {\"kind\": name, \"start\": row, \"end\": row}, got " + a);
        }
        try {
            return new InjectedAnomaly(AnomalyKind.of(a.get("kind").asText()), a.get("start").asInt(),
                    a.get("end").asInt(), a.path("detail").asText(""));
        } catch (VigilException e) {
            throw new VigilException(file + ": '" + path + "': " + e.getMessage(), e);
        }
    }

    /**
     * Writes the catalog as JSON, files in this catalog's order.
     *
     * @param file where to write (replaced)
     */
    public void write(Path file) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        byPath.forEach((path, list) -> {
            ArrayNode array = root.putArray(path);
            for (InjectedAnomaly a : list) {
                array.addObject().put("kind", a.kind().label()).put("start", a.start()).put("end", a.end())
                        .put("detail", a.detail());
            }
        });
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            mapper.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new VigilException("cannot write anomalies file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether the catalog has an entry (possibly empty) for the file. */
    public boolean contains(String relativePath) {
        return byPath.containsKey(relativePath);
    }

    /** The anomalies of one file, in row order; empty if none or not listed. */
    public List<InjectedAnomaly> anomaliesOf(String relativePath) {
        return byPath.getOrDefault(relativePath, List.of());
    }

    /** Every listed file, in the order of the source. */
    public List<String> relativePaths() {
        return List.copyOf(byPath.keySet());
    }
}
