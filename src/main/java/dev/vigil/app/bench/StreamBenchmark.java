package dev.vigil.app.bench;

import dev.vigil.BadConfigException;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.stream.ModelRecords;
import dev.vigil.stream.StoredKeyReader;
import dev.vigil.stream.TopologyNames;
import dev.vigil.stream.VigilTopology;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code vigil bench stream}: end-to-end throughput of the detector topology against a trivial stateful topology
 * on the same input and Streams settings, event-to-score latency at a steady load, and the per-key state
 * footprint. Against an embedded broker by default, or an existing cluster ({@link Settings#bootstrapServers});
 * every topic and application id carries a fresh run id, so runs never see each other's data.
 *
 * <p>One run: train one model ({@link BenchSeries}) and publish it for every key; preload {@code events} events
 * over {@code keys} keys; run each topology over the first {@code warmupEvents} of them under a throwaway application
 * id (not measured); run the counting topology ({@link CountingTopology}) from the start of the input until all its
 * outputs are committed ({@link Timing}), close it; the same for the detector topology, which then stays up for the
 * latency phase ({@link LatencyProbe}); finally read one key's state through interactive queries, close, and
 * measure the detector's state directory.
 */
public final class StreamBenchmark {
    /**
     * @param events           preloaded events (≥ 1)
     * @param keys             keys the events are spread over, round-robin (≥ 1)
     * @param partitions       partitions of every topic (≥ 1)
     * @param threads          stream threads of both applications (≥ 1)
     * @param latencyRate      offered events/s in the latency phase (> 0)
     * @param latencySeconds   length of the latency phase (≥ 1)
     * @param bootstrapServers an existing cluster, or null for an embedded broker
     * @param scope            per-key (a model per key) or shared (one model for every key)
     * @param warmupEvents     events each topology processes under a throwaway application id before it is measured,
     *                         so that both are measured with the JIT compiler done (0: none; at most {@code events})
     * @param commitIntervalMs  commit.interval.ms of both applications (≥ 1): outputs become visible to read_committed
     *                         consumers at commits, so it bounds the latency from below
     * @param rounds           how many times both topologies are measured, alternating (counting, detector, counting,
     *                         ...), each time under a new application id (≥ 1): the stream-thread ratio is the median
     *                         of the rounds' ratios, so that one round's noise (the counting topology's few µs move
     *                         by ±20% between runs) does not decide it
     */
    public record Settings(long events, int keys, int partitions, int threads, double latencyRate, int latencySeconds,
                           String bootstrapServers, String scope, long warmupEvents, long commitIntervalMs,
                           int rounds) {
        /** Per-key models, no warm-up, the default commit interval, one round. */
        public Settings(long events, int keys, int partitions, int threads, double latencyRate, int latencySeconds,
                        String bootstrapServers) {
            this(events, keys, partitions, threads, latencyRate, latencySeconds, bootstrapServers, RetrainConfig.PER_KEY,
                    0, COMMIT_INTERVAL_MS, 1);
        }

        public Settings {
            if (events < 1 || keys < 1 || partitions < 1 || threads < 1 || !(latencyRate > 0) || latencySeconds < 1) {
                throw new BadConfigException("bench stream needs events, keys, partitions, threads, latency rate and"
                        + " latency seconds > 0, got " + events + ", " + keys + ", " + partitions + ", " + threads + ", "
                        + latencyRate + ", " + latencySeconds);
            }
            if (!RetrainConfig.PER_KEY.equals(scope) && !RetrainConfig.SHARED.equals(scope)) {
                throw new BadConfigException("--scope must be per-key or shared, got '" + scope + "'");
            }
            checkWarmup(warmupEvents, events);
            if (commitIntervalMs < 1) {
                throw new BadConfigException("--commit-interval-ms must be >= 1, got " + commitIntervalMs);
            }
            if (rounds < 1) {
                throw new BadConfigException("--rounds must be >= 1, got " + rounds);
            }
        }

        public static Settings defaults() {
            return new Settings(1_000_000, 1_000, 4, 1, 2_000, 20, null, RetrainConfig.PER_KEY, DEFAULT_WARMUP_EVENTS,
                    COMMIT_INTERVAL_MS, DEFAULT_ROUNDS);
        }
    }

    /** Refuses a warm-up outside 0..{@code events} (either benchmark's {@code --warmup-events}). */
    static void checkWarmup(long warmupEvents, long events) {
        if (warmupEvents < 0 || warmupEvents > events) {
            throw new BadConfigException("--warmup-events must be between 0 and the events (" + events + "), got "
                    + warmupEvents);
        }
    }

    /** Warm-up events of {@code bench stream} (capped at the events). */
    public static final long DEFAULT_WARMUP_EVENTS = 300_000;
    /** Rounds of {@code bench stream}. */
    public static final int DEFAULT_ROUNDS = 3;

    /**
     * When one application's outputs arrived, from its start: the first committed outputs after {@code
     * startupSeconds} (restoring stores, reading the models, joining the group), the last after {@code
     * totalSeconds}.
     *
     * @param steadyOutputs outputs after the first committed batch
     * @param steadySeconds from the first committed batch to the last
     * @param cpu           CPU used over that time by this JVM (the embedded broker included, when there is one) and
     *                      by the application's stream threads
     * @param settled       the same from the first committed batch by which a given number of outputs had arrived (a
     *                      fleet's first two passes over its keys), to the last; null when not asked for
     */
    public record Timing(long outputs, double startupSeconds, double totalSeconds, long steadyOutputs, double steadySeconds,
                         CpuMeter.Use cpu, Settled settled) {
        /**
         * Outputs after the mark, the seconds they took, and the CPU used meanwhile.
         */
        public record Settled(long outputs, double seconds, CpuMeter.Use cpu) {
            /** Events/s past the mark. */
            public double rate() {
                return outputs / seconds;
            }
        }

        /** Events/s while processing: outputs after the first batch over the time from the first batch to the last. */
        public double rate() {
            return steadySeconds > 0 ? steadyOutputs / steadySeconds : endToEndRate();
        }

        /** Events/s from start until all outputs were committed (includes the startup). */
        public double endToEndRate() {
            return outputs / totalSeconds;
        }
    }

    /** Default exactly-once commit interval of both applications (Kafka's default under exactly_once_v2). */
    static final long COMMIT_INTERVAL_MS = 100;
    private static final long SEED = 17;

    private final Settings settings;
    private final PrintWriter out;

    public StreamBenchmark(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the whole benchmark (see the class comment), printing progress and the summary. */
    public StreamBenchmarkResult run() throws InterruptedException, IOException {
        return onBroker(settings.bootstrapServers(), out, this::run);
    }

    /** A benchmark's body, given the bootstrap servers of the cluster it runs on. */
    interface OnCluster<T> {
        T run(String bootstrapServers) throws InterruptedException, IOException;
    }

    /** Runs {@code body} on the given cluster, or on an embedded broker started (and stopped) for it. */
    static <T> T onBroker(String bootstrapServers, PrintWriter out, OnCluster<T> body)
            throws InterruptedException, IOException {
        if (bootstrapServers != null) {
            return body.run(bootstrapServers);
        }
        log(out, "starting an embedded Kafka broker");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            return body.run(broker.bootstrapServers());
        }
    }

    /** The default topology with every topic named after the run, so that runs never see each other's data. */
    static TopologyConfig topology(String runId) {
        TopologyConfig base = TopologyConfig.defaults();
        return new TopologyConfig(base.name(), runId + "-events", null, List.of(), "ts", 0, base.maxRecordBytes(),
                runId + "-scores", runId + "-alerts", runId + "-dlq", runId + "-models", Map.of());
    }

    private StreamBenchmarkResult run(String bootstrap) throws InterruptedException, IOException {
        String runId = "bench-" + Long.toHexString(System.currentTimeMillis());
        TopologyConfig topology = topology(runId);
        String countsTopic = runId + "-counts";
        BenchTopics.create(bootstrap, settings.partitions(), topology, countsTopic);
        BenchSeries series = new BenchSeries(SEED);
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap, 5)) {
            if (RetrainConfig.SHARED.equals(settings.scope())) {
                log("training one model (default shape) and publishing it as the shared model");
                ModelRecords.of(topology.modelsTopic(), "shared", BenchSeries.payloadFor(series.train(), "shared"),
                        settings.partitions(), null).forEach(producer::send);
            } else {
                publishModels(producer, series, topology.modelsTopic(), settings.keys(), out);
            }
            preload(producer, series, topology.inputTopic(), settings.events(), settings.keys(), out);
        }
        Path root = Files.createTempDirectory("vigil-bench-stream");
        try {
            if (settings.warmupEvents() > 0) {
                Properties warm = props(runId + "-counting-warmup", bootstrap, root.resolve("counting-warmup"), topology);
                throughput("counting warm-up", CountingTopology.build(topology.inputTopic(), countsTopic), warm,
                        countsTopic, bootstrap, settings.warmupEvents(), null);
                warm = props(runId + "-detector-warmup", bootstrap, root.resolve("detector-warmup"), topology);
                throughput("detector warm-up", detectorTopology(topology, warm), warm, topology.scoresTopic(), bootstrap,
                        settings.warmupEvents(), null);
            }
            List<Timing> counting = new ArrayList<>();
            List<Timing> detector = new ArrayList<>();
            for (int r = 1; r < settings.rounds(); r++) {
                counting.add(countingRound(runId, bootstrap, root, topology, countsTopic, r));
                String id = runId + "-detector-" + r;
                Properties props = props(id, bootstrap, root.resolve("detector-" + r), topology);
                detector.add(throughput(label("detector", r), detectorTopology(topology, props), props,
                        topology.scoresTopic(), bootstrap, settings.events(), null));
            }
            counting.add(countingRound(runId, bootstrap, root, topology, countsTopic, settings.rounds()));
            return runDetector(runId, bootstrap, root, topology, series, counting, detector);
        } finally {
            StateDirSize.deleteTree(root);
        }
    }

    /** How the log names a topology's round: by the topology alone when there is one round. */
    private String label(String topology, int round) {
        return settings.rounds() == 1 ? topology : topology + ", round " + round;
    }

    /** The counting topology measured once, round {@code round} of the run, under its own application id. */
    private Timing countingRound(String runId, String bootstrap, Path root, TopologyConfig topology, String countsTopic,
                                 int round) {
        String suffix = settings.rounds() == 1 ? "" : "-" + round;
        Properties props = props(runId + "-counting" + suffix, bootstrap, root.resolve("counting" + suffix), topology);
        return throughput(label("counting", round), CountingTopology.build(topology.inputTopic(), countsTopic), props,
                countsTopic, bootstrap, settings.events(), null);
    }

    /**
     * The detector's last round, left running for the latency phase and the state's size, then the result of every
     * round ({@code counting}: all of them; {@code earlier}: the detector's rounds before this one).
     */
    private StreamBenchmarkResult runDetector(String runId, String bootstrap, Path root, TopologyConfig topology,
                                              BenchSeries series, List<Timing> counting, List<Timing> earlier)
            throws InterruptedException, IOException {
        Path stateDir = root.resolve("detector");
        Properties props = props(runId + "-detector", bootstrap, stateDir, topology);
        KafkaStreams[] running = new KafkaStreams[1];
        Timing last = throughput(label("detector", settings.rounds()), detectorTopology(topology, props), props,
                topology.scoresTopic(), bootstrap, settings.events(), running);
        List<Timing> detector = new ArrayList<>(earlier);
        detector.add(last);
        KafkaStreams streams = running[0];
        LatencyProbe.Latencies latencies;
        int stateBytes;
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap, 0)) {
            log(String.format(java.util.Locale.ROOT, "latency: offering %.0f events/s for %d s",
                    settings.latencyRate(), settings.latencySeconds()));
            latencies = new LatencyProbe(bootstrap, topology.inputTopic(), topology.scoresTopic(), settings.keys())
                    .run(producer, streams, settings.latencyRate(), settings.latencySeconds(), series);
            stateBytes = stateBytes(streams, new TopologyNames(topology.name()));
        } finally {
            streams.close(Duration.ofMinutes(2));
        }
        long[] footprint = StateDirSize.measure(stateDir);
        StreamBenchmarkResult result = new StreamBenchmarkResult(settings, List.copyOf(detector), List.copyOf(counting),
                latencies, stateBytes, footprint[0], footprint[1]);
        result.print(out);
        return result;
    }

    private Topology detectorTopology(TopologyConfig topology, Properties props) {
        // the service's defaults, states written behind their events included
        return VigilTopology.build(topology, DetectorConfig.defaults(), RetrainConfig.defaults().withScope(settings.scope()),
                props, dev.vigil.lifecycle.TrainingRequests.NONE,
                new dev.vigil.stream.DecodedModels(dev.vigil.config.AppConfig.DEFAULT_MODEL_CACHE_BYTES),
                new dev.vigil.stream.DecodedStates(dev.vigil.config.AppConfig.defaultStateCacheBytes()),
                new dev.vigil.stream.KeyCounts(), dev.vigil.config.AppConfig.DEFAULT_REPLAY_EVENTS);
    }

    /**
     * Runs {@code topology} from the start of the input until {@code outputs} outputs are committed, and closes it
     * unless {@code keepRunning} is given (then it is left running there).
     */
    private Timing throughput(String label, Topology topology, Properties props, String outputTopic, String bootstrap,
                              long outputs, KafkaStreams[] keepRunning) {
        log(label + ": processing " + outputs + " events");
        KafkaStreams streams = new KafkaStreams(topology, props);
        boolean keep = false;
        try {
            Timing timing = startAndAwait(streams, props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG), bootstrap,
                    outputTopic, outputs);
            log(String.format(java.util.Locale.ROOT, "%s: %d events in %.1f s (first outputs after %.1f s), %.0f events/s"
                    + " while processing, %.0f events/s from start; JVM %.2f cores, stream thread(s) %.2f", label, outputs,
                    timing.totalSeconds(), timing.startupSeconds(), timing.rate(), timing.endToEndRate(),
                    timing.cpu().processCores(), timing.cpu().streamThreadCores()));
            if (keepRunning != null) {
                keepRunning[0] = streams;
                keep = true;
            }
            return timing;
        } finally {
            if (!keep) {
                streams.close(Duration.ofMinutes(2));
            }
        }
    }

    /**
     * Starts {@code streams} and waits until it has committed {@code outputs} more records to {@code outputTopic}
     * (counted from the topic's end as it is now, read_committed); when they arrived, and the CPU used meanwhile.
     */
    static Timing startAndAwait(KafkaStreams streams, String applicationId, String bootstrap, String outputTopic,
                                long outputs) {
        return startAndAwait(streams, applicationId, bootstrap, outputTopic, outputs, 0);
    }

    /**
     * {@link #startAndAwait(KafkaStreams, String, String, String, long)}, also timing the outputs after the first
     * {@code settleAfter} (0: not timed; {@link Timing#settled()} null).
     */
    static Timing startAndAwait(KafkaStreams streams, String applicationId, String bootstrap, String outputTopic,
                                long outputs, long settleAfter) {
        try (OutputCounter counter = new OutputCounter(bootstrap, outputTopic, true)) {
            long start = System.nanoTime();
            streams.start();
            OutputCounter.Arrival arrival = counter.await(outputs, streams, new CpuMeter(applicationId), settleAfter,
                    r -> { });
            Timing.Settled settled = arrival.settledCount() == 0 ? null : new Timing.Settled(
                    outputs - arrival.settledCount(), (arrival.lastNanos() - arrival.settledNanos()) / 1e9,
                    arrival.settledCpu());
            return new Timing(outputs, (arrival.firstNanos() - start) / 1e9, (arrival.lastNanos() - start) / 1e9,
                    outputs - arrival.firstCount(), (arrival.lastNanos() - arrival.firstNanos()) / 1e9, arrival.cpu(),
                    settled);
        }
    }

    private Properties props(String applicationId, String bootstrap, Path stateDir, TopologyConfig topology) {
        return VigilTopology.streamsConfig(applicationId, bootstrap, stateDir.toString(), topology, serviceRocksDb(
                Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads(),
                        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitIntervalMs())));
    }

    /** {@code overrides} with the service's default RocksDB memory bound ({@code rocksdb.memory.bytes}), as it runs. */
    static Map<String, Object> serviceRocksDb(Map<String, ?> overrides) {
        Map<String, Object> out = new java.util.HashMap<>(overrides);
        dev.vigil.stream.RocksDbMemory.apply(out, dev.vigil.config.AppConfig.DEFAULT_ROCKSDB_MEMORY_BYTES);
        return out;
    }

    /** Trains one model on {@link BenchSeries} and publishes it (as version 1) for each of {@code keys} keys. */
    static void publishModels(KafkaProducer<String, byte[]> producer, BenchSeries series, String topic, int keys,
                              PrintWriter out) {
        log(out, "training one model (default shape) and publishing it for " + keys + " keys");
        publishModels(producer, series.train(), topic, keys);
    }

    /** Publishes {@code model} for the first {@code keys} keys and fails if any of them was not written. */
    static void publishModels(KafkaProducer<String, byte[]> producer, LstmModel model, String topic, int keys) {
        CheckedSends sends = new CheckedSends(producer);
        for (int k = 0; k < keys; k++) {
            String key = BenchSeries.key(k);
            sends.send(new ProducerRecord<>(topic, key, BenchSeries.payloadFor(model, key)));
        }
        sends.awaitAll("models");
    }

    /** Publishes {@code events} events spread round-robin over {@code keys} keys, each key's in time order. */
    static void preload(KafkaProducer<String, byte[]> producer, BenchSeries series, String topic, long events, int keys,
                        PrintWriter out) {
        log(out, "preloading " + events + " events over " + keys + " keys");
        CheckedSends sends = new CheckedSends(producer);
        for (long j = 0; j < events; j++) {
            int k = (int) (j % keys);
            long i = j / keys;
            sends.send(new ProducerRecord<>(topic, BenchSeries.key(k),
                    BenchSeries.json(BenchSeries.START_MS + i * BenchSeries.STEP_MS, series.value(k, i))));
        }
        sends.awaitAll("events");
    }

    /** One key's state value, less the history head it holds (which the history's figures count). */
    private static int stateBytes(KafkaStreams streams, TopologyNames names) {
        byte[] state = StoredKeyReader.store(streams, names.stateStore()).get(BenchSeries.key(0));
        return state == null ? -1 : state.length - FleetMeasures.historyHeadBytes(state);
    }

    /** @param lingerMs 5 for bulk loading, 0 for the latency phase (no batching delay in the measured time) */
    static KafkaProducer<String, byte[]> producer(String bootstrap, int lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private void log(String line) {
        out.println("bench stream: " + line);
        out.flush();
    }

    /** Progress of the steps both benchmarks share (broker, models, preload). */
    private static void log(PrintWriter out, String line) {
        out.println("bench: " + line);
        out.flush();
    }
}
