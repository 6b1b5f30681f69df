package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.config.HttpConfig;
import dev.vigil.detect.Event;
import dev.vigil.stream.TopologyNames;
import dev.vigil.testutil.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /sensors/{key}} and its history for keys whose events a producer put in other partitions than the Java
 * client's partitioner would (as librdkafka's default partitioner does), with two instances of the service in this
 * JVM sharing the partitions: either instance finds each such key, in its own partitions or in the other's, as it
 * finds a key produced with the Java partitioner; a key found nowhere answers the one 404; a forwarded request is
 * answered from the stores of the instance it reaches, never forwarded again. Both instances require a bearer token
 * ({@code http.auth.token}), so every forwarded lookup shows that instances send it to each other; without it only
 * the probes answer.
 */
class KeyLookupIT {
    private static final int PARTITIONS = 4;
    private static final int EVENTS = 150;
    private static final Duration LIMIT = ServiceScenario.LIMIT;
    /** Both instances require it ({@code http.auth.token}), so every lookup forwarded between them must carry it. */
    private static final String TOKEN = "key-lookup-it-token-0123456789";

    @TempDir
    Path tmp;

    @Test
    void shouldFindKeysProducedToOtherPartitionsThanTheJavaHashFromEitherInstance() throws Exception {
        run("lookup-it", 0);
    }

    /**
     * The same with states written behind their events ({@code states.replayEvents} far beyond the run, so no state
     * is written before the lookups): every answer, state and history, forwarded or not, and the fleet's pages are read
     * from the states the tasks hold, as if written.
     */
    @Test
    void shouldAnswerFromTheStatesHeldBehindTheirEvents() throws Exception {
        run("lookup-behind-it", 1_000_000);
    }

