package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.BadConfigException;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.app.broker.WritableTopics;
import dev.vigil.config.AppConfig;
import dev.vigil.config.HttpConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.Normalisation;
import dev.vigil.lstm.TrainingInfo;
import dev.vigil.stream.StoredKeyReader;
import dev.vigil.stream.TopologyNames;
import dev.vigil.stream.VigilTopology;
import dev.vigil.testutil.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models partitioned like the keys, against a real broker: a key whose events a producer put in another partition
 * than the Java hash (as librdkafka's default partitioner does) is trained, published to its events' partition,
 * scored with its own model and found by {@code /sensors/<key>}; models left by the global-store deployment
 * (keyed, Java-partitioned) are picked up as they are; a models topic partitioned unlike the input is refused at
 * startup with one line, and {@code vigil migrate-models} moves its models where the keys' states are.
 */
class ModelPartitionsIT {
    private static final int PARTITIONS = 4;
    private static final Duration LIMIT = ServiceScenario.LIMIT;
    private static final long VERSION = 7;

    @TempDir
    Path tmp;

    @Test
    void shouldTrainAndScoreKeysProducedToOtherPartitionsThanTheJavaHashWithTheirOwnModels() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        int n = 700;
        ServiceScenario scenario = new ServiceScenario("foreign", PARTITIONS, n, n, Map.of("retrain.historySize", "500",
                "retrain.minTrainPoints", "300", "retrain.retrainInterval", "100000", "training.maxEpochs", "5"));
        Map<String, Integer> foreign = ServiceScenario.foreignPartitions(List.copyOf(scenario.events.keySet()), PARTITIONS);
        AppConfig app = new AppConfig(broker.bootstrapServers(), "foreign-it", tmp.resolve("state"), true, PARTITIONS, 1,
                Map.of("commit.interval.ms", "100"), new HttpConfig(true, "127.0.0.1", 0, null));
        TopologyNames names = new TopologyNames(scenario.topology.name());
        try (VigilService service = VigilService.start(app, List.of(scenario.topology), LIMIT);
             KafkaConsumer<String, byte[]> scores = ServiceScenario.consumer(broker.bootstrapServers(),
                     scenario.topology.scoresTopic())) {
            assertTrue(service.awaitRunning(LIMIT));
            // each key's first model is trained at 300 readings and put in force swapDelayEvents later
            List<ConsumerRecord<String, byte[]>> scored = new ArrayList<>();
            scenario.produce(broker.bootstrapServers(), 0, n, foreign);
            ServiceScenario.collect(scores, scored, scenario.total(), LIMIT);
            assertEquals(scenario.total(), scored.size(), "every event scored");
            Map<String, List<ConsumerRecord<String, byte[]>>> models = awaitModels(broker, scenario.topology, foreign.size());
            KafkaStreams streams = service.applications().get(0);
            for (Map.Entry<String, Integer> f : foreign.entrySet()) {
                String key = f.getKey();
                int partition = f.getValue();
                List<Long> versions = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> model : models.get(key)) {
                    assertEquals(partition, model.partition(), key + "'s model is published to its events' partition");
                    versions.add(ModelCodec.decode(model.value()).info().version());
                }
                long version = ServiceScenario.json(lastScore(scored, key)).get("modelVersion").asLong();
                assertTrue(version >= 1 && versions.contains(version),
                        key + " is scored with its own trained model: version " + version + ", published " + versions);
                assertNotNull(StoredKeyReader.store(streams, names.modelStore(), partition).get(key),
                        key + "'s model is in the model store of its events' partition");
                assertNull(StoredKeyReader.store(streams, names.modelStore(),
                        ServiceScenario.javaPartition(key, PARTITIONS)).get(key), key + " has no model in its Java partition");
                HttpResponse<String> r = HttpProbe.get(service.http().port(), "/sensors/" + key);
                assertEquals(200, r.statusCode(), key + ": " + r.body());
                assertEquals(version, HttpProbe.json(r).get("modelVersion").asLong(), key + ": " + r.body());
                // the lookup describes the model stored for the key (in force or next): one it published, as published
                JsonNode model = HttpProbe.json(r).get("model");
                TrainingInfo stored = models.get(key).stream().map(m -> ModelCodec.decode(m.value()).info())
                        .filter(i -> i.version() == model.get("version").asLong()).findFirst().orElseThrow(
                                () -> new AssertionError(key + ": no published model of the version the lookup says: "
                                        + r.body() + "; published " + versions));
                assertTrue(stored.version() >= version, key + ": " + r.body());
                assertFalse(model.get("shared").asBoolean(true), key + "'s own model: " + r.body());
                assertEquals(stored.points(), model.get("readings").asInt(), key + ": " + r.body());
                assertEquals(stored.validationLoss(), model.get("validationLoss").asDouble(), 0.0,
                        key + ": " + r.body());
            }
        }
    }

    @Test
    void shouldPickUpModelsPublishedByTheGlobalStoreDeploymentAsTheyAre() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        ServiceScenario scenario = new ServiceScenario("upgrade", 4, 200, 180);
        AppConfig app = app(broker, "upgrade-it", tmp.resolve("state"), 2);
        TopicSetup.createMissing(app, List.of(scenario.topology));
        // what the earlier deployment left: models keyed by sensor, put in partitions by the Java partitioner
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaOptions.producerProperties(app))) {
            for (String key : scenario.events.keySet()) {
                producer.send(new ProducerRecord<>(scenario.topology.modelsTopic(), key, payload(scenario.topology, key)));
            }
        }
        try (VigilService service = VigilService.start(app, List.of(scenario.topology), LIMIT)) {
            assertTrue(service.awaitRunning(LIMIT));
            awaitStoredModels(service, scenario);
            scenario.produce(broker.bootstrapServers(), false);
            assertEveryScoreHasTheModel(broker, scenario, 0);
        }
    }

    @Test
    void shouldRefuseAModelsTopicPartitionedUnlikeTheInputAndMigrateItsModelsToTheKeysPartitions() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        ServiceScenario scenario = new ServiceScenario("migrate", PARTITIONS, 200, 180);
        TopologyConfig fresh = scenario.topology;
        String old = fresh.modelsTopic() + "-old";
        TopologyConfig earlier = withModelsTopic(fresh, old);
        AppConfig app = app(broker, "migrate-it", tmp.resolve("state"), PARTITIONS);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(old, 3, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
            // a topic just created may not take writes yet: wait, so that no send below fails out of sequence
            WritableTopics.awaitWritable(admin, old, LIMIT);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaOptions.producerProperties(app))) {
            for (String key : scenario.events.keySet()) {
                // each written for sure before the migration reads the topic
                producer.send(new ProducerRecord<>(old, key, payload(fresh, key))).get();
            }
        }
        BadConfigException refused = assertThrows(BadConfigException.class,
                () -> VigilService.start(app, List.of(earlier), LIMIT).close());
        assertEquals("topology migrate: models topic " + old + " has 3 partition(s) but input topic "
                + fresh.inputTopic() + " has 4; they must be equal (each key's model is kept with its events' partition):"
                + " migrate the models to a topic with 4 partitions (vigil migrate-models, see docs/operations.md)",
                refused.getMessage());
        // keys' states from earlier events, each key in another partition than its Java one (a librdkafka producer)
        Map<String, Integer> foreign = ServiceScenario.foreignPartitions(List.copyOf(scenario.events.keySet()), PARTITIONS);
        int half = scenario.eventsPerKey / 2;
        try (VigilService service = VigilService.start(app, List.of(fresh), LIMIT);
             KafkaConsumer<String, byte[]> scores = ServiceScenario.consumer(broker.bootstrapServers(), fresh.scoresTopic())) {
            scenario.produce(broker.bootstrapServers(), 0, half, foreign);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            ServiceScenario.collect(scores, out, half * PARTITIONS, LIMIT);
            assertEquals(half * PARTITIONS, out.size());
        }
        Path config = tmp.resolve("vigil.properties");
        Files.writeString(config, "bootstrap.servers=" + broker.bootstrapServers() + "\napplication.id=migrate-it\n");
        Path topologyFile = tmp.resolve("migrate.yaml");
        Files.writeString(topologyFile, "name: migrate\ninputTopic: " + fresh.inputTopic() + "\nmodelsTopic: "
                + fresh.modelsTopic() + "\n");
        CommandRun migrate = CommandRun.of("migrate-models", "--config", config.toString(), "--topology",
                topologyFile.toString(), "--from", old);
        assertEquals(0, migrate.code(), migrate.out() + migrate.err());
        assertEquals("migrated 4 model(s) from " + old + " to " + fresh.modelsTopic() + ": 4 placed by their key's"
                + " detector state, 0 by the Java partitioner (no state found), 0 already in place; 4 record(s) written,"
                + " 0 undecodable payload(s) skipped", migrate.out().trim());
        try (VigilService service = VigilService.start(app, List.of(fresh), LIMIT)) {
            assertTrue(service.awaitRunning(LIMIT));
            awaitStoredModels(service, scenario);
            scenario.produce(broker.bootstrapServers(), half, scenario.eventsPerKey, foreign);
            assertEveryScoreHasTheModel(broker, scenario, half);
        }
    }

    @Test
    void shouldCreateAMissingModelsTopicWithTheExistingInputsPartitionCount() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        TopologyConfig topology = new ServiceScenario("created", 1, 10, 10).topology;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topology.inputTopic(), 3, (short) 1))).all().get();
            // topics.partitions = 5 for what Vigil creates; the models topic follows the input's 3 instead
            List<String> created = TopicSetup.createMissing(app(broker, "created-it", tmp, 5), List.of(topology));
            assertTrue(created.contains(topology.modelsTopic()), created.toString());
            Map<String, Integer> counts = new HashMap<>();
            admin.describeTopics(List.of(topology.modelsTopic(), topology.scoresTopic())).allTopicNames().get()
                    .forEach((name, d) -> counts.put(name, d.partitions().size()));
            assertEquals(Map.of(topology.modelsTopic(), 3, topology.scoresTopic(), 5), counts);
        }
        TopicSetup.checkModelPartitions(app(broker, "created-it", tmp, 5), List.of(topology));
    }

    private static AppConfig app(EmbeddedKafkaBroker broker, String id, Path stateDir, int partitions) {
        return new AppConfig(broker.bootstrapServers(), id, stateDir, true, partitions, 1,
                Map.of("commit.interval.ms", "100"));
    }

    private static TopologyConfig withModelsTopic(TopologyConfig t, String models) {
        return new TopologyConfig(t.name(), t.inputTopic(), t.keyField(), t.channels(), t.timestampField(),
                t.allowedLatenessMs(), t.maxRecordBytes(), t.scoresTopic(), t.alertsTopic(), t.dlqTopic(), models,
                t.detector());
    }

    /** A seeded model of version {@value #VERSION} for {@code key}, shaped for the topology's detector. */
    private static byte[] payload(TopologyConfig topology, String key) {
        DetectorSettings settings = VigilService.detectorSettings(topology);
        DetectorConfig detector = VigilTopology.detectorConfig(topology, settings.detector(), settings.retrain());
        LstmModel model = LstmModel.initialise(detector.lstm(), new Normalisation(new double[]{30}, new double[]{5}), 3)
                .withInfo(new TrainingInfo(key, VERSION, 3, 3, 0.5, 0.6, 100));
        return ModelCodec.encode(model);
    }

    /** Waits until the service's model stores hold every key's model (read across its partitions). */
    private static void awaitStoredModels(VigilService service, ServiceScenario scenario) throws InterruptedException {
        String store = new TopologyNames(scenario.topology.name()).modelStore();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        int found = 0;
        while (found < scenario.events.size() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            try {
                var view = StoredKeyReader.store(service.applications().get(0), store);
                found = (int) scenario.events.keySet().stream().filter(k -> view.get(k) != null).count();
            } catch (InvalidStateStoreException e) {
                found = 0;
            }
        }
        assertEquals(scenario.events.size(), found, "every key's model reaches the model stores");
    }

    /** The scores of events {@code from} on (of every key) all carry the migrated model's version. */
    private static void assertEveryScoreHasTheModel(EmbeddedKafkaBroker broker, ServiceScenario scenario, int from) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> scores = ServiceScenario.consumer(broker.bootstrapServers(),
                scenario.topology.scoresTopic(), "models-it-" + java.util.UUID.randomUUID())) {
            ServiceScenario.collect(scores, out, scenario.total(), LIMIT);
        }
        assertEquals(scenario.total(), out.size(), "every event scored");
        int checked = 0;
        for (ConsumerRecord<String, byte[]> r : out) {
            JsonNode score = ServiceScenario.json(r.value());
            if (score.get("ts").asLong() >= scenario.events.get(r.key()).get(from).timestamp()) {
                assertEquals(VERSION, score.get("modelVersion").asLong(), r.key() + " is scored with its model: " + score);
                checked++;
            }
        }
        assertEquals(scenario.events.size() * (scenario.eventsPerKey - from), checked);
    }

    private static byte[] lastScore(List<ConsumerRecord<String, byte[]>> scored, String key) {
        byte[] last = null;
        for (ConsumerRecord<String, byte[]> r : scored) {
            if (r.key().equals(key)) {
                last = r.value();
            }
        }
        return last;
    }

    /** Each key's model records in the models topic, once {@code keys} keys have one (or the limit). */
    private static Map<String, List<ConsumerRecord<String, byte[]>>> awaitModels(EmbeddedKafkaBroker broker,
                                                                                 TopologyConfig topology, int keys) {
        Map<String, List<ConsumerRecord<String, byte[]>>> newest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = ServiceScenario.consumer(broker.bootstrapServers(), topology.modelsTopic(),
                "models-it-" + java.util.UUID.randomUUID())) {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (newest.size() < keys && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> newest.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
            }
            c.poll(Duration.ofSeconds(1)).forEach(r -> newest.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
        }
        assertEquals(keys, newest.size(), "every key gets a trained model");
        return newest;
    }
}
