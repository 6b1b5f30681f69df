package dev.vigil.app.bench;

import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.stream.DecodedModels;
import dev.vigil.stream.DecodedStates;
import dev.vigil.stream.StoredKeyReader;
import dev.vigil.stream.TopologyNames;
import dev.vigil.lifecycle.TrainingRequests;
import dev.vigil.stream.VigilTopology;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

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
 * {@code vigil bench fleet}: the detector topology at fleet scale against the same topology with few keys, in one
 * run, on an embedded broker (or an existing cluster). Two fleets process the same number of events: a small one
 * ({@code smallKeys} keys, so each key is mature: a full history, a filled pattern table) and a large one ({@code
 * keys} keys, {@code eventsPerKey} each). For each, per-key models are published for {@code modelShare} of the keys
 * first; then the events/s while processing, the stream thread's µs per event, the bytes per key in each store (read
 * through interactive queries), the decoded-model cache, the heap after a full GC and the state directory. Last, the
 * large fleet's restore: stop, delete the state directory, start, and time until it is running again and how fast the
 * changelogs were read back. In every round, after each fleet's detector, Kafka Streams' own floor: the counting
 * topology of {@code bench stream} ({@link CountingTopology}: read, increment and write a Long per key) over the same
 * events with the same settings, so that the detector's loss at scale can be set against what any per-key store loses.
 */
public final class FleetBenchmark {
    /**
     * One fleet's figures.
     *
     * @param keys            keys of the fleet
     * @param timing          the detector's throughput run
     * @param modelVersions   new model versions published while the fleet processed ({@code modelChurn})
     * @param stateWrites     records the state store sent to its changelog during the run (one per key and commit
     *                        at most: the record cache keeps only a key's last state of a commit interval)
     * @param models          per-key models published
     * @param stateBytes      mean bytes of a key's detector state value, the history head in it included (over the
     *                        states in the store: one held and never written is not there)
     * @param headBytes       mean bytes of the history head in a key's state value
     * @param historyBytes    bytes the history store holds (all its entries) over the fleet's keys
     * @param modelStoreBytes mean payload bytes per model in the model store, and the models held there
     * @param modelsHeld      models in this instance's model store
     * @param cachedModels    decoded models in the cache, and their estimated heap bytes
     * @param cacheBytes      estimated heap of the decoded-model cache
     * @param heapAfterGc     heap used after a full GC with the fleet's application running (the embedded broker
     *                        and the producer's buffers included when they run in this JVM)
     * @param taskStoreBytes  state directory bytes of the per-task stores (RocksDB, checkpoint files)
     * @param globalStoreBytes state directory bytes of global stores
     */
    public record Fleet(int keys, StreamBenchmark.Timing timing, long modelVersions, long stateWrites, int models, double stateBytes, double headBytes,
                        double historyBytes,
                        double modelStoreBytes, long modelsHeld, int cachedModels, long cacheBytes, int heldStates,
                        long stateCacheBytes, long heapAfterGc, long taskStoreBytes, long globalStoreBytes) {

        /** State changelog records per event processed. */
        public double stateWritesPerEvent() {
            return timing.outputs() == 0 ? Double.NaN : stateWrites / (double) timing.outputs();
        }
    }

    /**
     * The large fleet's restore from an empty state directory.
     *
     * @param seconds         from start to RUNNING
     * @param restoredRecords changelog records read back
     * @param restoreSeconds  from the first restored batch to the last
     * @param replaySeconds   with states written behind: from sending an event to each partition once running to
     *                        their scores, the replay of the input the start runs first included; NaN otherwise
     */
    public record Restore(double seconds, long restoredRecords, double restoreSeconds, double replaySeconds) {
        double rate() {
            return restoreSeconds > 0 ? restoredRecords / restoreSeconds : Double.NaN;
        }
    }

    private static final long SEED = 23;
    /** Passes over a fleet's keys before it is timed as settled ({@link #settleAfter}). */
    static final int SETTLE_PASSES = 2;

    private final FleetSettings settings;
    private final PrintWriter out;

