package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.lifecycle.TrainingRequests;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.detect.HistoryWindowCodec;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A {@link TopologyTestDriver} on a Vigil topology, with its topics and stores at hand. */
final class VigilDriver implements AutoCloseable {
    final TopologyConfig topology;
    final TopologyNames names;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> input;
    final TestInputTopic<String, byte[]> models;
    final TestOutputTopic<String, byte[]> scores;
    final TestOutputTopic<String, byte[]> alerts;
    final TestOutputTopic<byte[], byte[]> dlq;
    /** The keys the topology's detector counts. */
    final KeyCounts keys = new KeyCounts();
    private long nextInputOffset;

    VigilDriver(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain, Path stateDir) {
        this(topology, detector, retrain, stateDir, Map.of());
    }

    /** @param overrides Streams settings over {@link VigilTopology#streamsConfig}'s defaults */
    VigilDriver(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain, Path stateDir,
                Map<String, ?> overrides) {
        this(topology, detector, retrain, stateDir, overrides, new DecodedModels(AppConfig.DEFAULT_MODEL_CACHE_BYTES));
    }

    /** @param decoded where the detectors keep decoded models */
    VigilDriver(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain, Path stateDir,
                Map<String, ?> overrides, DecodedModels decoded) {
        this(topology, detector, retrain, stateDir, overrides, decoded, TrainingRequests.NONE);
    }

    /** @param training where the detectors' keys have their trainings done ({@link TrainingRequests#NONE}: none) */
    VigilDriver(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain, Path stateDir,
                Map<String, ?> overrides, DecodedModels decoded, TrainingRequests training) {
        this(topology, detector, retrain, stateDir, overrides, decoded, training,
                new DecodedStates(AppConfig.DEFAULT_STATE_CACHE_BYTES));
    }

    /** @param states where the detectors keep the states they save */
    VigilDriver(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain, Path stateDir,
                Map<String, ?> overrides, DecodedModels decoded, TrainingRequests training, DecodedStates states) {
        this(topology, detector, retrain, stateDir, overrides, decoded, training, states, 0);
    }

    /** @param replayEvents the detectors write states behind their events ({@code states.replayEvents}) */
    VigilDriver(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain, Path stateDir,
                Map<String, ?> overrides, DecodedModels decoded, TrainingRequests training, DecodedStates states,
                long replayEvents) {
        this(topology, detector, retrain, stateDir, overrides, decoded, training, states, replayEvents,
                new HeldStates());
    }

    /** @param held where the detectors register the states they hold behind their events */
    VigilDriver(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain, Path stateDir,
                Map<String, ?> overrides, DecodedModels decoded, TrainingRequests training, DecodedStates states,
                long replayEvents, HeldStates held) {
        this.topology = topology;
        this.names = new TopologyNames(topology.name());
        Properties props = VigilTopology.streamsConfig("vigil-test-" + topology.name(), "localhost:9092",
                stateDir.toString(), topology, overrides);
        this.driver = new TopologyTestDriver(VigilTopology.build(topology, detector, retrain, props,
                training, decoded, states, keys, replayEvents, held), props,
                Instant.parse("2026-01-01T00:00:00Z"));
        this.input = driver.createInputTopic(topology.inputTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        this.models = driver.createInputTopic(topology.modelsTopic(), new StringSerializer(), new ByteArraySerializer());
        this.scores = driver.createOutputTopic(topology.scoresTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        this.alerts = driver.createOutputTopic(topology.alertsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        this.dlq = driver.createOutputTopic(topology.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Pipes one input record; returns its offset. */
    long send(byte[] key, byte[] value, long timestamp, Headers headers) {
        input.pipeInput(new TestRecord<>(key, value, headers, Instant.ofEpochMilli(timestamp)));
        return nextInputOffset++;
    }

    long send(String key, String json, long timestamp) {
        return send(utf8(key), utf8(json), timestamp, new RecordHeaders());
    }

    void publish(String key, byte[] payload) {
        models.pipeInput(key, payload);
    }

    List<TestRecord<String, byte[]>> scoreRecords() {
        return scores.readRecordsToList();
    }

    List<JsonNode> scoreValues() {
        return scoreRecords().stream().map(r -> StreamFixtures.json(r.value())).toList();
    }

    /**
     * The key's stored detector state, encoded without the history head its stored value holds (so tests compare it
     * with an offline state's bytes; {@link #history} reads the history); null when the key has none.
     */
    byte[] state(String key) {
        byte[] stored = storedState(key);
        return stored == null ? null : DetectorStateCodec.encode(DetectorStateCodec.decode(stored));
    }

    /** The key's value in the state store, as stored. */
    byte[] storedState(String key) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(names.stateStore());
        return store.get(key);
    }

    /**
     * The key's stored history window, read back from its ring ({@link HistoryRing}: the head in the state value, the
     * blocks in the history store) and encoded with {@link HistoryWindowCodec} (so tests compare it with an offline
     * window's bytes); null when the key has none.
     */
    byte[] history(String key) {
        HistoryRing ring = new HistoryRing(driver.getKeyValueStore(names.historyStore()));
        HistoryHead head = ring.head(key, storedState(key));
        return head == null ? null : HistoryWindowCodec.encode(ring.read(key, head));
    }

    /** Stores {@code window} as the key's history, in the stores' layout (the key must have a stored state). */
    void putHistory(String key, HistoryWindow window) {
        HistoryRing ring = new HistoryRing(driver.getKeyValueStore(names.historyStore()));
        byte[] head = ring.encodeHead(ring.write(key, window, null));
        driver.<String, byte[]>getKeyValueStore(names.stateStore()).put(key,
                DetectorStateCodec.encode(DetectorStateCodec.decode(storedState(key)), head));
    }

    /** The value of Vigil's {@code <operation>-total} metric for this topology. */
    double total(String operation) {
        for (Map.Entry<MetricName, ? extends Metric> m : driver.metrics().entrySet()) {
            MetricName name = m.getKey();
            if (name.group().equals(VigilMetrics.GROUP) && name.name().equals(operation + "-total")
                    && topology.name().equals(name.tags().get(VigilMetrics.TAG))) {
                return ((Number) m.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("no metric " + operation + "-total in " + VigilMetrics.GROUP);
    }

    static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
    }
}
