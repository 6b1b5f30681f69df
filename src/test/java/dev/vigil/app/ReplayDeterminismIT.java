package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Event;
import dev.vigil.eval.SeriesReplay;
import dev.vigil.testutil.KafkaTestBroker;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backfill: the same events, published as fast as the producer goes (the service processes them at full speed),
 * through two clean runs of the service (fresh topics, application and state), and through {@code vigil evaluate}'s
 * replay.
 * Models are trained and swapped several times per key on the way; every score agrees bit for bit in the three.
 */
class ReplayDeterminismIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS = 8;
    private static final int EVENTS = 1200;
    private static final Map<String, String> RETRAIN = Map.of("retrain.historySize", "400",
            "retrain.minTrainPoints", "200", "retrain.retrainInterval", "300", "training.maxEpochs", "5");

    @TempDir
    Path tmp;

    @Test
    void shouldGiveTheSameScoresInTwoServiceRunsAndInTheEvaluatorAtFullSpeed() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        Map<String, List<Event>> events = new LinkedHashMap<>();
        for (int k = 0; k < KEYS; k++) {
            double[] x = SyntheticSeries.seasonal(EVENTS, 10 + 4 * k, 2 + k % 3, 48, 0.3, 40 + k);
            events.put("unit-" + k, SyntheticSeries.events(SyntheticSeries.withLevelShift(x, 700, 6)));
        }
        Map<String, List<Long>> first = run(broker, "determinism-a", events);
        Map<String, List<Long>> second = run(broker, "determinism-b", events);
        DetectorSettings settings = VigilService.detectorSettings(topology("determinism-a"));
        Map<String, List<Long>> offline = new LinkedHashMap<>();
        for (var e : events.entrySet()) {
            List<Long> bits = new ArrayList<>();
            new SeriesReplay(settings.detector(), settings.retrain()).run(e.getKey(), e.getValue(),
                    (DetectorResult r) -> bits.add(Double.doubleToRawLongBits(r.anomalyScore())));
            offline.put(e.getKey(), bits);
        }
        int total = KEYS * EVENTS;
        int runs = agreeing(first, second);
        int evaluator = agreeing(first, offline);
        System.out.printf("determinism: two service runs agree on %d of %d scores (%.1f%%), service and evaluator on"
                + " %d (%.1f%%)%n", runs, total, 100.0 * runs / total, evaluator, 100.0 * evaluator / total);
        assertEquals(total, runs, "two runs of the same events give the same scores");
        assertEquals(total, evaluator, "the service gives the evaluator's scores");
    }

    private static int agreeing(Map<String, List<Long>> a, Map<String, List<Long>> b) {
        int same = 0;
        for (var e : a.entrySet()) {
            List<Long> other = b.get(e.getKey());
            for (int i = 0; i < e.getValue().size(); i++) {
                same += other != null && i < other.size() && other.get(i).equals(e.getValue().get(i)) ? 1 : 0;
            }
        }
        return same;
    }

    /** Publishes every event, then runs the service on them; each key's scores, as raw bits, in order. */
    private Map<String, List<Long>> run(EmbeddedKafkaBroker broker, String name, Map<String, List<Event>> events)
            throws IOException, InterruptedException {
        TopologyConfig topology = topology(name);
        AppConfig app = new AppConfig(broker.bootstrapServers(), "determinism-it", tmp.resolve(name), true, 2, 1,
                Map.of("commit.interval.ms", "100"));
        Map<String, List<Long>> scores = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = ServiceScenario.consumer(broker.bootstrapServers(),
                topology.scoresTopic())) {
            try (VigilService service = VigilService.start(app, List.of(topology), ServiceScenario.LIMIT)) {
                assertTrue(service.awaitRunning(ServiceScenario.LIMIT));
                publish(broker, topology, events);
                List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
                ServiceScenario.collect(consumer, records, KEYS * EVENTS, ServiceScenario.LIMIT);
                assertEquals(KEYS * EVENTS, records.size(), name + ": every event scored");
                for (ConsumerRecord<String, byte[]> r : records) {
                    JsonNode n = JSON.readTree(r.value());
                    scores.computeIfAbsent(r.key(), k -> new ArrayList<>())
                            .add(Double.doubleToRawLongBits(n.get("score").asDouble()));
                }
            }
        }
        return scores;
    }

    private static void publish(EmbeddedKafkaBroker broker, TopologyConfig topology, Map<String, List<Event>> events) {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(
                KafkaOptions.producerProperties(AppConfig.defaults(broker.bootstrapServers())))) {
            for (int i = 0; i < EVENTS; i++) {
                for (var e : events.entrySet()) {
                    Event ev = e.getValue().get(i);
                    String json = "{\"ts\":" + ev.timestamp() + ",\"value\":" + ev.values()[0] + "}";
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topology.inputTopic(),
                            e.getKey(), json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
        }
    }

    private static TopologyConfig topology(String name) {
        return new TopologyConfig(name, name + "-events", null, List.of(), "ts", 0, 65_536, name + "-scores",
                name + "-alerts", name + "-dlq", name + "-models", RETRAIN);
    }
}
