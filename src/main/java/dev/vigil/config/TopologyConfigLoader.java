package dev.vigil.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.BadConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a topology file ({@code topologies/<name>.yaml}) into a {@link TopologyConfig}. Keys are the record's
 * component names; {@code detector} is a nested map of sections ({@code lstm}, {@code training}, {@code retrain},
 * {@code scoring}) flattened to "section.key". Absent keys take the defaults; unknown keys, wrong types and
 * out-of-range values stop with one line naming the file and the key.
 */
public final class TopologyConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYS = Set.of("name", "inputTopic", "keyField", "channels", "timestampField",
            "allowedLatenessMs", "maxFutureMs", "minEventTimeMs", "maxRecordBytes", "scoresTopic", "alertsTopic",
            "dlqTopic", "modelsTopic", "detector", "counters", "keyIdleExpiryMs");

    private TopologyConfigLoader() {
    }

    public static TopologyConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadConfigException("topology file " + file + " does not exist");
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new BadConfigException(file + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
        try {
            return parse(root);
        } catch (BadConfigException e) {
            throw new BadConfigException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses an already-read YAML/JSON tree. */
    public static TopologyConfig parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new BadConfigException("a topology must be a mapping of keys to values");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new BadConfigException("unknown key '" + key + "' (known: " + new java.util.TreeSet<>(KEYS) + ")");
            }
        }
        TopologyConfig d = TopologyConfig.defaults();
        return new TopologyConfig(
                text(root, "name", d.name()),
                text(root, "inputTopic", d.inputTopic()),
                text(root, "keyField", d.keyField()),
                names(root, "channels", d.channels()),
                text(root, "timestampField", d.timestampField()),
                integer(root, "allowedLatenessMs", d.allowedLatenessMs()),
                (int) integer(root, "maxRecordBytes", d.maxRecordBytes()),
                text(root, "scoresTopic", d.scoresTopic()),
                text(root, "alertsTopic", d.alertsTopic()),
                text(root, "dlqTopic", d.dlqTopic()),
                text(root, "modelsTopic", d.modelsTopic()),
                detector(root.get("detector")),
                integer(root, "maxFutureMs", d.maxFutureMs()),
                integer(root, "minEventTimeMs", d.minEventTimeMs()),
                names(root, "counters", d.counters()),
                integer(root, "keyIdleExpiryMs", d.keyIdleExpiryMs()));
    }

    private static String text(JsonNode root, String key, String fallback) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw new BadConfigException(key + " must be a string, got " + n);
        }
        return n.asText();
    }

    private static long integer(JsonNode root, String key, long fallback) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new BadConfigException(key + " must be an integer, got " + n);
        }
        if (key.equals("maxRecordBytes") && !n.canConvertToInt()) {
            throw new BadConfigException(key + " must be in [64, 10485760], got " + n);
        }
        return n.asLong();
    }

    private static List<String> names(JsonNode root, String key, List<String> fallback) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isArray()) {
            throw new BadConfigException(key + " must be a list of names, got " + n);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : n) {
            if (!c.isTextual()) {
                throw new BadConfigException(key + " must be a list of names, got element " + c);
            }
            out.add(c.asText());
        }
        return out;
    }

    private static Map<String, String> detector(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw new BadConfigException("detector must be a mapping of sections, got " + n);
        }
        for (Iterator<Map.Entry<String, JsonNode>> sections = n.fields(); sections.hasNext(); ) {
            Map.Entry<String, JsonNode> section = sections.next();
            if (!section.getValue().isObject()) {
                throw new BadConfigException("detector." + section.getKey() + " must be a mapping of keys to values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = section.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> e = keys.next();
                if (!e.getValue().isValueNode()) {
                    throw new BadConfigException("detector." + section.getKey() + "." + e.getKey() + " must be a value");
                }
                out.put(section.getKey() + "." + e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
