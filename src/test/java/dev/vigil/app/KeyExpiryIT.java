package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code keyIdleExpiryMs} against a real broker: a key that falls silent while another key of its partition goes on is
 * forgotten in its task's transaction: its model retracted by a tombstone in its events' partition of the models topic
 * (a partition the Java hash would not choose), its open alert closed with reason {@code expired}, its state gone
 * from the store and from {@code /sensors/<key>}; the other key is still served. {@code vigil forget} does the same for
 * a key at once, through the input topic.
 */
class KeyExpiryIT {
    private static final Duration LIMIT = ServiceScenario.LIMIT;
    private static final int PARTITIONS = 4;
    private static final long T0 = 1_767_225_600_000L;
    private static final long STEP = 300_000L;
    private static final String GONE = "gone-1";
    private static final String ALIVE = "alive-1";
    private static final String TOKEN = "key-expiry-it-token-0123456789";

    @TempDir
    Path tmp;

    @Test
    void shouldForgetAKeyAtOnceWhenVigilForgetAsks() throws Exception {
        try (Rig rig = new Rig(tmp, "forget", 0, 100, null)) {
            rig.awaitAlert(r -> "opened".equals(r.get("type").asText()));
            HttpResponse<String> refused = HttpProbe.send(rig.service.http().port(), "DELETE", "/sensors/" + GONE);
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("http.auth.token"), refused.body());
            assertEquals(200, rig.get("/sensors/" + GONE).statusCode(), "without a token nothing is deleted");
            assertFalse(HttpProbe.json(rig.get("/api/topologies")).get(0).get("forget").asBoolean(true),
                    "the dashboard is told it cannot forget keys");
            // the key given twice, as --key and in a keys file (CRLF, a comment): asked once
            Path keysFile = tmp.resolve("keys.txt");
            java.nio.file.Files.writeString(keysFile, "# decommissioned\r\n" + GONE + "\r\n\r\n");
            CommandRun forget = CommandRun.of("forget", "--bootstrap-servers", rig.broker.bootstrapServers(),
                    "--topic", rig.topology.inputTopic(), "--partition", String.valueOf(rig.partition), "--key", GONE,
                    "--keys-file", keysFile.toString());
            assertEquals(0, forget.code(), forget.err());
            assertTrue(forget.out().startsWith("asked to forget key " + GONE + ": forget-events-" + rig.partition
                    + "@"), forget.out());
            assertEquals(1, forget.out().lines().count(), forget.out());
            JsonNode closed = rig.awaitAlert(r -> "closed".equals(r.get("type").asText()));
            assertEquals("deleted", closed.get("reason").asText(), closed.toString());
            rig.assertForgotten();
        }
    }

    @Test
    void shouldForgetAKeyWhenDeleteSensorsAsksWithTheTokenWhereverItsEventsAre() throws Exception {
        try (Rig rig = new Rig(tmp, "delete", 0, 100, TOKEN)) {
            rig.awaitAlert(r -> "opened".equals(r.get("type").asText()));
            int port = rig.service.http().port();
            assertNotEquals(ServiceScenario.javaPartition(GONE, PARTITIONS), rig.partition);
            assertEquals(rig.partition, HttpProbe.json(rig.get("/sensors/" + GONE)).get("partition").asInt(),
                    "the lookup says the partition holding the key");
            assertEquals(401, HttpProbe.send(port, "DELETE", "/sensors/" + GONE).statusCode(), "not without the token");
            assertTrue(HttpProbe.json(rig.get("/api/topologies")).get(0).get("forget").asBoolean(false),
                    "the dashboard is told it can forget keys");
            HttpResponse<String> history = HttpProbe.send(port, "DELETE", "/sensors/" + GONE + "/history", rig.auth());
            assertEquals(405, history.statusCode(), history.body());
            assertEquals("GET, HEAD", history.headers().firstValue("Allow").orElse(null));
            HttpResponse<String> unknown = HttpProbe.send(port, "DELETE", "/sensors/no-such-key", rig.auth());
            assertEquals(404, unknown.statusCode(), unknown.body());
            assertEquals(200, rig.get("/sensors/" + GONE).statusCode(), "refused requests delete nothing");

            HttpResponse<String> asked = HttpProbe.send(port, "DELETE", "/sensors/" + GONE, rig.auth());
            assertEquals(202, asked.statusCode(), asked.body());
            JsonNode request = HttpProbe.json(asked);
            assertEquals(rig.topology.inputTopic(), request.get("topic").asText(), asked.body());
            assertEquals(rig.partition, request.get("partition").asInt(), "sent where the key's events are");
            assertTrue(request.get("offset").asLong() >= 100, asked.body());
            JsonNode closed = rig.awaitAlert(r -> "closed".equals(r.get("type").asText()));
            assertEquals("deleted", closed.get("reason").asText(), closed.toString());
            rig.assertForgotten();
            assertFalse(request.get("carriedOut").asBoolean(), asked.body());
            HttpResponse<String> again = HttpProbe.send(port, "DELETE", "/sensors/" + GONE, rig.auth());
            assertEquals(404, again.statusCode(), "a forgotten key is unknown: " + again.body());

            for (String bad : List.of("abc", "-1", "31")) {
                HttpResponse<String> r =
                        HttpProbe.send(port, "DELETE", "/sensors/" + ALIVE + "?wait=" + bad, rig.auth());
                assertEquals(400, r.statusCode(), r.body());
            }
            assertEquals(200, rig.get("/sensors/" + ALIVE).statusCode(), "a bad wait sends nothing");
            // a backlog in the partition ahead of the request, so that it is carried out well after it is sent
            for (int i = 0; i < 20_000; i++) {
                send(rig.producer, rig.topology, rig.partition, "busy-1", T0 + i * STEP, 10 + Math.sin(i / 6.0));
            }
            rig.producer.flush();
            HttpResponse<String> waited = HttpProbe.send(port, "DELETE", "/sensors/" + ALIVE + "?wait=30", rig.auth());
            assertEquals(200, waited.statusCode(), "carried out within the wait: " + waited.body());
            assertTrue(HttpProbe.json(waited).get("carriedOut").asBoolean(), waited.body());
            assertEquals(404, rig.get("/sensors/" + ALIVE).statusCode(), "gone when the answer comes");
        }
    }

    @Test
    void shouldForgetASilentKeyInItsTasksTransactionAndRetractItsModelInItsEventsPartition() throws Exception {
        try (Rig rig = new Rig(tmp, "expiry", 7_200_000L, 400, null)) {
            JsonNode closed = rig.awaitAlert(r -> "expired".equals(r.path("reason").asText()));
            assertEquals("closed", closed.get("type").asText(), closed.toString());
            assertTrue(rig.alertRecords.stream().anyMatch(r -> r.key().equals(GONE)
                    && "opened".equals(ServiceScenario.json(r.value()).get("type").asText())), "the leap opened one");
            rig.assertForgotten();
            int port = rig.service.http().port();
            awaitTrue(() -> meter(port, "vigil_keys_forgotten_total{reason=\"expired\",topology=\"expiry\"") == 1.0,
                    "/metrics counts the key forgotten");
            assertEquals(1.0, meter(port, "vigil_keys_held{topology=\"expiry\""), "and holds the other one");
        }
    }

    /**
     * A one-instance service on the shared broker with {@link #topology}, a model for {@link #GONE} and both keys'
     * readings in one partition that the Java hash would not give {@link #GONE} ({@link #modelAndEvents}), and
     * read_committed consumers of the alerts and the models.
     */
    private static final class Rig implements AutoCloseable {
        final EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        final TopologyConfig topology;
        final TopologyNames names;
        final int partition = (ServiceScenario.javaPartition(GONE, PARTITIONS) + 1) % PARTITIONS;
        final VigilService service;
        final KafkaStreams streams;
        final KafkaProducer<String, byte[]> producer;
        final KafkaConsumer<String, byte[]> alerts;
        final KafkaConsumer<String, byte[]> models;
        final List<ConsumerRecord<String, byte[]>> alertRecords = new ArrayList<>();
        /** {@code http.auth.token}, or null for none. */
        final String token;

        Rig(Path tmp, String name, long expiryMs, int aliveEvents, String token) throws Exception {
            topology = topology(name, expiryMs);
            names = new TopologyNames(name);
            this.token = token;
            // as ServiceScenario.serviceApp, with the token
            AppConfig app = new AppConfig(broker.bootstrapServers(), name + "-it", tmp.resolve("state"), true,
                    PARTITIONS, 1, Map.of("commit.interval.ms", "100"),
                    new HttpConfig(true, "127.0.0.1", 0, null, token));
            service = VigilService.start(app, List.of(topology), LIMIT);
            producer = new KafkaProducer<>(KafkaOptions.producerProperties(app));
            alerts = ServiceScenario.consumer(broker.bootstrapServers(), topology.alertsTopic());
            models = ServiceScenario.consumer(broker.bootstrapServers(), topology.modelsTopic());
            assertTrue(service.awaitRunning(LIMIT));
            streams = service.applications().get(0);
            modelAndEvents(producer, topology, partition, streams, aliveEvents);
        }

        /** The Authorization header with the token, as name and value (none without a token). */
        String[] auth() {
            return token == null ? new String[0] : new String[] {"Authorization", "Bearer " + token};
        }

        HttpResponse<String> get(String path) {
            return HttpProbe.get(service.http().port(), path, auth());
        }

        /** {@link #GONE}'s first alert record that matches (read from the start; all kept in {@link #alertRecords}). */
        JsonNode awaitAlert(java.util.function.Predicate<JsonNode> wanted) {
            return ServiceScenario.json(awaitRecord(alerts, alertRecords,
                    r -> r.key().equals(GONE) && wanted.test(ServiceScenario.json(r.value()))).value());
        }

        /** {@link #GONE}'s model retracted in its events' partition and applied, its state gone, the other served. */
        void assertForgotten() throws InterruptedException {
            ConsumerRecord<String, byte[]> tombstone = awaitRecord(models, new ArrayList<>(),
                    r -> r.key().equals(GONE) && r.value() == null);
            assertEquals(partition, tombstone.partition(), "retracted in the partition of the key's events");
            awaitTrue(() -> StoredKeyReader.store(streams, names.modelStore(), partition).get(GONE) == null,
                    "the model store applies the tombstone");
            assertNull(StoredKeyReader.store(streams, names.stateStore(), partition).get(GONE));
            assertEquals(404, get("/sensors/" + GONE).statusCode());
            assertEquals(200, get("/sensors/" + ALIVE).statusCode());
        }

        @Override
        public void close() {
            models.close();
            alerts.close();
            producer.close();
            service.close();
        }
    }

    /** A topology whose keys warm up in 20 events, train no model, and are forgotten after {@code expiryMs}. */
    private static TopologyConfig topology(String name, long expiryMs) {
        return new TopologyConfig(name, name + "-events", null, List.of(), "ts", 0, 65_536, name + "-scores",
                name + "-alerts", name + "-dlq", name + "-models",
                Map.of("scoring.warmupEvents", "20", "retrain.historySize", "1000", "retrain.minTrainPoints", "1000"),
                TopologyConfig.DEFAULT_MAX_FUTURE_MS, TopologyConfig.DEFAULT_MIN_EVENT_TIME_MS, List.of(), expiryMs);
    }

    /**
     * Publishes a model for {@link #GONE} to {@code partition} and waits until its store holds it; then both keys'
     * readings in that partition, one every five minutes: {@link #GONE} 100, the last leaping far past its range (an
     * alert opens), {@link #ALIVE} {@code aliveEvents}.
     */
    private static void modelAndEvents(KafkaProducer<String, byte[]> producer, TopologyConfig topology, int partition,
                                       KafkaStreams streams, int aliveEvents) throws Exception {
        producer.send(new ProducerRecord<>(topology.modelsTopic(), partition, GONE, payload(topology))).get();
        String store = new TopologyNames(topology.name()).modelStore();
        awaitTrue(() -> StoredKeyReader.store(streams, store, partition).get(GONE) != null,
                "the key's model reaches the model store of its events' partition");
        for (int i = 0; i < aliveEvents; i++) {
            long ts = T0 + i * STEP;
            if (i < 100) {
                send(producer, topology, partition, GONE, ts, i == 99 ? 900.0 : 30 + Math.sin(i / 6.0));
            }
            send(producer, topology, partition, ALIVE, ts, 50 + Math.sin(i / 6.0));
        }
        producer.flush();
    }

    /** The value of the first /metrics line starting with {@code series}, NaN when there is none. */
    private static double meter(int port, String series) {
        for (String line : HttpProbe.get(port, "/metrics").body().split("\n")) {
            if (line.startsWith(series)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
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

    private static ConsumerRecord<String, byte[]> awaitRecord(
            KafkaConsumer<String, byte[]> consumer, List<ConsumerRecord<String, byte[]>> seen,
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

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
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
