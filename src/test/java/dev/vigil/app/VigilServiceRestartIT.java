package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.testutil.KafkaTestBroker;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service against a real broker: stopped mid-stream and started again on a fresh state directory (so its
 * stores are restored from their changelogs), every input is scored exactly once and the scores equal those
 * of the detector run offline without interruption; each key's injected level shift opens an alert.
 */
class VigilServiceRestartIT {
    private static final int KEYS = 3;
    private static final int EVENTS_PER_KEY = 1500;
    private static final int SHIFT_AT = 1200;
    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void shouldScoreEveryEventExactlyOnceAcrossARestartAndMatchTheOfflineDetector() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        TopologyConfig t = new TopologyConfig("restart", "restart-events", null, List.of(), "ts", 0, 65_536,
                "restart-scores", "restart-alerts", "restart-dlq", "restart-models", Map.of());
        Map<String, List<Event>> events = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            double[] x = SyntheticSeries.withLevelShift(SyntheticSeries.seasonal(EVENTS_PER_KEY, 10 * (k + 1), 2, 50,
                    0.3, k), SHIFT_AT, 8);
            events.put("key-" + k, SyntheticSeries.events(x));
        }
        TopicSetup.createMissing(app(broker, tmp.resolve("a")), List.of(t));
        // the producer keeps publishing (paced) while the first instance is stopped and the second started
        Thread producing = new Thread(() -> produce(broker, t, events), "restart-it-producer");
        List<ConsumerRecord<String, byte[]>> scores = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(broker, t.scoresTopic())) {
            try (VigilService first = VigilService.start(app(broker, tmp.resolve("a")), List.of(t), LIMIT)) {
                producing.start();
                collect(consumer, scores, KEYS * EVENTS_PER_KEY / 4);
            }
            int beforeRestart = scores.size();
            assertTrue(beforeRestart < KEYS * EVENTS_PER_KEY / 2, "the first instance should stop mid-stream, scored "
                    + beforeRestart);
            try (VigilService second = VigilService.start(app(broker, tmp.resolve("b")), List.of(t), LIMIT)) {
                collect(consumer, scores, KEYS * EVENTS_PER_KEY);
                // anything scored twice would arrive now
                collect(consumer, scores, Integer.MAX_VALUE, Duration.ofSeconds(3));
            }
        }
        producing.join();
        assertEquals(KEYS * EVENTS_PER_KEY, scores.size());
        List<ConsumerRecord<String, byte[]>> alerts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(broker, t.alertsTopic())) {
            collect(consumer, alerts, KEYS, Duration.ofSeconds(30));
        }
        Set<String> alerted = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : alerts) {
            JsonNode n = JSON.readTree(r.value());
            if (n.get("type").asText().equals("opened")
                    && n.get("ts").asLong() == events.get(r.key()).get(SHIFT_AT).timestamp()) {
                alerted.add(r.key());
            }
        }
        assertEquals(events.keySet(), alerted, "every key alerts at its level shift");
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
            for (int i = 0; i < EVENTS_PER_KEY; i++) {
                DetectorResult expected = offline.step(null, state, e.getValue().get(i));
                assertEquals(expected.timestamp(), streamed.get(i).get("ts").asLong(), e.getKey() + " event " + i);
                assertEquals(expected.anomalyScore(), streamed.get(i).get("score").asDouble(), 0.0, e.getKey() + " event " + i);
            }
        }
    }

    /** Publishes every key's events in order, about 1,500 per second. */
    private static void produce(EmbeddedKafkaBroker broker, TopologyConfig t, Map<String, List<Event>> events) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaOptions.producerProperties(AppConfig.defaults(broker.bootstrapServers())))) {
            for (int i = 0; i < EVENTS_PER_KEY; i++) {
                for (var e : events.entrySet()) {
                    Event ev = e.getValue().get(i);
                    String json = "{\"ts\":" + ev.timestamp() + ",\"value\":" + ev.values()[0] + "}";
                    producer.send(new ProducerRecord<>(t.inputTopic(), e.getKey(), json.getBytes(StandardCharsets.UTF_8)));
                }
                if (i % 50 == 49) {
                    producer.flush();
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static AppConfig app(EmbeddedKafkaBroker broker, Path stateDir) {
        return new AppConfig(broker.bootstrapServers(), "restart-it", stateDir, true, 2, 1,
                Map.of("commit.interval.ms", "100"));
    }

    private static KafkaConsumer<String, byte[]> consumer(EmbeddedKafkaBroker broker, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-it-reader");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    private static void collect(KafkaConsumer<String, byte[]> c, List<ConsumerRecord<String, byte[]>> out, int atLeast) {
        collect(c, out, atLeast, LIMIT);
    }

    private static void collect(KafkaConsumer<String, byte[]> c, List<ConsumerRecord<String, byte[]>> out, int atLeast,
                                Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (out.size() < atLeast && System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(100)).forEach(out::add);
        }
    }
}
