package dev.vigil.app.bench;

import dev.vigil.config.TopologyConfig;
import dev.vigil.stream.VigilMetrics;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code vigil bench trainer --first-models}: a fleet deployed at once, or a backfill, getting its first models. No
 * model is published; {@code keys} keys get {@code minTrainPoints + firstSpreadEvents + swapDelayEvents + 1} events
 * each (the defaults: 317), round robin, so every key comes due for its first training within one pass over the keys
 * (within {@code firstSpreadEvents} passes with {@code --first-spread-events}), and every key's first model is in
 * force by its last event. On the same input, one after the other:
 * <ol>
 *   <li><b>no training</b>: the detector with training out of reach: events/s and seconds over all the events;</li>
 *   <li><b>first models</b>: the service's defaults (one trainer thread, a queue of {@code queue}): seconds until
 *       the last event is scored, which is when every key has its first model; the trainings run by the background
 *       trainer, by a stream thread waiting at a swap point, and in line on the stream thread; the longest queue
 *       seen;</li>
 *   <li><b>steady</b>: on topics of its own, every key's first {@code minTrainPoints - 1} events are processed at full
 *       speed, then the rest ({@code firstSpreadEvents + swapDelayEvents + 2} a key) are offered at {@code
 *       steadyRate}, so that every key comes due within one pass over the keys (or spread over its first
 *       {@code firstSpreadEvents} passes), as a fleet deployed at once does: the latency of each of those
 *       events (as {@code bench stream} measures it) and who trained the models. A key whose request found the queue
 *       full trains in line at its swap point, on the stream thread, unless it offered it again once the queue had
 *       room.</li>
 * </ol>
 * A key's first model takes effect at a fixed event of its sequence ({@code swapDelayEvents} after it came due), so
 * the keys wait for what the trainer has not delivered by then: the second phase's extra seconds are the trainings
 * the stream had to wait for.
 */
public final class FirstModelsBenchmark {
    /** Who trained a phase's models: the background trainer, the stream thread helping it, in line; the queue. */
    public record Trainings(long requested, long background, long helped, long inLine, int maxQueue, double meanMs) {
        String describe() {
            return String.format(Locale.ROOT, "%d requested; %d by the background trainer (%d of them run by a stream"
                    + " thread waiting at a swap point), %d in line on the stream thread;%s at most %d queued",
                    requested, background, helped, inLine, Double.isFinite(meanMs) ? String.format(Locale.ROOT,
                            " %.0f ms each (the background's mean over its last minute);", meanMs) : "", maxQueue);
        }
    }

    /** What one run measured. */
    public record Result(int keys, int queue, int firstSpread, long events, StreamBenchmark.Timing idle,
                         StreamBenchmark.Timing first, Trainings firstTrainings, LatencyProbe.Latencies steady,
                         Trainings steadyTrainings) {
        /** Seconds the first models added to the pass over the events. */
        public double extraSeconds() {
            return first.totalSeconds() - idle.totalSeconds();
        }

        /** First models a minute while the keys waited for them. */
        public double modelsPerMinute() {
            return keys * 60.0 / first.totalSeconds();
        }

        void print(PrintWriter out) {
            out.println();
            out.printf(Locale.ROOT, "vigil bench trainer --first-models: %d keys without a model, %d events (%d a key),"
                    + " one trainer thread, a queue of %d, first trainings spread over %d events%n", keys, events,
                    events / keys, queue, firstSpread);
            out.printf(Locale.ROOT, "  no training       %,10.0f events/s, every event scored after %.1f s%n",
                    idle.rate(), idle.totalSeconds());
            out.printf(Locale.ROOT, "  first models      %,10.0f events/s, every key's first model in force after"
                    + " %.1f s (%.1f s more: %.0f first models a minute)%n", first.rate(), first.totalSeconds(),
                    extraSeconds(), modelsPerMinute());
            out.println("                    " + firstTrainings.describe());
            out.printf(Locale.ROOT, "  steady %.0f/s      latency p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d events,"
                    + " %.0f/s achieved)%n", steady.offeredRate(), steady.percentileMs(0.5), steady.percentileMs(0.99),
                    steady.maxMs(), steady.sortedNanos().length, steady.achievedRate());
            out.println("                    " + steadyTrainings.describe());
            out.flush();
        }
    }

    private static final long SEED = 23;

    private final int keys;
    private final int partitions;
    private final int queue;
    private final int firstSpread;
    private final double steadyRate;
    private final String bootstrapServers;
    private final PrintWriter out;

    /**
     * @param keys             keys of the fleet (≥ 1)
     * @param partitions       partitions of every topic (≥ 1)
     * @param queue            the trainer's queue ({@code trainer.queue.capacity}, 1..1,000,000)
     * @param firstSpread      {@code retrain.firstSpreadEvents} (0..historySize - minTrainPoints)
     * @param steadyRate       events/s offered in the steady phase (> 0)
     * @param bootstrapServers an existing cluster, or null for an embedded broker
     */
    public FirstModelsBenchmark(int keys, int partitions, int queue, int firstSpread, double steadyRate,
                                String bootstrapServers, PrintWriter out) {
        RetrainConfig.defaults().withFirstSpreadEvents(firstSpread); // a bad spread stops here, naming the setting
        if (keys < 1 || partitions < 1 || !(steadyRate > 0)) {
            throw new dev.vigil.BadConfigException("bench trainer --first-models needs keys, partitions and a steady"
                    + " rate > 0, got " + keys + ", " + partitions + ", " + steadyRate);
        }
        this.keys = keys;
        this.partitions = partitions;
        this.queue = queue;
        this.firstSpread = firstSpread;
        this.steadyRate = steadyRate;
        this.bootstrapServers = bootstrapServers;
        this.out = out;
    }

