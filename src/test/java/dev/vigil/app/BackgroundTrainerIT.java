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
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.testutil.KafkaTestBroker;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's background trainer against a real broker: models trained while the stream flows, published to
 * the models topic and swapped in; regime changes learnt; models and schedules surviving a restart; bad payloads
 * refused; one shared model for a fleet.
 */
class BackgroundTrainerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path tmp;

    @Test
    void shouldAlertAtARegimeChangeThenLearnTheNewNormalByRetraining() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        int n = 2000;
        int change = 1000;
        TopologyConfig topology = topology("regime", Map.of("retrain.historySize", "600", "retrain.minTrainPoints", "300",
                "retrain.retrainInterval", "400", "retrain.driftEvents", "60", "training.maxEpochs", "10"));
        Map<String, List<Event>> events = new LinkedHashMap<>();
        for (int k = 0; k < 2; k++) {
            double[] before = SyntheticSeries.seasonal(n, 10, 2, 50, 0.3, k);
            double[] after = SyntheticSeries.seasonal(n, 18, 4, 20, 0.3, 100 + k);
            double[] x = new double[n];
            for (int t = 0; t < n; t++) {
                x[t] = t < change ? before[t] : after[t];
            }
            events.put("machine-" + k, SyntheticSeries.events(x));
        }
        Outputs outputs = runService(broker, topology, events, n, 200);
        Map<String, List<JsonNode>> scores = outputs.scores();
        List<JsonNode> alerts = outputs.alerts();
        for (String key : events.keySet()) {
            List<JsonNode> s = scores.get(key);
            long changeTs = events.get(key).get(change).timestamp();
            assertTrue(alerts.stream().anyMatch(a -> a.get("key").asText().equals(key)
                            && a.get("type").asText().equals("opened") && a.get("ts").asLong() >= changeTs
                            && a.get("ts").asLong() <= changeTs + 10 * SyntheticSeries.STEP_MS),
                    key + " alerts within 10 events of the regime change: " + alerts);
            long atChange = s.get(change).get("modelVersion").asLong();
            assertTrue(atChange >= 1, key + " has a trained model before the change");
            long last = s.get(n - 1).get("modelVersion").asLong();
            assertTrue(last > atChange, key + " is retrained after the change: version " + atChange + " -> " + last);
            int newModelAt = indexOf(s, r -> r.get("modelVersion").asLong() > atChange);
            assertTrue(newModelAt < n - 300, key + " gets a model trained on the new normal in time, at " + newModelAt);
            double mean = s.subList(n - 200, n).stream().mapToDouble(r -> r.get("score").asDouble()).average().orElseThrow();
            assertTrue(mean < 0.3, key + " scores the new normal low after retraining, mean " + mean);
            assertFalse(s.get(n - 1).get("alertOpen").asBoolean(), key + " has closed the alert of the change");
        }
    }

    @Test
    void shouldKeepModelsAndHiddenStatesAcrossARestartAndRefuseBadPayloads() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        TopologyConfig topology = topology("keep", Map.of("retrain.historySize", "500", "retrain.minTrainPoints", "300",
                "retrain.retrainInterval", "100000", "retrain.maxModelBytes", "40000", "training.maxEpochs", "5"));
        int first = 700;
        int n = 900;
        Map<String, List<Event>> events = new LinkedHashMap<>();
        for (int k = 0; k < 3; k++) {
            events.put("pump-" + k, SyntheticSeries.events(SyntheticSeries.seasonal(n, 5 + k, 1 + k, 40, 0.1, k)));
        }
        Map<String, List<JsonNode>> scores = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = ServiceScenario.consumer(broker.bootstrapServers(),
                topology.scoresTopic())) {
            try (VigilService service = VigilService.start(app(broker, tmp.resolve("a")), List.of(topology), LIMIT)) {
                produce(broker, topology, events, 0, first, 300);
                merge(scores, collectScores(consumer, events.size() * first));
                assertEquals(3, models(broker, topology, 3).size(), "each key has its first model");
            }
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    KafkaOptions.producerProperties(AppConfig.defaults(broker.bootstrapServers())))) {
                byte[] corrupt = new byte[200];
                new Random(1).nextBytes(corrupt);
                producer.send(new ProducerRecord<>(topology.modelsTopic(), "pump-0", corrupt));
                producer.send(new ProducerRecord<>(topology.modelsTopic(), "pump-1", new byte[50_000]));
            }
            // a fresh state directory: stores come back from their changelogs, models from the models topic
            try (VigilService service = VigilService.start(app(broker, tmp.resolve("b")), List.of(topology), LIMIT)) {
                assertTrue(service.awaitRunning(LIMIT));
                produce(broker, topology, events, first, n, 300);
                merge(scores, collectScores(consumer, events.size() * (n - first)));
                assertTrue(metric(service, "models-refused-total") >= 2, "both bad payloads are refused and counted");
            }
        }
        List<ConsumerRecord<String, byte[]>> models = models(broker, topology, 5);
        assertEquals(5, models.size(), "three models and the two bad payloads; nothing retrained after the restart");
        for (String key : events.keySet()) {
            List<JsonNode> s = scores.get(key);
            assertEquals(n, s.size(), key + " scored exactly once per event");
            for (int i = first; i < n; i++) {
                assertEquals(1, s.get(i).get("modelVersion").asLong(), key + " keeps its model after the restart, event " + i);
                assertFalse(s.get(i).get("warmup").asBoolean(), key + " is not warming up again, event " + i);
            }
            LstmModel model = ModelCodec.decode(models.stream().filter(r -> r.key().equals(key)).findFirst()
                    .orElseThrow().value());
            assertScoresEqualOffline(events.get(key), s, model, 500);
        }
    }

    @Test
    void shouldTrainOneSharedModelForAFleetAndScoreEachKeyInItsOwnUnits() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        TopologyConfig topology = topology("fleet", Map.of("retrain.scope", "shared", "retrain.historySize", "300",
                "retrain.minTrainPoints", "200", "retrain.retrainInterval", "100000", "retrain.sharedKeys", "16",
                "training.maxEpochs", "5"));
        int keys = 200;
        int n = 400;
        int spikeAt = 380;
        String spiked = "meter-13";
        Map<String, List<Event>> events = new LinkedHashMap<>();
        for (int k = 0; k < keys; k++) {
            double amplitude = 1 + (k % 7) * 0.5;
            double[] x = SyntheticSeries.seasonal(n, 5 + 3 * k, amplitude, 40, 0.05 * amplitude, k);
            String key = "meter-" + k;
            events.put(key, SyntheticSeries.events(key.equals(spiked) ? SyntheticSeries.withSpike(x, spikeAt, 8 * amplitude) : x));
        }
        // 5,000 events/s over 200 keys: 25 per key per second, so the shared model (trained once the keys have 200
        // readings) has about 5 s to train and arrive before event 330, ample on a loaded 2-core machine
        Outputs outputs = runService(broker, topology, events, n, 5000);
        Map<String, List<JsonNode>> scores = outputs.scores();
        List<JsonNode> alerts = outputs.alerts();
        List<ConsumerRecord<String, byte[]>> models = models(broker, topology, 1);
        assertFalse(models.isEmpty());
        assertTrue(models.stream().allMatch(r -> r.key().equals("shared")), "one shared model, no per-key models");
        for (String key : events.keySet()) {
            List<JsonNode> s = scores.get(key);
            for (int i = 330; i < n; i++) {
                assertTrue(s.get(i).get("modelVersion").asLong() >= 1, key + " is scored with the shared model at " + i);
            }
        }
        // a reading beyond the range a key has seen scores 1 whatever the model (the range rule); the model's own
        // scores (prediction error likelihood) must not alert on any key's normal behaviour
        long modelAlerts = alerts.stream().filter(a -> a.get("type").asText().equals("opened")
                && a.get("ts").asLong() >= events.get(spiked).get(300).timestamp()
                && !(a.get("key").asText().equals(spiked) && a.get("ts").asLong() == events.get(spiked).get(spikeAt).timestamp()))
                .filter(a -> !scoreAt(scores.get(a.get("key").asText()), a.get("ts").asLong()).get("outsideRange").asBoolean())
                .count();
        assertEquals(0, modelAlerts, "no key alerts on its normal behaviour under the shared model: " + alerts);
        assertTrue(alerts.stream().anyMatch(a -> a.get("key").asText().equals(spiked) && a.get("type").asText().equals("opened")
                && a.get("ts").asLong() == events.get(spiked).get(spikeAt).timestamp()), "the spike alerts");
    }

    /** Score records by key, in order, and alert records, of one run of the service. */
    private record Outputs(Map<String, List<JsonNode>> scores, List<JsonNode> alerts) {
    }

    /** Runs the service on a fresh state directory while {@code n} events of every key are produced at {@code rate}/s. */
    private Outputs runService(EmbeddedKafkaBroker broker, TopologyConfig topology, Map<String, List<Event>> events,
                               int n, int rate) throws InterruptedException {
        List<JsonNode> alerts = new ArrayList<>();
        try (VigilService service = VigilService.start(app(broker, tmp.resolve("state")), List.of(topology), LIMIT);
             KafkaConsumer<String, byte[]> consumer = ServiceScenario.consumer(broker.bootstrapServers(),
                     topology.scoresTopic());
             KafkaConsumer<String, byte[]> alertConsumer = ServiceScenario.consumer(broker.bootstrapServers(),
                     topology.alertsTopic())) {
            produce(broker, topology, events, 0, n, rate);
            Map<String, List<JsonNode>> scores = collectScores(consumer, events.size() * n);
            // an event's alert commits with its score: once every score is in, so is every alert
            ServiceScenario.collect(alertConsumer, records(alerts), Integer.MAX_VALUE, Duration.ofSeconds(3));
            return new Outputs(scores, alerts);
        }
    }

    /** The stream's scores equal the offline detector's when the model is swapped in at the same event. */
    private static void assertScoresEqualOffline(List<Event> events, List<JsonNode> streamed, LstmModel model,
                                                 int historySize) {
        int swapAt = indexOf(streamed, r -> r.get("modelVersion").asLong() == model.info().version());
        assertTrue(swapAt > 0);
        Detector offline = new Detector(DetectorConfig.defaults());
        DetectorState state = offline.newState();
        HistoryWindow history = new HistoryWindow(historySize, 1);
        for (int i = 0; i < events.size(); i++) {
            if (i == swapAt) {
                offline.rewarm(model, state, history);
            }
            DetectorResult expected = offline.step(i < swapAt ? null : model, state, events.get(i));
            history.append(events.get(i).timestamp(), events.get(i).values());
            assertEquals(expected.anomalyScore(), streamed.get(i).get("score").asDouble(), 0.0, "event " + i);
            assertEquals(expected.prediction() == null ? null : expected.prediction()[0],
                    streamed.get(i).get("prediction").isNull() ? null : streamed.get(i).get("prediction").asDouble(),
                    "prediction of event " + i);
        }
    }

    private static TopologyConfig topology(String name, Map<String, String> detector) {
        return new TopologyConfig(name, name + "-events", null, List.of(), "ts", 0, 65_536, name + "-scores",
                name + "-alerts", name + "-dlq", name + "-models", detector);
    }

    private static AppConfig app(EmbeddedKafkaBroker broker, Path stateDir) {
        return new AppConfig(broker.bootstrapServers(), "trainer-it", stateDir, true, 2, 1,
                Map.of("commit.interval.ms", "100"));
    }

    /** Publishes events [from, to) of every key, round by round, at about {@code perSecond} events per second. */
    private static void produce(EmbeddedKafkaBroker broker, TopologyConfig topology, Map<String, List<Event>> events,
                                int from, int to, int perSecond) throws InterruptedException {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaOptions.producerProperties(AppConfig.defaults(broker.bootstrapServers())))) {
            long start = System.nanoTime();
            long sent = 0;
            for (int i = from; i < to; i++) {
                for (var e : events.entrySet()) {
                    Event ev = e.getValue().get(i);
                    String json = "{\"ts\":" + ev.timestamp() + ",\"value\":" + ev.values()[0] + "}";
                    producer.send(new ProducerRecord<>(topology.inputTopic(), e.getKey(),
                            json.getBytes(StandardCharsets.UTF_8)));
                    sent++;
                }
                long due = start + sent * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    producer.flush();
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
    }

    /** Score records by key, in order, until {@code expected} arrived (then a little longer, to catch duplicates). */
    private static Map<String, List<JsonNode>> collectScores(KafkaConsumer<String, byte[]> consumer, int expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        ServiceScenario.collect(consumer, records, expected, LIMIT);
        ServiceScenario.collect(consumer, records, Integer.MAX_VALUE, Duration.ofSeconds(1));
        assertEquals(expected, records.size(), "every event scored exactly once");
        Map<String, List<JsonNode>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(read(r.value()));
        }
        return byKey;
    }

    /** Records of the models topic, read from the start until at least {@code atLeast} (or 30 s). */
    private static List<ConsumerRecord<String, byte[]>> models(EmbeddedKafkaBroker broker, TopologyConfig topology,
                                                               int atLeast) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = ServiceScenario.consumer(broker.bootstrapServers(), topology.modelsTopic(),
                "models-" + java.util.UUID.randomUUID())) {
            ServiceScenario.collect(c, out, atLeast, Duration.ofSeconds(30));
            ServiceScenario.collect(c, out, Integer.MAX_VALUE, Duration.ofSeconds(2));
        }
        return out;
    }

    /** The sum of the named metric over the application's threads. */
    private static double metric(VigilService service, String name) {
        double sum = 0;
        boolean found = false;
        for (Map.Entry<org.apache.kafka.common.MetricName, ? extends Metric> m : service.applications().get(0).metrics().entrySet()) {
            if (m.getKey().name().equals(name)) {
                sum += ((Number) m.getValue().metricValue()).doubleValue();
                found = true;
            }
        }
        assertTrue(found, "no metric " + name);
        return sum;
    }

    private static JsonNode scoreAt(List<JsonNode> scores, long ts) {
        return scores.stream().filter(r -> r.get("ts").asLong() == ts).findFirst().orElseThrow();
    }

    private static void merge(Map<String, List<JsonNode>> into, Map<String, List<JsonNode>> more) {
        more.forEach((k, v) -> into.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    }

    private static int indexOf(List<JsonNode> records, Predicate<JsonNode> p) {
        for (int i = 0; i < records.size(); i++) {
            if (p.test(records.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** A list view that parses consumer records into JSON as they are added. */
    private static List<ConsumerRecord<String, byte[]>> records(List<JsonNode> parsed) {
        return new java.util.AbstractList<>() {
            @Override
            public boolean add(ConsumerRecord<String, byte[]> r) {
                return parsed.add(read(r.value()));
            }

            @Override
            public ConsumerRecord<String, byte[]> get(int i) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int size() {
                return parsed.size();
            }
        };
    }

    private static JsonNode read(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
