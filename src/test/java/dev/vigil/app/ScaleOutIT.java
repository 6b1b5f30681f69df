package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.Normalisation;
import dev.vigil.lstm.TrainingInfo;
import dev.vigil.testutil.FreePorts;
import dev.vigil.testutil.KafkaTestBroker;
import dev.vigil.train.ModelTrainer;
import dev.vigil.train.RetrainConfig;
import dev.vigil.train.TrainingOutcome;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of {@code vigil run} (separate JVMs launched with {@code java -cp <test classpath>
 * dev.vigil.app.Main run}, each with its own state directory and HTTP port, the same application id) against
 * the embedded broker: they split the partitions, and either answers {@code /sensors/{key}} for any key (forwarding
 * to the owner). Then one is stopped (SIGTERM: clean shutdown); the other takes over its keys with their state
 * restored from the changelogs, models included (each instance holds only its partitions' models, about half of
 * them, measured by {@code vigil_models_held}; the remaining one holds all after the takeover): every later score
 * carries the same model version, none is in warm-up, every event is scored exactly once, and every score equals, bit for bit, the
 * detector run offline without interruption.
 */
class ScaleOutIT {
    private static final int KEYS = 8;
    /** Keys with a model and no events: the model split is measured over these and the {@value #KEYS} keys. */
    private static final int IDLE_KEYS = 200;
    private static final int PARTITIONS = 4;
    private static final int BEFORE = 300;
    private static final int AFTER = 100;
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldSplitKeysAcrossInstancesAndMoveThemWithStateAndModelsWhenOneStops() throws Exception {
        run("scale", "states.replayEvents=0");
    }

    /**
     * The same with states written behind their events ({@code states.replayEvents}): the instance that stops writes
     * the states it holds before it closes, so the other restores them and has nothing to replay.
     */
    @Test
    void shouldMoveKeysWithTheirStatesWrittenBehindWhenOneStops() throws Exception {
        run("scale-behind", "states.replayEvents=200000");
    }

    /** The topology's name (its topics' prefix) in the running test. */
    private String topologyName;
    /** A setting line both instances' configs add, or empty. */
    private String extra;