    public Result run() throws InterruptedException, IOException {
        return StreamBenchmark.onBroker(bootstrapServers, out, this::run);
    }

    private Result run(String bootstrap) throws InterruptedException, IOException {
        String runId = "bench-first-" + Long.toHexString(System.currentTimeMillis());
        RetrainConfig d = RetrainConfig.defaults().withFirstSpreadEvents(firstSpread);
        int perKey = d.minTrainPoints() + firstSpread + d.swapDelayEvents() + 1;
        long events = (long) keys * perKey;
        // the steady phase's events before its steady rate: each key's first minTrainPoints - 1, at full speed
        long steadyPreload = (long) keys * (d.minTrainPoints() - 1);
        BenchSeries series = new BenchSeries(SEED);
        TopologyConfig topology = topics(bootstrap, runId, series, events);
        TopologyConfig steadyTopology = topics(bootstrap, runId + "-steady", series, steadyPreload);
        Path root = Files.createTempDirectory("vigil-bench-first");
        try {
            // training out of reach: a first model needs a full window, longer than any key's events here (a spread
            // near historySize - minTrainPoints gives a key more events than the default window holds)
            int window = Math.max(d.historySize(), perKey + 1);
            RetrainConfig never = new RetrainConfig(window, window, d.retrainInterval(),
                    d.retrainAfterMs(), d.driftEvents(), d.requireImprovement(), d.seed(), d.scope(),
                    d.sharedKeys(), d.maxTrainingMs(), d.maxModelBytes(), d.swapDelayEvents(), d.training(),
                    d.coldStart());
            StreamBenchmark.Timing idle;
            try (Phase phase = new Phase("no-training", runId, bootstrap, root, topology, never)) {
                idle = phase.process(events);
            }
            StreamBenchmark.Timing first;
            Trainings firstTrainings;
            try (Phase phase = new Phase("first-models", runId, bootstrap, root, topology, d)) {
                first = phase.sampling(() -> phase.process(events));
                firstTrainings = phase.trainings();
            }
            LatencyProbe.Latencies steady;
            Trainings steadyTrainings;
            try (Phase phase = new Phase("steady", runId, bootstrap, root, steadyTopology, d);
                 KafkaProducer<String, byte[]> producer = StreamBenchmark.producer(bootstrap, 0)) {
                phase.process(steadyPreload);
                int seconds = (int) Math.ceil(keys * (firstSpread + d.swapDelayEvents() + 2) / steadyRate);
                log(String.format(Locale.ROOT, "steady: offering %.0f events/s for %d s, every key coming due",
                        steadyRate, seconds));
                steady = phase.sampling(() -> new LatencyProbe(bootstrap, steadyTopology.inputTopic(),
                        steadyTopology.scoresTopic(), keys).run(producer, phase.app.streams, steadyRate, seconds,
                        series));
                steadyTrainings = phase.trainings();
            }
            Result result = new Result(keys, queue, firstSpread, events, idle, first, firstTrainings, steady,
                    steadyTrainings);
            result.print(out);
            return result;
        } finally {
            StateDirSize.deleteTree(root);
        }
    }

    /** Topics named after {@code runId}, with {@code events} events preloaded round robin over the keys. */
    private TopologyConfig topics(String bootstrap, String runId, BenchSeries series, long events)
            throws InterruptedException {
        TopologyConfig topology = StreamBenchmark.topology(runId);
        BenchTopics.create(bootstrap, partitions, topology, runId + "-unused");
        try (KafkaProducer<String, byte[]> producer = StreamBenchmark.producer(bootstrap, 5)) {
            StreamBenchmark.preload(producer, series, topology.inputTopic(), events, keys, out);
        }
        return topology;
    }

    /** A measurement that may be interrupted while waiting. */
    private interface Measure<T> {
        T run() throws InterruptedException;
    }

    /** The detector topology with its own trainer (the service's defaults), from the start of the input. */
    private final class Phase implements AutoCloseable {
        private final String label;
        private final TrainedApplication app;
        private final AtomicInteger maxQueue = new AtomicInteger();

        Phase(String label, String runId, String bootstrap, Path root, TopologyConfig topology, RetrainConfig retrain) {
            this.label = label;
            this.app = new TrainedApplication(runId + "-" + label, bootstrap, root.resolve(label), topology, retrain,
                    queue, 1);
        }

        /** Starts the application over the first {@code events} events and waits until all are scored. */
        StreamBenchmark.Timing process(long events) {
            log(label + ": processing " + events + " events");
            StreamBenchmark.Timing timing = app.startAndAwait(events);
            log(String.format(Locale.ROOT, "%s: every event scored after %.1f s, %.0f events/s while processing",
                    label, timing.totalSeconds(), timing.rate()));
            return timing;
        }

        /** Runs {@code measure} while sampling the trainer's queue every 20 ms for its longest. */
        <T> T sampling(Measure<T> measure) throws InterruptedException {
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    maxQueue.accumulateAndGet(app.trainer.queued(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-queue-sampler");
            sampler.setDaemon(true);
            sampler.start();
            try {
                return measure.run();
            } finally {
                sampler.interrupt();
                sampler.join();
            }
        }

        Trainings trainings() {
            return new Trainings(app.streamCount(VigilMetrics.TRAINING_REQUESTED),
                    (long) app.metric("trainings-total"), (long) app.metric("trainings-helped-total"),
                    app.streamCount(VigilMetrics.TRAINED_IN_LINE), maxQueue.get(), app.metric("training-time-ms-avg"));
        }

        @Override
        public void close() {
            app.close();
        }
    }

    private void log(String line) {
        out.println("bench trainer: " + line);
        out.flush();
    }
}
