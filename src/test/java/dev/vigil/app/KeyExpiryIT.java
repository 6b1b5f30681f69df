package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code keyIdleExpiryMs} against a real broker: a key that falls silent while another key of its partition goes on is
 * forgotten in its task's transaction: its model retracted by a tombstone in its events' partition of the models topic
 * (a partition the Java hash would not choose), its open alert closed with reason {@code expired}, its state gone
 * from the store and from {@code /sensors/<key>}; the other key is still served.
 */
class KeyExpiryIT {
    private static final Duration LIMIT = ServiceScenario.LIMIT;
    private static final int PARTITIONS = 4;
    private static final long T0 = 1_767_225_600_000L;
    private static final long STEP = 300_000L;
    private static final String GONE = "gone-1";
    private static final String ALIVE = "alive-1";

    @TempDir
    Path tmp;

    @Test
    void shouldForgetASilentKeyInItsTasksTransactionAndRetractItsModelInItsEventsPartition() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        TopologyConfig topology = new TopologyConfig("expiry", "expiry-events", null, List.of(), "ts", 0, 65_536,
                "expiry-scores", "expiry-alerts", "expiry-dlq", "expiry-models",
                Map.of("scoring.warmupEvents", "20", "retrain.historySize", "1000", "retrain.minTrainPoints", "1000"),
                TopologyConfig.DEFAULT_MAX_FUTURE_MS, TopologyConfig.DEFAULT_MIN_EVENT_TIME_MS, List.of(), 7_200_000L);
        int partition = (ServiceScenario.javaPartition(GONE, PARTITIONS) + 1) % PARTITIONS;
        AppConfig app = ServiceScenario.serviceApp(broker.bootstrapServers(), "expiry-it", tmp.resolve("state"),
                PARTITIONS);
        TopologyNames names = new TopologyNames(topology.name());
        try (VigilService service = VigilService.start(app, List.of(topology), LIMIT);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaOptions.producerProperties(app));
             KafkaConsumer<String, byte[]> alerts = ServiceScenario.consumer(broker.bootstrapServers(),
                     topology.alertsTopic());
             KafkaConsumer<String, byte[]> models = ServiceScenario.consumer(broker.bootstrapServers(),
                     topology.modelsTopic())) {
            assertTrue(service.awaitRunning(LIMIT));
            KafkaStreams streams = service.applications().get(0);
            producer.send(new ProducerRecord<>(topology.modelsTopic(), partition, GONE, payload(topology))).get();
            awaitTrue(() -> StoredKeyReader.store(streams, names.modelStore(), partition).get(GONE) != null,
                    "the key's model reaches the model store of its events' partition");
            // both keys in one partition, a reading every five minutes; the silent key's last one leaps and alerts
            for (int i = 0; i < 400; i++) {
                long ts = T0 + i * STEP;
                if (i < 100) {
                    send(producer, topology, partition, GONE, ts, i == 99 ? 900.0 : 30 + Math.sin(i / 6.0));
                }
                send(producer, topology, partition, ALIVE, ts, 50 + Math.sin(i / 6.0));
            }
            producer.flush();

            List<ConsumerRecord<String, byte[]>> alertRecords = new ArrayList<>();
            ConsumerRecord<String, byte[]> expired = awaitRecord(alerts, alertRecords, r -> r.key().equals(GONE)
                    && "expired".equals(ServiceScenario.json(r.value()).path("reason").asText()));
            JsonNode closed = ServiceScenario.json(expired.value());
            assertEquals("closed", closed.get("type").asText(), closed.toString());
            assertTrue(alertRecords.stream().anyMatch(r -> r.key().equals(GONE)
                    && "opened".equals(ServiceScenario.json(r.value()).get("type").asText())), "the leap opened one");
            ConsumerRecord<String, byte[]> tombstone = awaitRecord(models, new ArrayList<>(),
                    r -> r.key().equals(GONE) && r.value() == null);
            assertEquals(partition, tombstone.partition(), "retracted in the partition of the key's events");

            awaitTrue(() -> StoredKeyReader.store(streams, names.modelStore(), partition).get(GONE) == null,
                    "the model store applies the tombstone");
            assertNull(StoredKeyReader.store(streams, names.stateStore(), partition).get(GONE));
            assertEquals(404, HttpProbe.get(service.http().port(), "/sensors/" + GONE).statusCode());
            assertEquals(200, HttpProbe.get(service.http().port(), "/sensors/" + ALIVE).statusCode());
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, TopologyConfig topology, int partition,
                             String key, long ts, double value) {
        byte[] json = ("{\"ts\":" + ts + ",\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8);
        // the record timestamp is the event time, so the task's stream time moves with the readings
        producer.send(new ProducerRecord<>(topology.inputTopic(), partition, ts, key, json));
    }

    private static byte[] payload(TopologyConfig topology) {
        DetectorSettings settings = VigilService.detectorSettings(topology);
        DetectorConfig detector = VigilTopology.detectorConfig(topology, settings.detector(), settings.retrain());
        LstmModel model = LstmModel.initialise(detector.lstm(), new Normalisation(new double[]{30}, new double[]{5}), 3)
                .withInfo(new TrainingInfo(GONE, 1, 3, 3, 0.5, 0.6, 100));
        return ModelCodec.encode(model);
    }

    private static ConsumerRecord<String, byte[]> awaitRecord(KafkaConsumer<String, byte[]> consumer,
                                                              List<ConsumerRecord<String, byte[]>> seen,
                                                              java.util.function.Predicate<ConsumerRecord<String, byte[]>> wanted) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                seen.add(r);
                if (wanted.test(r)) {
                    return r;
                }
            }
        }
        throw new AssertionError("no such record within " + LIMIT + " among " + seen.size());
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                // a rebalance or restore in progress: ask again
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting until " + what);
    }
}
