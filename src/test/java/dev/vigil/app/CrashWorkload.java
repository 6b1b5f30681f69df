package dev.vigil.app;

import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.config.TopologyConfigLoader;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Event;
import dev.vigil.eval.SeriesReplay;
import dev.vigil.score.AlertTransition;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The crash test's workload: seeded seasonal series for a few keys, each with a spike and a level shift (alerts
 * that open and close), a topology file whose small retraining settings train and swap several models per key
 * within the run, paced publishing, and the uninterrupted run's results: {@code vigil evaluate}'s replay
 * ({@link SeriesReplay}), which gives the service's scores bit for bit (ReplayDeterminismIT).
 */
final class CrashWorkload {
    /** How long the publisher's sends wait for the broker before failing. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(5);
    final String name;
    final Map<String, List<Event>> events = new LinkedHashMap<>();
    final int eventsPerKey;
    /** Events per second of each key while publishing. */
    final int ratePerKey;
    final Path topologyFile;
    final TopologyConfig topology;
    /** The uninterrupted run: each key's results in order. */
    final Map<String, List<DetectorResult>> expected = new LinkedHashMap<>();

    CrashWorkload(String name, int keys, int eventsPerKey, int ratePerKey, long seed, Path dir) throws IOException {
        this.name = name;
        this.eventsPerKey = eventsPerKey;
        this.ratePerKey = ratePerKey;
        for (int k = 0; k < keys; k++) {
            double[] x = SyntheticSeries.seasonal(eventsPerKey, 10 + 3 * k, 2 + k % 3, 48, 0.3, seed + k);
            x = SyntheticSeries.withSpike(x, eventsPerKey / 3 + 7 * k, 12);
            events.put("unit-" + k, SyntheticSeries.events(SyntheticSeries.withLevelShift(x,
                    eventsPerKey * 2 / 3 + 5 * k, 6)));
        }
        this.topologyFile = dir.resolve(name + ".yaml");
        Files.writeString(topologyFile, """
                name: %1$s
                inputTopic: %1$s-events
                timestampField: ts
                scoresTopic: %1$s-scores
                alertsTopic: %1$s-alerts
                dlqTopic: %1$s-dlq
                modelsTopic: %1$s-models
                detector:
                  lstm:
                    hiddenSize: 8
                  retrain:
                    historySize: 400
                    minTrainPoints: 200
                    retrainInterval: 300
                  training:
                    maxEpochs: 5
                """.formatted(name));
        this.topology = TopologyConfigLoader.load(topologyFile);
        DetectorSettings settings = VigilService.detectorSettings(topology);
        for (var e : events.entrySet()) {
            List<DetectorResult> results = new ArrayList<>();
            new SeriesReplay(settings.detector(), settings.retrain()).run(e.getKey(), e.getValue(), results::add);
            expected.put(e.getKey(), results);
        }
    }

    int total() {
        return events.size() * eventsPerKey;
    }

    /** Alert transitions of the uninterrupted run, as "key@ts type" in order per key. */
    List<String> expectedAlerts() {
        List<String> out = new ArrayList<>();
        expected.forEach((key, results) -> results.stream().filter(r -> r.transition() != AlertTransition.NONE)
                .forEach(r -> out.add(key + "@" + r.timestamp() + " "
                        + r.transition().name().toLowerCase(Locale.ROOT))));
        return out;
    }

    /** The highest model version each key reaches in the uninterrupted run. */
    Map<String, Long> expectedLastVersions() {
        Map<String, Long> out = new LinkedHashMap<>();
        expected.forEach((key, results) -> out.put(key, results.get(results.size() - 1).modelVersion()));
        return out;
    }

    /**
     * Publishes every key's events in order, {@link #ratePerKey} a second per key; returns how many sends failed
     * (none should: a send waits up to {@link #DELIVERY_TIMEOUT} for the broker, e.g. through an outage).
     */
    long produce(String bootstrapServers) {
        Properties props = KafkaOptions.producerProperties(AppConfig.defaults(bootstrapServers));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            long start = System.nanoTime();
            for (int i = 0; i < eventsPerKey; i++) {
                for (var e : events.entrySet()) {
                    Event ev = e.getValue().get(i);
                    String json = "{\"ts\":" + ev.timestamp() + ",\"value\":" + ev.values()[0] + "}";
                    producer.send(new ProducerRecord<>(topology.inputTopic(), e.getKey(),
                            json.getBytes(StandardCharsets.UTF_8)), (metadata, error) -> {
                                if (error != null) {
                                    failed.incrementAndGet();
                                }
                            });
                }
                long due = start + (i + 1) * 1_000_000_000L / ratePerKey;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    producer.flush();
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return failed.get();
    }

    /** Publishes events [from, to) of every key in order, at once (unpaced), and waits until all are written. */
    void produce(String bootstrapServers, int from, int to) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaOptions.producerProperties(AppConfig.defaults(bootstrapServers)))) {
            for (int i = from; i < to; i++) {
                for (var e : events.entrySet()) {
                    Event ev = e.getValue().get(i);
                    String json = "{\"ts\":" + ev.timestamp() + ",\"value\":" + ev.values()[0] + "}";
                    producer.send(new ProducerRecord<>(topology.inputTopic(), e.getKey(),
                            json.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    /**
     * Readies a child-JVM run of this workload: creates its topics (2 partitions), writes the child's {@code logback}
     * file and empties its log, {@code target/<name>.log}, whose path it returns.
     */
    Path prepareChild(String bootstrapServers, Path stateDir, Path logback) throws IOException, InterruptedException {
        CrashChild.writeLogback(logback);
        Path log = Path.of("target", name + ".log");
        Files.deleteIfExists(log);
        TopicSetup.createMissing(new AppConfig(bootstrapServers, name, stateDir, true, 2, 1, Map.of()),
                List.of(topology));
        return log;
    }

    /** The child's application settings. */
    Path writeConfig(Path dir, String bootstrapServers, Path stateDir, int httpPort, String instanceId,
                     Map<String, String> extra) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("bootstrap.servers=").append(bootstrapServers).append('\n')
                .append("application.id=").append(name).append('\n')
                .append("state.dir=").append(stateDir).append('\n')
                .append("topics.partitions=2\n")
                .append("http.host=127.0.0.1\n")
                .append("http.port=").append(httpPort).append('\n')
                .append("instance.id=").append(instanceId).append('\n');
        extra.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        Path file = dir.resolve(name + ".properties");
        Files.writeString(file, s.toString());
        return file;
    }
}
