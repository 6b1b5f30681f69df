package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.detect.DetectorResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a crash run wrote, read with {@code read_committed} consumers, against the uninterrupted run
 * ({@link CrashWorkload#expected}): score records, duplicates (a key and event time scored twice), losses (an
 * event without a score), mismatches (a score, model version or alert flag not bit for bit the uninterrupted
 * run's), alert transitions, and the model records published.
 */
final class CrashOutcome {
    private static final ObjectMapper JSON = new ObjectMapper();

    int scoreRecords;
    int duplicates;
    int losses;
    int scoreMismatches;
    int versionMismatches;
    final List<String> alerts = new ArrayList<>();
    int modelRecords;
    /** The highest model version each key's score records show. */
    final Map<String, Long> lastVersions = new LinkedHashMap<>();
    final List<String> firstMismatches = new ArrayList<>();

    /** Reads the topics (waiting up to {@code limit} for every score, then 3 s more for duplicates) and compares. */
    static CrashOutcome read(String bootstrapServers, CrashWorkload w, Duration limit) throws IOException {
        CrashOutcome o = new CrashOutcome();
        List<ConsumerRecord<String, byte[]>> scores = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = ServiceScenario.consumer(bootstrapServers, w.topology.scoresTopic(),
                w.name + "-check-scores")) {
            ServiceScenario.collect(c, scores, w.total(), limit);
            ServiceScenario.collect(c, scores, Integer.MAX_VALUE, Duration.ofSeconds(3));
        }
        o.scoreRecords = scores.size();
        Map<String, Map<Long, JsonNode>> byKey = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : scores) {
            JsonNode n = JSON.readTree(r.value());
            if (byKey.computeIfAbsent(r.key(), k -> new HashMap<>()).putIfAbsent(n.get("ts").asLong(), n) != null) {
                o.duplicates++;
            }
        }
        w.expected.forEach((key, results) -> o.compare(key, results, byKey.getOrDefault(key, Map.of())));
        List<ConsumerRecord<String, byte[]>> alerts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = ServiceScenario.consumer(bootstrapServers, w.topology.alertsTopic(),
                w.name + "-check-alerts")) {
            ServiceScenario.collect(c, alerts, Integer.MAX_VALUE, Duration.ofSeconds(3));
        }
        Map<String, List<String>> alertsByKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : alerts) {
            JsonNode n = JSON.readTree(r.value());
            alertsByKey.computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(r.key() + "@" + n.get("ts").asLong() + " " + n.get("type").asText());
        }
        w.events.keySet().forEach(k -> o.alerts.addAll(alertsByKey.getOrDefault(k, List.of())));
        List<ConsumerRecord<String, byte[]>> models = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = ServiceScenario.consumer(bootstrapServers, w.topology.modelsTopic(),
                w.name + "-check-models")) {
            ServiceScenario.collect(c, models, Integer.MAX_VALUE, Duration.ofSeconds(3));
        }
        o.modelRecords = models.size();
        return o;
    }

    private void compare(String key, List<DetectorResult> expected, Map<Long, JsonNode> streamed) {
        long last = 0;
        for (int i = 0; i < expected.size(); i++) {
            DetectorResult r = expected.get(i);
            JsonNode n = streamed.get(r.timestamp());
            if (n == null) {
                losses++;
                continue;
            }
            long version = n.get("modelVersion").asLong();
            last = Math.max(last, version);
            if (Double.doubleToRawLongBits(n.get("score").asDouble()) != Double.doubleToRawLongBits(r.anomalyScore())
                    || n.get("alertOpen").asBoolean() != r.alertOpen()) {
                scoreMismatches++;
                note(key + " event " + i + ": score " + n.get("score").asDouble() + " expected " + r.anomalyScore());
            }
            if (version != r.modelVersion()) {
                versionMismatches++;
                note(key + " event " + i + ": model version " + version + " expected " + r.modelVersion());
            }
        }
        lastVersions.put(key, last);
    }

    private void note(String mismatch) {
        if (firstMismatches.size() < 5) {
            firstMismatches.add(mismatch);
        }
    }
}
