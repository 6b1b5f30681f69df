package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.config.AppConfig;
import dev.vigil.config.HttpConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scenario for tests of the service against a real broker: seeded per-key series with a level shift, paced
 * publishing, read_committed consumption, and the comparison of streamed scores with the offline detector.
 */
final class ServiceScenario {
    static final Duration LIMIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    final TopologyConfig topology;
    final Map<String, List<Event>> events = new LinkedHashMap<>();
    final int eventsPerKey;
    final int shiftAt;

    /**
     * {@code keys} keys of {@code eventsPerKey} seasonal readings each, shifted up by 8 from {@code shiftAt}. The
     * first training needs more readings than a key has, so no model is trained and the stream's scores can be
     * compared with the offline detector without a model.
     */
    ServiceScenario(String name, int keys, int eventsPerKey, int shiftAt) {
        this(name, keys, eventsPerKey, shiftAt, Map.of("retrain.historySize", String.valueOf(eventsPerKey + 1),
                "retrain.minTrainPoints", String.valueOf(eventsPerKey + 1)));
    }

    /** The same series, with the topology's detector settings {@code detector} (e.g. ones that train models). */
    ServiceScenario(String name, int keys, int eventsPerKey, int shiftAt, Map<String, String> detector) {
        this.topology = new TopologyConfig(name, name + "-events", null, List.of(), "ts", 0, 65_536,
                name + "-scores", name + "-alerts", name + "-dlq", name + "-models", detector);
        this.eventsPerKey = eventsPerKey;
        this.shiftAt = shiftAt;
        for (int k = 0; k < keys; k++) {
            double[] x = SyntheticSeries.withLevelShift(
                    SyntheticSeries.seasonal(eventsPerKey, 10 * (k + 1), 2, 50, 0.3, k), shiftAt, 8);
            events.put("key-" + k, SyntheticSeries.events(x));
        }
    }

    int total() {
        return events.size() * eventsPerKey;
    }

    static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Java client's partition of a key: murmur2 of its UTF-8 bytes. */
    static int javaPartition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The keys on partitions 0..n-1 rotated by the first shift that puts none of them in its Java partition. */
    static Map<String, Integer> foreignPartitions(List<String> keys, int partitions) {
        for (int shift = 0; shift < partitions; shift++) {
            Map<String, Integer> out = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                int p = (i + shift) % partitions;
                if (p != javaPartition(keys.get(i), partitions)) {
                    out.put(keys.get(i), p);
                }
            }
            if (out.size() == keys.size()) {
                return out;
            }
        }
        throw new AssertionError("no rotation puts every key of " + keys + " outside its Java partition");
    }

    /**
     * Publishes events [from, to) of every key in order, at once: keys in {@code partitions} explicitly to their
     * partition there (as a producer with another partitioner than Java's would), the others by the Java hash.
     */
    void produce(String bootstrapServers, int from, int to, Map<String, Integer> partitions) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaOptions.producerProperties(AppConfig.defaults(bootstrapServers)))) {
            for (int i = from; i < to; i++) {
                for (var e : events.entrySet()) {
                    Event ev = e.getValue().get(i);
                    byte[] json = ("{\"ts\":" + ev.timestamp() + ",\"value\":" + ev.values()[0] + "}")
                            .getBytes(StandardCharsets.UTF_8);
                    Integer partition = partitions.get(e.getKey());
                    producer.send(new ProducerRecord<>(topology.inputTopic(), partition, e.getKey(), json));
                }
            }
        }
    }

    /** Publishes every key's events in order; with {@code paced}, about 1,500 per second. */
    void produce(String bootstrapServers, boolean paced) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaOptions.producerProperties(AppConfig.defaults(bootstrapServers)))) {
            for (int i = 0; i < eventsPerKey; i++) {
                for (var e : events.entrySet()) {
                    Event ev = e.getValue().get(i);
                    String json = "{\"ts\":" + ev.timestamp() + ",\"value\":" + ev.values()[0] + "}";
                    producer.send(new ProducerRecord<>(topology.inputTopic(), e.getKey(), json.getBytes(StandardCharsets.UTF_8)));
                }
                if (paced && i % 50 == 49) {
                    producer.flush();
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static KafkaConsumer<String, byte[]> consumer(String bootstrapServers, String topic) {
        return consumer(bootstrapServers, topic, "scenario-" + topic);
    }

    /** A read_committed consumer of {@code topic} in group {@code group}, from the earliest offset. */
    static KafkaConsumer<String, byte[]> consumer(String bootstrapServers, String topic, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    static void collect(KafkaConsumer<String, byte[]> c, List<ConsumerRecord<String, byte[]>> out, int atLeast,
                        Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (out.size() < atLeast && System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(100)).forEach(out::add);
        }
    }

    /**
     * The settings of a one-instance test service: {@code partitions} partitions for the topics it creates, commits
     * every 100 ms, the HTTP endpoint on the loopback interface at any free port.
     */
    static AppConfig serviceApp(String bootstrapServers, String applicationId, Path stateDir, int partitions) {
        return new AppConfig(bootstrapServers, applicationId, stateDir, true, partitions, 1,
                Map.of("commit.interval.ms", "100"), new HttpConfig(true, "127.0.0.1", 0, null));
    }

    /** The scenario's score records, read_committed from the start, once all {@link #total()} are there or LIMIT passed. */
    List<ConsumerRecord<String, byte[]>> collectScores(String bootstrapServers) {
        List<ConsumerRecord<String, byte[]>> scores = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrapServers, topology.scoresTopic())) {
            collect(c, scores, total(), LIMIT);
        }
        return scores;
    }

    /** Each input scored exactly once, in order per key, bit-for-bit as the offline detector (no model) scores it. */
    void assertScoredExactlyOnceAsOffline(List<ConsumerRecord<String, byte[]>> scores) throws IOException {
        assertEquals(total(), scores.size());
        Map<String, List<JsonNode>> byKey = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : scores) {
            JsonNode n = JSON.readTree(r.value());
            assertTrue(seen.add(r.key() + "@" + n.get("ts").asLong()), "scored twice: " + r.key() + "@" + n.get("ts"));
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(n);
        }
        Detector offline = new Detector(DetectorConfig.defaults());
        for (var e : events.entrySet()) {
            DetectorState state = offline.newState();
            List<JsonNode> streamed = byKey.get(e.getKey());
            for (int i = 0; i < eventsPerKey; i++) {
                DetectorResult expected = offline.step(null, state, e.getValue().get(i));
                assertEquals(expected.timestamp(), streamed.get(i).get("ts").asLong(), e.getKey() + " event " + i);
                assertEquals(expected.anomalyScore(), streamed.get(i).get("score").asDouble(), 0.0, e.getKey() + " event " + i);
            }
        }
    }

    /** Every key opened an alert exactly at its level shift. */
    void assertAlertedAtTheShift(List<ConsumerRecord<String, byte[]>> alerts) throws IOException {
        Set<String> alerted = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : alerts) {
            JsonNode n = JSON.readTree(r.value());
            if (n.get("type").asText().equals("opened") && n.get("ts").asLong() == events.get(r.key()).get(shiftAt).timestamp()) {
                alerted.add(r.key());
            }
        }
        assertEquals(events.keySet(), alerted, "every key alerts at its level shift");
    }
}