    private void run(String name, long replayEvents) throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        ServiceScenario scenario = new ServiceScenario(name, PARTITIONS + 1, EVENTS, EVENTS - 20);
        List<String> keys = List.copyOf(scenario.events.keySet());
        // one key per partition, none in its Java-hash partition; the last key goes where the Java partitioner puts it
        Map<String, Integer> foreign = foreignPartitions(keys.subList(0, PARTITIONS));
        try (VigilService a = start(broker, scenario, name, "a", replayEvents);
             VigilService b = start(broker, scenario, name, "b", replayEvents)) {
            assertTrue(a.awaitRunning(LIMIT) && b.awaitRunning(LIMIT), "both instances reach RUNNING");
            awaitSplit(scenario, a, b);
            produce(broker, scenario, foreign);
            List<ConsumerRecord<String, byte[]>> scores = scenario.collectScores(broker.bootstrapServers());
            assertEquals(scenario.total(), scores.size(), "every event scored");

            int[] ports = {a.http().port(), b.http().port()};
            Set<String> holders = new HashSet<>();
            for (String key : keys) {
                JsonNode fromA = sensor(ports[0], key);
                assertEquals(fromA, sensor(ports[1], key), key + " from either instance");
                assertEquals(key, fromA.get("key").asText());
                assertEquals(EVENTS, fromA.get("events").asLong(), key + ": " + fromA);
                holders.add(fromA.get("instance").asText());
                for (int port : ports) {
                    assertHistoryIsTheKeysReadings(port, scenario, key);
                }
            }
            assertEquals(Set.of(a.http().advertised(), b.http().advertised()), holders,
                    "both instances hold keys, so each found some of them on the other");
            assertFleetPagesAreTheSameFromEitherInstance(ports, keys, holders);

            for (String key : foreign.keySet()) {
                int answered = 0;
                for (int port : ports) {
                    HttpResponse<String> r = get(port, "/sensors/" + key,
                            "X-Vigil-Forwarded-By", "127.0.0.1:1", "X-Vigil-Partitions", "0,1,2,3");
                    if (r.statusCode() == 200) {
                        answered++;
                    } else {
                        assertEquals(503, r.statusCode(), key + ": " + r.body());
                    }
                }
                assertEquals(1, answered, key + ": only the instance holding it answers a forwarded request");
            }
            assertOnlyTheProbesAnswerWithoutTheToken(ports[0], keys.get(0));
            for (int port : ports) {
                for (String path : List.of("/sensors/no-such-key", "/sensors/no-such-key/history")) {
                    HttpResponse<String> r = get(port, path);
                    assertEquals(404, r.statusCode(), r.body());
                    assertEquals("{\"error\":\"unknown key 'no-such-key' in topology " + name + "\"}", r.body());
                }
            }
        }
    }

    /**
     * With a token set, /sensors, /metrics and the dashboard's /api answer 401 without it or with another (a JSON
     * error and a Bearer challenge), /health and /ready answer anyway, and /metrics answers with it.
     */
    private static void assertOnlyTheProbesAnswerWithoutTheToken(int port, String key) {
        for (String path : List.of("/sensors/" + key, "/sensors/" + key + "/history", "/metrics", "/api/fleet",
                "/api/topologies")) {
            HttpResponse<String> missing = HttpProbe.get(port, path);
            assertEquals(401, missing.statusCode(), path + ": " + missing.body());
            assertEquals("Bearer realm=\"vigil\"", missing.headers().firstValue("WWW-Authenticate").orElse(null));
            assertTrue(HttpProbe.json(missing).get("error").asText().contains("Authorization: Bearer"), missing.body());
            HttpResponse<String> wrong = HttpProbe.get(port, path, "Authorization", "Bearer " + TOKEN + "x");
            assertEquals(401, wrong.statusCode(), path + ": " + wrong.body());
            assertEquals("Bearer realm=\"vigil\", error=\"invalid_token\"",
                    wrong.headers().firstValue("WWW-Authenticate").orElse(null));
            assertEquals("{\"error\":\"invalid bearer token\"}", wrong.body());
            assertEquals(401, HttpProbe.get(port, path, "Authorization", "Basic " + TOKEN).statusCode(), path);
        }
        for (String probe : List.of("/health", "/ready")) {
            assertEquals(200, HttpProbe.get(port, probe).statusCode(), probe);
        }
        HttpResponse<String> metrics = get(port, "/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("vigil_events_total"), "the meters with the token");
    }

    /** A GET with the token (and {@code headers}: name, value, ...). */
    private static HttpResponse<String> get(int port, String path, String... headers) {
        String[] all = java.util.Arrays.copyOf(new String[] {"Authorization", "Bearer " + TOKEN}, 2 + headers.length);
        System.arraycopy(headers, 0, all, 2, headers.length);
        return HttpProbe.get(port, path, all);
    }

    /** The dashboard's fleet, paged by the serving instance over both instances' keys: open alerts first, then key. */
    private static void assertFleetPagesAreTheSameFromEitherInstance(int[] ports, List<String> keys,
                                                                     Set<String> holders) {
        List<String> expected = keys.stream().sorted(java.util.Comparator
                .comparing((String k) -> !sensor(ports[0], k).get("alertOpen").asBoolean())
                .thenComparing(k -> k)).toList();
        for (int port : ports) {
            JsonNode page = HttpProbe.json(get(port, "/api/fleet?sort=key&order=asc&offset=2&limit=2"));
            assertEquals(keys.size(), page.get("total").asInt(), page.toString());
            assertEquals(2, page.get("instances").asInt(), page.toString());
            List<String> listed = new ArrayList<>();
            page.get("rows").forEach(r -> listed.add(r.get("key").asText()));
            assertEquals(expected.subList(2, 4), listed, page.toString());
        }
        JsonNode all = HttpProbe.json(get(ports[1], "/api/fleet?limit=500"));
        Set<String> instances = new HashSet<>();
        all.get("rows").forEach(r -> instances.add(r.get("instance").asText()));
        assertEquals(holders, instances, "each row comes from the instance holding the key");
    }

    private VigilService start(EmbeddedKafkaBroker broker, ServiceScenario scenario, String applicationId, String name,
                               long replayEvents) throws InterruptedException {
        AppConfig app = new AppConfig(broker.bootstrapServers(), applicationId, tmp.resolve("state-" + name), true,
                PARTITIONS, 1, Map.of("commit.interval.ms", "100"), new HttpConfig(true, "127.0.0.1", 0, null, TOKEN),
                AppConfig.DEFAULT_TRAINER_THREADS, AppConfig.DEFAULT_TRAINER_QUEUE, AppConfig.DEFAULT_MODEL_CACHE_BYTES,
                null, AppConfig.DEFAULT_TRAINER_PARALLELISM, AppConfig.defaultStateCacheBytes(),
                AppConfig.DEFAULT_ROCKSDB_MEMORY_BYTES, replayEvents);
        return VigilService.start(app, List.of(scenario.topology), LIMIT);
    }

    private static int javaPartition(String key) {
        return ServiceScenario.javaPartition(key, PARTITIONS);
    }

    private static Map<String, Integer> foreignPartitions(List<String> keys) {
        return ServiceScenario.foreignPartitions(keys, PARTITIONS);
    }

    /** Waits until each instance's metadata shows both holding partitions (the join's rebalance done). */
    private static void awaitSplit(ServiceScenario scenario, VigilService... services) throws InterruptedException {
        String store = new TopologyNames(scenario.topology.name()).stateStore();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        boolean split = false;
        while (!split && System.nanoTime() < deadline) {
            split = true;
            for (VigilService s : services) {
                KafkaStreams streams = s.applications().get(0);
                long holding = streams.state() != KafkaStreams.State.RUNNING ? 0 : streams.streamsMetadataForStore(store)
                        .stream().filter(m -> !m.topicPartitions().isEmpty()).map(StreamsMetadata::hostInfo).count();
                split &= holding == services.length;
            }
            Thread.sleep(100);
        }
        assertTrue(split, "the instances did not split the partitions");
    }

    /** Every key's events in order; keys in {@code foreign} to their partition there, the others by the Java hash. */
    private static void produce(EmbeddedKafkaBroker broker, ServiceScenario scenario, Map<String, Integer> foreign)
            throws ExecutionException, InterruptedException {
        String topic = scenario.topology.inputTopic();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaOptions.producerProperties(AppConfig.defaults(broker.bootstrapServers())))) {
            Map<String, RecordMetadata> last = new LinkedHashMap<>();
            for (int i = 0; i < scenario.eventsPerKey; i++) {
                for (var e : scenario.events.entrySet()) {
                    Event ev = e.getValue().get(i);
                    byte[] json = ("{\"ts\":" + ev.timestamp() + ",\"value\":" + ev.values()[0] + "}")
                            .getBytes(StandardCharsets.UTF_8);
                    Integer partition = foreign.get(e.getKey());
                    last.put(e.getKey(), producer.send(partition == null ? new ProducerRecord<>(topic, e.getKey(), json)
                            : new ProducerRecord<>(topic, partition, e.getKey(), json)).get());
                }
            }
            for (var e : last.entrySet()) {
                int java = javaPartition(e.getKey());
                if (foreign.containsKey(e.getKey())) {
                    assertNotEquals(java, e.getValue().partition(), e.getKey());
                } else {
                    assertEquals(java, e.getValue().partition(), e.getKey());
                }
            }
        }
    }

    private static JsonNode sensor(int port, String key) {
        HttpResponse<String> r = get(port, "/sensors/" + key);
        assertEquals(200, r.statusCode(), key + " from port " + port + ": " + r.body());
        return HttpProbe.json(r);
    }

    private static void assertHistoryIsTheKeysReadings(int port, ServiceScenario scenario, String key) {
        HttpResponse<String> r = get(port, "/sensors/" + key + "/history");
        assertEquals(200, r.statusCode(), key + " history from port " + port + ": " + r.body());
        JsonNode n = HttpProbe.json(r);
        List<Event> events = scenario.events.get(key);
        assertEquals(events.size(), n.get("size").asInt(), key);
        for (int i = 0; i < events.size(); i++) {
            assertEquals(events.get(i).timestamp(), n.get("timestamps").get(i).asLong(), key + " timestamp " + i);
            assertEquals(events.get(i).values()[0], n.get("values").get("value").get(i).asDouble(), 0.0, key + " value " + i);
        }
    }
}