    private void run(String name, String setting) throws Exception {
        this.topologyName = name;
        this.extra = setting;
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        ServiceScenario scenario = new ServiceScenario(name, KEYS, BEFORE + AFTER, BEFORE + AFTER);
        AppConfig admin = new AppConfig(broker.bootstrapServers(), name + "-it", tmp, true, PARTITIONS, 1, Map.of());
        TopicSetup.createMissing(admin, List.of(scenario.topology));
        Map<String, LstmModel> models = publishModels(broker, scenario);
        int held = KEYS + publishIdleModels(broker, scenario);

        Path topology = tmp.resolve(name + ".yaml");
        Files.writeString(topology, ("name: N\ninputTopic: N-events\nscoresTopic: N-scores\n"
                + "alertsTopic: N-alerts\ndlqTopic: N-dlq\nmodelsTopic: N-models\n").replace("N", name));
        int[] ports = FreePorts.of(2);
        int portA = ports[0];
        int portB = ports[1];
        Process a = launch("a", portA, broker, topology);
        Process b = launch("b", portB, broker, topology);
        awaitReady(portA, a);
        awaitReady(portB, b);
        // every model in the instances' stores before the first event: the models topic is a source like the events,
        // and a key's first event processed before its model would be scored without it
        assertEachHoldsAboutHalfTheModels(portA, portB, held);

        List<ConsumerRecord<String, byte[]>> scores = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = ServiceScenario.consumer(broker.bootstrapServers(),
                scenario.topology.scoresTopic())) {
            produce(broker, scenario, 0, BEFORE);
            ServiceScenario.collect(consumer, scores, KEYS * BEFORE, LIMIT);
            assertEquals(KEYS * BEFORE, scores.size(), "scored before the stop");

            // both hold keys; each answers for every key, the same as the owner does
            Set<String> owners = new HashSet<>();
            for (String key : scenario.events.keySet()) {
                JsonNode fromA = sensor(portA, key);
                assertEquals(fromA, sensor(portB, key), key + " from either instance");
                assertEquals(BEFORE, fromA.get("events").asLong(), key);
                assertEquals(1, fromA.get("modelVersion").asLong(), key);
                owners.add(fromA.get("instance").asText());
            }
            assertEquals(Set.of("127.0.0.1:" + portA, "127.0.0.1:" + portB), owners, "both instances own keys");

            b.destroy();
            assertTrue(b.waitFor(60, TimeUnit.SECONDS), "instance b stops on SIGTERM");
            // 143: the JVM's status after SIGTERM once its shutdown hooks (closing the service) have run
            assertEquals(143, b.exitValue(), log(b));
            // logged by the service once Streams' close() returned true (its NOT_RUNNING listener line may come too
            // late: the JVM halts when the shutdown hook ends)
            assertTrue(log(b).contains("topology " + topologyName + ": closed"),
                    "b closed its Streams application cleanly: " + log(b));
            awaitOwnsEveryKey(portA, scenario);
            double all = modelsHeld(portA);
            assertTrue(all >= held, "a holds every model after taking b's partitions over: " + all + " of " + held);

            produce(broker, scenario, BEFORE, BEFORE + AFTER);
            ServiceScenario.collect(consumer, scores, KEYS * (BEFORE + AFTER), LIMIT);
            ServiceScenario.collect(consumer, scores, Integer.MAX_VALUE, Duration.ofSeconds(2));
        }
        assertScoresContinueAsOffline(scenario, models, scores);
        for (String key : scenario.events.keySet()) {
            JsonNode n = sensor(portA, key);
            assertEquals(BEFORE + AFTER, n.get("events").asLong(), key + " kept counting: " + n);
            assertEquals(1, n.get("modelVersion").asLong(), key);
        }
        if (!extra.endsWith("=0")) {
            String taken = Files.readString(logFile(topologyName + "-a"));
            assertTrue(log(b).contains("wrote the states they held behind"), "b wrote what it held: " + log(b));
            List<String> replays = taken.lines().filter(l -> l.contains("TaskReplay") && l.contains("replayed"))
                    .toList();
            // a took b's partitions over: each of them replayed from b's last replay offset, past its latest event
            assertFalse(replays.isEmpty(), "a replayed from b's replay offsets: " + taken);
            assertTrue(replays.stream().allMatch(l -> l.contains("replayed 0 event")), "nothing to replay: " + replays);
            assertEquals(0, meter(portA, "vigil_events_replayed_total"), "and counted nothing");
        }
    }

    /** One model per key, trained on the key's first readings, published as version 1 before the instances start. */
    private static Map<String, LstmModel> publishModels(EmbeddedKafkaBroker broker, ServiceScenario scenario) {
        RetrainConfig retrain = RetrainConfig.defaults();
        Map<String, LstmModel> models = new LinkedHashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaOptions.producerProperties(AppConfig.defaults(broker.bootstrapServers())))) {
            for (var e : scenario.events.entrySet()) {
                HistoryWindow window = new HistoryWindow(retrain.historySize(), 1);
                for (Event ev : e.getValue().subList(0, BEFORE)) {
                    window.append(ev.timestamp(), ev.values());
                }
                TrainingOutcome outcome = new ModelTrainer(LstmConfig.defaults(), retrain).train(e.getKey(), window, null);
                assertTrue(outcome.accepted(), outcome.reason());
                TrainingInfo info = outcome.model().info();
                LstmModel model = outcome.model().withInfo(new TrainingInfo(e.getKey(), 1, info.seed(), info.epochs(),
                        info.trainLoss(), info.validationLoss(), info.points()));
                models.put(e.getKey(), model);
                producer.send(new ProducerRecord<>(scenario.topology.modelsTopic(), e.getKey(), ModelCodec.encode(model)));
            }
        }
        return models;
    }

    /**
     * Models of {@value #IDLE_KEYS} keys that send no events (seeded, untrained, version 1), published like the
     * others, so that the split of the models over the instances is measured on more than {@value #KEYS} keys.
     */
    private static int publishIdleModels(EmbeddedKafkaBroker broker, ServiceScenario scenario) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaOptions.producerProperties(AppConfig.defaults(broker.bootstrapServers())))) {
            for (int k = 0; k < IDLE_KEYS; k++) {
                String key = "idle-" + k;
                LstmModel model = LstmModel.initialise(LstmConfig.defaults(), Normalisation.identity(1), k)
                        .withInfo(new TrainingInfo(key, 1, k, 1, 0.5, 0.6, 100));
                producer.send(new ProducerRecord<>(scenario.topology.modelsTopic(), key, ModelCodec.encode(model)));
            }
        }
        return IDLE_KEYS;
    }

    /**
     * Each instance's {@code vigil_models_held} is about half of all models (within 20%), once both have taken in
     * their partitions' models; the counts are printed (the README's figure).
     */
    private void assertEachHoldsAboutHalfTheModels(int portA, int portB, int held) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        double a = modelsHeld(portA);
        double b = modelsHeld(portB);
        while (!(a + b >= held) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            a = modelsHeld(portA);
            b = modelsHeld(portB);
        }
        String counts = "models held: a " + (long) a + ", b " + (long) b + " (" + held + " models, " + PARTITIONS
                + " partitions)";
        System.out.println("ScaleOutIT " + counts);
        // exact: the counts the stores' generation entries keep (every model once; a shared model once per partition)
        assertTrue(a + b >= held && a + b <= held + PARTITIONS, counts);
        assertTrue(Math.abs(a / (a + b) - 0.5) <= 0.1, "each instance holds about half of the models: " + counts);
    }

    /** The instance's {@code vigil_models_held} gauge of the topology (NaN while its stores are not queryable). */
    private double modelsHeld(int port) {
        return meter(port, "vigil_models_held");
    }

    /** The value of the topology's series of {@code family} in the instance's {@code /metrics}. */
    private double meter(int port, String family) {
        String metrics = HttpProbe.get(port, "/metrics").body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(family + "{") && line.contains("topology=\"" + topologyName + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + family + " in /metrics of port " + port);
    }

    private Process launch(String name, int httpPort, EmbeddedKafkaBroker broker, Path topology) throws IOException {
        Path config = tmp.resolve(name + ".properties");
        Files.writeString(config, String.join("\n",
                "bootstrap.servers=" + broker.bootstrapServers(),
                "application.id=" + topologyName + "-it", extra,
                "state.dir=" + tmp.resolve("state-" + name),
                "topics.create=false",
                "http.port=" + httpPort,
                "kafka.commit.interval.ms=100",
                // a stopped instance's partitions move after the session timeout (the broker's minimum, 6 s)
                "kafka.session.timeout.ms=6000",
                "kafka.heartbeat.interval.ms=1000", ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run", "--config", config.toString(),
                "--topology", topology.toString(), "--wait-for-cluster", "PT30S");
        builder.environment().keySet().removeIf(k -> k.startsWith("VIGIL_"));
        builder.redirectErrorStream(true).redirectOutput(logFile(topologyName + "-" + name).toFile());
        Process p = builder.start();
        processes.add(p);
        return p;
    }

    private void awaitReady(int port, Process p) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "instance exited: " + log(p));
            try {
                if (HttpProbe.get(port, "/ready").statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException notYetListening) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("instance on port " + port + " not ready: " + log(p));
    }

    /** Waits until the remaining instance answers for every key itself (partitions taken over, stores restored). */
    private static void awaitOwnsEveryKey(int port, ServiceScenario scenario) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        Set<String> pending = new HashSet<>(scenario.events.keySet());
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            pending.removeIf(key -> {
                HttpResponse<String> r = HttpProbe.get(port, "/sensors/" + key);
                return r.statusCode() == 200
                        && HttpProbe.json(r).get("instance").asText().equals("127.0.0.1:" + port);
            });
            Thread.sleep(200);
        }
        assertTrue(pending.isEmpty(), "not taken over: " + pending);
    }

    private static JsonNode sensor(int port, String key) {
        HttpResponse<String> r = HttpProbe.get(port, "/sensors/" + key);
        assertEquals(200, r.statusCode(), key + ": " + r.body());
        return HttpProbe.json(r);
    }

    private static void produce(EmbeddedKafkaBroker broker, ServiceScenario scenario, int from, int to) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaOptions.producerProperties(AppConfig.defaults(broker.bootstrapServers())))) {
            for (int i = from; i < to; i++) {
                for (var e : scenario.events.entrySet()) {
                    Event ev = e.getValue().get(i);
                    String json = "{\"ts\":" + ev.timestamp() + ",\"value\":" + ev.values()[0] + "}";
                    producer.send(new ProducerRecord<>(scenario.topology.inputTopic(), e.getKey(),
                            json.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    /**
     * Every event scored once, with model version 1, never in warm-up after the first {@code warmupEvents}, and equal
     * bit for bit to the detector run offline with the same model (re-warmed at the key's first event, as the
     * processor does) over the whole series.
     */
    private static void assertScoresContinueAsOffline(ServiceScenario scenario, Map<String, LstmModel> models,
                                                      List<ConsumerRecord<String, byte[]>> scores) throws IOException {
        assertEquals(KEYS * (BEFORE + AFTER), scores.size(), "every event scored exactly once");
        Map<String, List<JsonNode>> byKey = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : scores) {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(JSON.readTree(r.value()));
        }
        DetectorConfig config = DetectorConfig.defaults();
        Detector offline = new Detector(config);
        for (var e : scenario.events.entrySet()) {
            LstmModel model = models.get(e.getKey());
            DetectorState state = offline.newState();
            offline.rewarm(model, state, new HistoryWindow(RetrainConfig.defaults().historySize(), 1));
            List<JsonNode> streamed = byKey.get(e.getKey());
            for (int i = 0; i < BEFORE + AFTER; i++) {
                DetectorResult expected = offline.step(model, state, e.getValue().get(i));
                JsonNode got = streamed.get(i);
                assertEquals(expected.timestamp(), got.get("ts").asLong(), e.getKey() + " event " + i);
                assertEquals(expected.anomalyScore(), got.get("score").asDouble(), 0.0, e.getKey() + " event " + i);
                assertEquals(1, got.get("modelVersion").asLong(), e.getKey() + " event " + i);
                if (i >= BEFORE) {
                    assertFalse(got.get("warmup").asBoolean(), e.getKey() + " restarted warm-up at event " + i);
                }
            }
        }
    }

    /** Where an instance's output goes (kept after the test, under target/). */
    private static Path logFile(String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "scale-out-it"));
        return dir.resolve(name + ".log");
    }

    private String log(Process p) throws IOException {
        List<String> lines = Files.readAllLines(logFile(topologyName + "-"
                + (processes.indexOf(p) == 0 ? "a" : "b")));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
