package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.Event;
import dev.vigil.testutil.KafkaTestBroker;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cold start against a real broker, two partitions: per-key scope with {@code retrain.coldStart=shared}. A first
 * fleet's requests train the shared model on partition 0's task; keys that join later, on both partitions, are scored
 * by it once past warm-up, before their own models exist, and then get their own.
 */
class ColdStartIT {
    private static final int PARTITIONS = 2;
    private static final int WARMUP = 120;
    private static final int MIN_TRAIN_POINTS = 250;

    @TempDir
    Path tmp;

    @Test
    void shouldScoreKeysJoiningLateOnEveryPartitionByTheFleetsSharedModelUntilTheirOwn() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        TopologyConfig topology = new TopologyConfig("cold", "cold-events", null, List.of(), "ts", 0, 65_536,
                "cold-scores", "cold-alerts", "cold-dlq", "cold-models", Map.of("retrain.coldStart", "shared",
                "retrain.historySize", "300", "retrain.minTrainPoints", String.valueOf(MIN_TRAIN_POINTS),
                "training.maxEpochs", "4", "scoring.warmupEvents", String.valueOf(WARMUP)));
        Map<String, List<Event>> first = fleet("early", 8, 400, 0);
        Map<String, List<Event>> late = fleet("late", 8, 300, 50);
        Set<Integer> latePartitions = new HashSet<>();
        late.keySet().forEach(k -> latePartitions.add(ServiceScenario.javaPartition(k, PARTITIONS)));
        assertEquals(PARTITIONS, latePartitions.size(), "late keys on every partition");
        assertTrue(first.keySet().stream().anyMatch(k -> ServiceScenario.javaPartition(k, PARTITIONS) == 0),
                "partition 0's task, which trains the shared model, has keys of the first fleet");
        AppConfig app = ServiceScenario.serviceApp(broker.bootstrapServers(), "cold-it", tmp.resolve("state"),
                PARTITIONS);
        Map<String, List<JsonNode>> scores = new LinkedHashMap<>();
        try (VigilService service = VigilService.start(app, List.of(topology), ServiceScenario.LIMIT);
             KafkaConsumer<String, byte[]> consumer = ServiceScenario.consumer(broker.bootstrapServers(),
                     topology.scoresTopic())) {
            produce(broker, topology, first);
            collect(consumer, scores, 8 * 400);
            // the first fleet is scored (so its shared model is trained and published); then the others join
            produce(broker, topology, late);
            collect(consumer, scores, 8 * 400 + 8 * 300);
            // one more key, past its warm-up and short of its own first model: its lookup names the shared model
            Map<String, List<Event>> tail = fleet("tail", 1, WARMUP + 30, 90);
            produce(broker, topology, tail);
            collect(consumer, scores, 8 * 400 + 8 * 300 + WARMUP + 30);
            String key = tail.keySet().iterator().next();
            HttpResponse<String> r = HttpProbe.get(service.http().port(), "/sensors/" + key);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode lookup = HttpProbe.json(r);
            assertTrue(lookup.get("modelVersion").asLong() >= 1, "on the shared model: " + r.body());
            assertTrue(lookup.get("model").get("shared").asBoolean(false), "the shared model: " + r.body());
            assertTrue(lookup.get("model").get("version").asLong() >= lookup.get("modelVersion").asLong(), r.body());
        }
        for (String key : late.keySet()) {
            List<JsonNode> s = scores.get(key);
            assertEquals(300, s.size(), key);
            assertEquals(0, s.get(WARMUP - 1).get("modelVersion").asLong(), key + ": persistence in warm-up");
            // its own first model scores from its event minTrainPoints + swapDelayEvents + 1: before, the shared one
            for (int i = WARMUP + 1; i < MIN_TRAIN_POINTS; i++) {
                assertTrue(s.get(i).get("modelVersion").asLong() >= 1, key + " (partition "
                        + ServiceScenario.javaPartition(key, PARTITIONS) + ") on the shared model at event " + (i + 1));
            }
            assertTrue(s.get(299).get("modelVersion").asLong() >= 1, key + " scored with a model at the end");
        }
    }

    private static Map<String, List<Event>> fleet(String prefix, int keys, int n, long seed) {
        Map<String, List<Event>> out = new LinkedHashMap<>();
        for (int k = 0; k < keys; k++) {
            double amplitude = 1 + k % 3;
            out.put(prefix + "-" + k, SyntheticSeries.events(SyntheticSeries.seasonal(n, 5 + 2 * k, amplitude, 40,
                    0.05 * amplitude, seed + k)));
        }
        return out;
    }

    /** Every key's events, round by round. */
    private static void produce(EmbeddedKafkaBroker broker, TopologyConfig topology, Map<String, List<Event>> events) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaOptions.producerProperties(AppConfig.defaults(broker.bootstrapServers())))) {
            int n = events.values().iterator().next().size();
            for (int i = 0; i < n; i++) {
                for (var e : events.entrySet()) {
                    Event ev = e.getValue().get(i);
                    String json = "{\"ts\":" + ev.timestamp() + ",\"value\":" + ev.values()[0] + "}";
                    producer.send(new ProducerRecord<>(topology.inputTopic(), e.getKey(),
                            json.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    private static void collect(KafkaConsumer<String, byte[]> consumer, Map<String, List<JsonNode>> into, int total) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        int have = into.values().stream().mapToInt(List::size).sum();
        ServiceScenario.collect(consumer, records, total - have, ServiceScenario.LIMIT);
        assertEquals(total - have, records.size(), "every event scored once");
        for (ConsumerRecord<String, byte[]> r : records) {
            into.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(ServiceScenario.json(r.value()));
        }
    }
}