    public FleetBenchmark(FleetSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the whole benchmark (see the class comment), printing progress and the summary. */
    public FleetBenchmarkResult run() throws InterruptedException, IOException {
        return StreamBenchmark.onBroker(settings.bootstrapServers(), out, this::run);
    }

    private FleetBenchmarkResult run(String bootstrap) throws InterruptedException, IOException {
        BenchSeries series = new BenchSeries(SEED);
        log("training one model (default shape)");
        LstmModel model = series.train();
        long total = (long) settings.keys() * settings.eventsPerKey();
        Path root = Files.createTempDirectory("vigil-bench-fleet");
        try {
            Prepared smallRun = prepare(bootstrap, series, model, settings.smallKeys(), total);
            Fleet small = fleet(bootstrap, root, smallRun, model, total, null);
            Prepared largeRun = prepare(bootstrap, series, model, settings.keys(), total);
            Restore[] restore = new Restore[1];
            Fleet large = fleet(bootstrap, root, largeRun, model, total, restore);
            List<Round> rounds = new ArrayList<>();
            rounds.add(new Round(small.timing(), large.timing(), counting(bootstrap, root, smallRun, total, 1),
                    counting(bootstrap, root, largeRun, total, 1)));
            for (int r = 2; r <= settings.rounds(); r++) {
                Pass smallPass;
                Pass largePass;
                if (largeFirst(r)) {
                    largePass = pass(bootstrap, root, largeRun, model, total, r);
                    smallPass = pass(bootstrap, root, smallRun, model, total, r);
                } else {
                    smallPass = pass(bootstrap, root, smallRun, model, total, r);
                    largePass = pass(bootstrap, root, largeRun, model, total, r);
                }
                rounds.add(new Round(smallPass.detector(), largePass.detector(), smallPass.counting(),
                        largePass.counting()));
            }
            FleetBenchmarkResult result = new FleetBenchmarkResult(settings, small, large, restore[0],
                    List.copyOf(rounds));
            result.print(out);
            return result;
        } finally {
            StateDirSize.deleteTree(root);
        }
    }

    /**
     * One fleet's topics, ready to be processed: {@code keys} keys, the per-key models of {@code models} of them, and
     * the preloaded events, under {@code runId}; the counting topology writes to {@code countsTopic}.
     */
    private record Prepared(String runId, TopologyConfig topology, int keys, int models, String countsTopic) {
    }

    /**
     * One round: both fleets' throughput runs, the detector's and the counting topology's.
     *
     * @param small         the detector over the small fleet
     * @param large         the detector over the large fleet
     * @param countingSmall the counting topology over the small fleet's events
     * @param countingLarge the counting topology over the large fleet's events
     */
    public record Round(StreamBenchmark.Timing small, StreamBenchmark.Timing large,
                        StreamBenchmark.Timing countingSmall, StreamBenchmark.Timing countingLarge) {
        /** Events/s of the large fleet over the small one's. */
        public double ratio() {
            return large.rate() / small.rate();
        }

        /**
         * Events/s of the large fleet over the small one's once each had made its first passes over its keys
         * ({@link #settleAfter}: every key exists); NaN when either was not timed so.
         */
        public double settledRatio() {
            return large.settled() == null || small.settled() == null ? Double.NaN
                    : large.settled().rate() / small.settled().rate();
        }

        /** The same for the counting topology: what Kafka Streams itself loses with the keys. */
        public double floorRatio() {
            return countingLarge.rate() / countingSmall.rate();
        }
    }

    /** Creates a fleet's topics, publishes its models and preloads {@code total} events over {@code keys} keys. */
    private Prepared prepare(String bootstrap, BenchSeries series, LstmModel model, int keys, long total)
            throws InterruptedException {
        String runId = "fleet-" + keys + "-" + Long.toHexString(System.currentTimeMillis());
        TopologyConfig topology = StreamBenchmark.topology(runId);
        String countsTopic = runId + "-counts";
        BenchTopics.create(bootstrap, settings.partitions(), topology, countsTopic);
        int models = (int) Math.round(keys * settings.modelShare());
        try (KafkaProducer<String, byte[]> producer = StreamBenchmark.producer(bootstrap, 5)) {
            log(keys + " keys: publishing " + models + " per-key models");
            StreamBenchmark.publishModels(producer, model, topology.modelsTopic(), models);
            StreamBenchmark.preload(producer, series, topology.inputTopic(), total, keys, out);
        }
        return new Prepared(runId, topology, keys, models, countsTopic);
    }

    /** Runs the detector over a prepared fleet's events and measures what it holds. */
    private Fleet fleet(String bootstrap, Path root, Prepared prepared, LstmModel model, long total,
                        Restore[] restore) throws InterruptedException, IOException {
        String runId = prepared.runId();
        TopologyConfig topology = prepared.topology();
        int keys = prepared.keys();
        int models = prepared.models();
        Path stateDir = root.resolve(runId);
        Properties props = props(runId, bootstrap, stateDir, topology);
        DecodedModels decoded = new DecodedModels(settings.cacheBytes());
        DecodedStates states = new DecodedStates(settings.stateCacheBound());
        KafkaStreams streams = new KafkaStreams(build(topology, props, decoded, states), props);
        Fleet fleet;
        try {
            Processed processed = process(streams, runId, bootstrap, prepared, model, total, 1);
            StreamBenchmark.Timing timing = processed.timing();
            TopologyNames names = new TopologyNames(topology.name());
            long writes = FleetMeasures.sentTo(streams, runId + "-" + names.stateStore() + "-changelog");
            awaitModels(streams, names, models);
            double[] state = FleetMeasures.meanBytes(StoredKeyReader.store(streams, names.stateStore()), true);
            double[] history = FleetMeasures.meanBytes(StoredKeyReader.store(streams, names.historyStore()));
            double[] modelStore = FleetMeasures.meanBytes(StoredKeyReader.store(streams, names.modelStore()));
            long heap = FleetMeasures.heapAfterGc();
            long bound = settings.rocksDbMemoryBound();
            double[] rocks = FleetMeasures.rocksDbMemory(streams, bound > 0);
            log(String.format(java.util.Locale.ROOT, "%d keys: RocksDB memtables %.1f MB, block cache %.1f MB used of"
                    + " %.1f MB (%s)", keys, rocks[0] / 1e6, rocks[1] / 1e6, rocks[2] / 1e6,
                    bound > 0 ? "one cache, rocksdb.memory.bytes " + bound : "a cache per store"));
            fleet = new Fleet(keys, timing, processed.modelVersions(), writes, models, state[1], state[2],
                    history[0] * history[1] / keys, modelStore[1],
                    (long) modelStore[0], decoded.size(), decoded.bytes(),
                    (int) (states.size() + states.heldEntries()), states.bytes() + states.heldBytes(), heap, 0, 0);
        } finally {
            close(streams);
        }
        long[] disk = StateDirSize.measure(stateDir);
        fleet = new Fleet(fleet.keys(), fleet.timing(), fleet.modelVersions(), fleet.stateWrites(), fleet.models(), fleet.stateBytes(), fleet.headBytes(),
                fleet.historyBytes(),
                fleet.modelStoreBytes(), fleet.modelsHeld(), fleet.cachedModels(), fleet.cacheBytes(),
                fleet.heldStates(), fleet.stateCacheBytes(), fleet.heapAfterGc(), disk[0], disk[1]);
        if (restore != null) {
            restore[0] = restore(runId, bootstrap, stateDir, topology);
        }
        return fleet;
    }

    /** A throughput run, and the model versions the churn published meanwhile. */
    private record Processed(StreamBenchmark.Timing timing, long modelVersions) {
    }

    /**
     * Starts {@code streams} over the prepared fleet's events (publishing model churn meanwhile, if any) and waits for
     * all {@code total} scores.
     */
    private Processed process(KafkaStreams streams, String applicationId, String bootstrap, Prepared prepared,
                              LstmModel model, long total, int round) {
        log(prepared.keys() + " keys" + roundLabel(round) + ": processing " + total + " events");
        StreamBenchmark.Timing timing;
        long versions;
        try (ModelChurn churn = new ModelChurn(bootstrap, prepared.topology().modelsTopic(), model,
                prepared.models(), settings.modelChurn())) {
            timing = StreamBenchmark.startAndAwait(streams, applicationId, bootstrap,
                    prepared.topology().scoresTopic(), total, settleAfter(prepared.keys(), total));
            versions = churn.stop();
        }
        log(String.format(java.util.Locale.ROOT, "%d keys%s: %.0f events/s while processing, %.1f µs of stream"
                + " thread per event", prepared.keys(), roundLabel(round), timing.rate(),
                timing.cpu().streamThreadMicrosPerEvent()));
        return new Processed(timing, versions);
    }

    /**
     * Outputs after which a fleet is timed again as settled: its first {@value #SETTLE_PASSES} passes over its keys
     * (events go round-robin over the keys), by when every key has had its first events (a new state, its model read
     * and decoded), so what follows is a fleet whose keys all exist; 0 (not timed) when that leaves under half the run.
     */
    static long settleAfter(int keys, long total) {
        long after = (long) SETTLE_PASSES * keys;
        return after * 2 <= total ? after : 0;
    }

    /** Whether round {@code round} (from 1) runs the large fleet first: the even rounds. */
    static boolean largeFirst(int round) {
        return round % 2 == 0;
    }

    private String roundLabel(int round) {
        return settings.rounds() == 1 ? "" : ", round " + round;
    }

    /**
     * Round {@code round} of a prepared fleet: the detector over the same events again, from the start, under a new
     * application id and state directory (deleted afterwards); only the throughput is measured.
     */
    private StreamBenchmark.Timing again(String bootstrap, Path root, Prepared prepared, LstmModel model, long total,
                                         int round) {
        String applicationId = prepared.runId() + "-round-" + round;
        Path stateDir = root.resolve(applicationId);
        Properties props = props(applicationId, bootstrap, stateDir, prepared.topology());
        KafkaStreams streams = freshStreams(prepared.topology(), props);
        try {
            return process(streams, applicationId, bootstrap, prepared, model, total, round).timing();
        } finally {
            close(streams);
            StateDirSize.deleteTree(stateDir);
        }
    }

    /** One fleet's runs in a round after the first: the detector's, then the counting topology's. */
    private record Pass(StreamBenchmark.Timing detector, StreamBenchmark.Timing counting) {
    }

    private Pass pass(String bootstrap, Path root, Prepared prepared, LstmModel model, long total, int round) {
        StreamBenchmark.Timing detector = again(bootstrap, root, prepared, model, total, round);
        return new Pass(detector, counting(bootstrap, root, prepared, total, round));
    }

    /**
     * Round {@code round} of Kafka Streams' floor over a prepared fleet's events: the counting topology, with the
     * detector's Streams settings, under its own application id and state directory (deleted afterwards).
     */
    private StreamBenchmark.Timing counting(String bootstrap, Path root, Prepared prepared, long total, int round) {
        String applicationId = prepared.runId() + "-counting-" + round;
        Path stateDir = root.resolve(applicationId);
        Properties props = props(applicationId, bootstrap, stateDir, prepared.topology());
        KafkaStreams streams = new KafkaStreams(CountingTopology.build(prepared.topology().inputTopic(),
                prepared.countsTopic()), props);
        try {
            StreamBenchmark.Timing timing = StreamBenchmark.startAndAwait(streams, applicationId, bootstrap,
                    prepared.countsTopic(), total);
            log(String.format(java.util.Locale.ROOT, "%d keys%s: counting topology %.0f events/s while processing,"
                    + " %.1f µs of stream thread per event", prepared.keys(), roundLabel(round), timing.rate(),
                    timing.cpu().streamThreadMicrosPerEvent()));
            return timing;
        } finally {
            close(streams);
            StateDirSize.deleteTree(stateDir);
        }
    }

    /**
     * With states written behind, a started application replays its input at each task's first record: sends one new
     * key's event to every partition and returns the seconds until their scores are committed.
     */
    private double replay(String bootstrap, TopologyConfig topology, KafkaStreams streams) {
        try (OutputCounter scores = new OutputCounter(bootstrap, topology.scoresTopic(), true);
             KafkaProducer<String, byte[]> producer = StreamBenchmark.producer(bootstrap, 0)) {
            long sent = System.nanoTime();
            for (int partition = 0; partition < settings.partitions(); partition++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topology.inputTopic(), partition,
                        "replay-probe-" + partition, BenchSeries.json(System.currentTimeMillis(), 100)));
            }
            producer.flush();
            scores.await(settings.partitions(), streams, r -> { });
            double seconds = (System.nanoTime() - sent) / 1e9;
            log(String.format(java.util.Locale.ROOT, "an event to each partition scored after %.1f s (the replay of"
                    + " the states written behind first)", seconds));
            return seconds;
        }
    }

    private Restore restore(String runId, String bootstrap, Path stateDir, TopologyConfig topology) {
        log(settings.keys() + " keys: deleting the state directory and starting again");
        StateDirSize.deleteTree(stateDir);
        Properties props = props(runId, bootstrap, stateDir, topology);
        KafkaStreams streams = freshStreams(topology, props);
        RestoreCount count = new RestoreCount();
        streams.setGlobalStateRestoreListener(count);
        long start = System.nanoTime();
        try {
            streams.start();
            long deadline = start + Duration.ofMinutes(5).toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING || count.active.get() > 0) {
                if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()
                        && streams.state() != KafkaStreams.State.CREATED) {
                    throw new IllegalStateException("the restored application did not come up: " + streams.state());
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double restoring = count.last.get() > 0 ? (count.last.get() - count.first.get()) / 1e9 : 0;
            log(String.format(java.util.Locale.ROOT, "restored %d changelog records, running after %.1f s",
                    count.records.get(), seconds));
            double replay = settings.replayEvents() > 0 ? replay(bootstrap, topology, streams) : Double.NaN;
            return new Restore(seconds, count.records.get(), restoring, replay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restoring", e);
        } finally {
            close(streams);
        }
    }

    /** Closes and leaves the group, as the service does, so that a restart need not wait for the session timeout. */
    private static void close(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofMinutes(2)));
    }

    /** The detector's application over {@code topology} with empty decoded-model and decoded-state caches. */
    private KafkaStreams freshStreams(TopologyConfig topology, Properties props) {
        return new KafkaStreams(build(topology, props, new DecodedModels(settings.cacheBytes()),
                new DecodedStates(settings.stateCacheBound())), props);
    }

    private org.apache.kafka.streams.Topology build(TopologyConfig topology, Properties props, DecodedModels decoded,
                                                    DecodedStates states) {
        return VigilTopology.build(topology, DetectorConfig.defaults(), RetrainConfig.defaults(), props,
                TrainingRequests.NONE, decoded, states, new dev.vigil.stream.KeyCounts(), settings.replayEvents());
    }

    private Properties props(String applicationId, String bootstrap, Path stateDir, TopologyConfig topology) {
        Map<String, Object> overrides = new java.util.HashMap<>(Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1));
        if (settings.recordCacheBytes() >= 0) {
            overrides.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, settings.recordCacheBytes());
        }
        dev.vigil.stream.RocksDbMemory.apply(overrides, settings.rocksDbMemoryBound());
        return VigilTopology.streamsConfig(applicationId, bootstrap, stateDir.toString(), topology, overrides);
    }

    /**
     * Waits (at most a minute) until the task stores hold every published model: the models topic is a second source
     * of the detector's tasks, so its last records may still be on their way when the last score is out.
     */
    private static void awaitModels(KafkaStreams streams, TopologyNames names, int models) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (FleetMeasures.meanBytes(StoredKeyReader.store(streams, names.modelStore()))[0] < models
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private void log(String line) {
        out.println("bench fleet: " + line);
        out.flush();
    }
}
