package dev.vigil.app.bench;

import dev.vigil.BadConfigException;
import dev.vigil.config.TopologyConfig;
import dev.vigil.lstm.TrainingConfig;
import dev.vigil.stream.VigilMetrics;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code vigil bench trainer}: what the background trainer costs the stream and how much it gets done. On an
 * embedded broker (or a given cluster), one model is published for every key and {@code events} events are
 * preloaded; then, in the same run and on the same input, the detector topology with its trainer:
 * <ol>
 *   <li><b>warm-up</b>: as idle, over the first {@code warmupEvents} events, so that idle and busy are both
 *       measured after the JIT compiler has compiled the stream's code (not counted);</li>
 *   <li><b>idle</b>: no key is due for retraining ({@code retrainInterval} out of reach): events/s;</li>
 *   <li><b>busy</b>: every key retrains every {@code retrainInterval} events (each on its own grid, {@link
 *       dev.vigil.train.RetrainClock}), so at the default 200 the trainer (one thread, the service's default) never
 *       runs out of work: events/s while it trains, trainings per minute at that speed (background and in line on the
 *       stream thread), models published, mean training time; with a longer interval, the trainings per minute the
 *       stream at full speed gets done and what they cost it;</li>
 *   <li><b>steady</b>: the busy application then gets a steady offered load for {@code steadySeconds}: trainings
 *       per minute while the stream keeps up, by the background trainer and in line on the stream thread (a key whose
 *       swap point came before the trainer delivered), and the trainings the keys asked for (the demand: with
 *       {@code keys} keys each retraining every {@code retrainInterval} of its events, {@code steadyRate · 60 /
 *       retrainInterval} a minute, so a steady rate whose demand exceeds what the trainers can do measures their
 *       capacity).</li>
 * </ol>
 * Other settings are the defaults (history window 2,000 readings, H=32, one layer).
 */
public final class TrainerBenchmark {
    /**
     * @param events           preloaded events (≥ 1)
     * @param keys             keys the events are spread over (≥ 1)
     * @param partitions       partitions of every topic (≥ 1)
     * @param retrainInterval  events between a key's retrainings in the busy phase (≥ 1)
     * @param steadyRate       offered events/s of the steady phase (> 0)
     * @param steadySeconds    length of the steady phase (≥ 1)
     * @param bootstrapServers an existing cluster, or null for an embedded broker
     * @param warmupEvents     events of the warm-up phase (0: none; at most {@code events})
     * @param parallelism      threads one background training runs on ({@code trainer.parallelism}: 1 or 2)
     */
    public record Settings(long events, int keys, int partitions, int retrainInterval, double steadyRate,
                           int steadySeconds, String bootstrapServers, long warmupEvents, int parallelism) {
        /** One thread per training. */
        public Settings(long events, int keys, int partitions, int retrainInterval, double steadyRate,
                        int steadySeconds, String bootstrapServers, long warmupEvents) {
            this(events, keys, partitions, retrainInterval, steadyRate, steadySeconds, bootstrapServers, warmupEvents,
                    1);
        }

        /** No warm-up. */
        public Settings(long events, int keys, int partitions, int retrainInterval, double steadyRate,
                        int steadySeconds, String bootstrapServers) {
            this(events, keys, partitions, retrainInterval, steadyRate, steadySeconds, bootstrapServers, 0);
        }

        public Settings {
            StreamBenchmark.checkWarmup(warmupEvents, events);
            if (events < 1 || keys < 1 || partitions < 1 || retrainInterval < 1 || !(steadyRate > 0) || steadySeconds < 1) {
                throw new BadConfigException("bench trainer needs events, keys, partitions, retrain interval, steady rate and"
                        + " steady seconds > 0, got " + events + ", " + keys + ", " + partitions + ", " + retrainInterval
                        + ", " + steadyRate + ", " + steadySeconds);
            }
        }

        public static Settings defaults() {
            return new Settings(400_000, 200, 4, 200, 1_000, 60, null, 200_000);
        }
    }

    /** What one run measured. */
    public record Result(double idleRate, double busyRate, long busyModels, double busySeconds, double meanTrainingMs,
                         long steadyTrainings, long steadyModels, int steadySeconds, double steadyRate,
                         long steadyInLine, long steadyRequested, long steadyHelped, long busyTrainings,
                         long busyInLine, double busyProcessingSeconds) {
        /**
         * Trainings per minute of the busy phase while its events were processed (the stream at full speed with the
         * trainer), background and in line.
         */
        public double busyTrainingsPerMinute() {
            return busyTrainings * 60.0 / busyProcessingSeconds;
        }

        /** Trainings per minute of the steady phase, background and in line. */
        public double trainingsPerMinute() {
            return (steadyTrainings + steadyInLine) * 60.0 / steadySeconds;
        }

        public double modelsPerMinute() {
            return steadyModels * 60.0 / steadySeconds;
        }

        void print(PrintWriter out) {
            out.println();
            out.println("vigil bench trainer");
            out.printf(Locale.ROOT, "  stream, trainer idle   %,10.0f events/s%n", idleRate);
            out.printf(Locale.ROOT, "  stream, trainer busy   %,10.0f events/s (%.2f of idle; %d models published in %.1f s)%n",
                    busyRate, busyRate / idleRate, busyModels, busySeconds);
            out.printf(Locale.ROOT, "                         %,10.1f trainings per minute at that speed (%d in %.1f s"
                    + " of processing, %d of them in line on the stream thread)%n", busyTrainingsPerMinute(),
                    busyTrainings, busyProcessingSeconds, busyInLine);
            out.printf(Locale.ROOT, "  training time          %,10.0f ms per model (mean)%n", meanTrainingMs);
            out.printf(Locale.ROOT, "  steady load %.0f/s     %,10.1f trainings per minute, %.1f models published per minute"
                    + " (%d and %d in %d s)%n", steadyRate, trainingsPerMinute(), modelsPerMinute(),
                    steadyTrainings + steadyInLine, steadyModels, steadySeconds);
            out.printf(Locale.ROOT, "                         %d by the background trainer (%d of them run by a stream thread"
                    + " waiting at a swap point), %d in line on the stream thread; %d requested%n", steadyTrainings,
                    steadyHelped, steadyInLine, steadyRequested);
            out.flush();
        }
    }

    private static final long SEED = 23;
    private static final int NEVER = 100_000_000;

    private final Settings settings;
    private final PrintWriter out;

    public TrainerBenchmark(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    public Result run() throws InterruptedException, IOException {
        return StreamBenchmark.onBroker(settings.bootstrapServers(), out, this::run);
    }

    private Result run(String bootstrap) throws InterruptedException, IOException {
        String runId = "bench-trainer-" + Long.toHexString(System.currentTimeMillis());
        TopologyConfig topology = StreamBenchmark.topology(runId);
        BenchTopics.create(bootstrap, settings.partitions(), topology, runId + "-unused");
        BenchSeries series = new BenchSeries(SEED);
        try (KafkaProducer<String, byte[]> producer = StreamBenchmark.producer(bootstrap, 5)) {
            StreamBenchmark.publishModels(producer, series, topology.modelsTopic(), settings.keys(), out);
            StreamBenchmark.preload(producer, series, topology.inputTopic(), settings.events(), settings.keys(), out);
        }
        Path root = Files.createTempDirectory("vigil-bench-trainer");
        try {
            if (settings.warmupEvents() > 0) {
                try (Phase warmup = new Phase("warm-up", runId, bootstrap, root, topology, NEVER)) {
                    warmup.throughput(settings.warmupEvents());
                }
            }
            Phase idle = new Phase("idle", runId, bootstrap, root, topology, NEVER);
            double idleRate;
            try (idle) {
                idleRate = idle.throughput(settings.events());
            }
            Phase busy = new Phase("busy", runId, bootstrap, root, topology, settings.retrainInterval());
            try (busy) {
                long start = System.nanoTime();
                double busyRate = busy.throughput(settings.events());
                double busySeconds = (System.nanoTime() - start) / 1e9;
                long busyModels = busy.published();
                long trainingsBefore = busy.trainings();
                long inLineBefore = busy.streamCount(VigilMetrics.TRAINED_IN_LINE);
                long busyTrainings = trainingsBefore + inLineBefore;
                long requestedBefore = busy.streamCount(VigilMetrics.TRAINING_REQUESTED);
                long helpedBefore = busy.helped();
                long steadyModels = busy.steady(series);
                Result result = new Result(idleRate, busyRate, busyModels, busySeconds, busy.meanTrainingMs(),
                        busy.trainings() - trainingsBefore, steadyModels, settings.steadySeconds(), settings.steadyRate(),
                        busy.streamCount(VigilMetrics.TRAINED_IN_LINE) - inLineBefore,
                        busy.streamCount(VigilMetrics.TRAINING_REQUESTED) - requestedBefore,
                        busy.helped() - helpedBefore, busyTrainings, inLineBefore, settings.events() / busyRate);
                result.print(out);
                return result;
            }
        } finally {
            StateDirSize.deleteTree(root);
        }
    }

    /** One application of the detector topology with its own trainer, from the start of the input. */
    private final class Phase implements AutoCloseable {
        private final String label;
        private final String bootstrap;
        private final TrainedApplication app;

        Phase(String label, String runId, String bootstrap, Path root, TopologyConfig topology, int retrainInterval) {
            this.label = label;
            this.bootstrap = bootstrap;
            RetrainConfig d = RetrainConfig.defaults();
            RetrainConfig retrain = new RetrainConfig(d.historySize(), d.minTrainPoints(), retrainInterval, 0, 0,
                    d.requireImprovement(), d.seed(), RetrainConfig.PER_KEY, d.sharedKeys(), d.maxTrainingMs(),
                    d.maxModelBytes(), d.swapDelayEvents(), TrainingConfig.defaults());
            app = new TrainedApplication(runId + "-" + label, bootstrap, root.resolve(label), topology, retrain,
                    10_000, settings.parallelism());
        }

        /** Processes the first {@code events} preloaded events; events/s while processing. */
        double throughput(long events) {
            log(label + ": processing " + events + " events");
            StreamBenchmark.Timing timing = app.startAndAwait(events);
            log(String.format(Locale.ROOT, "%s: %d events in %.1f s (first outputs after %.1f s), %.0f events/s while"
                    + " processing, %d models published", label, events, timing.totalSeconds(), timing.startupSeconds(),
                    timing.rate(), published()));
            return timing.rate();
        }

        /** Offers the steady load, each key's series continuing where the preload stopped; models published meanwhile. */
        long steady(BenchSeries series) throws InterruptedException {
            log(String.format(Locale.ROOT, "steady: offering %.0f events/s for %d s", settings.steadyRate(),
                    settings.steadySeconds()));
            long before = published();
            long total = (long) (settings.steadyRate() * settings.steadySeconds());
            long first = settings.events() / settings.keys() + 1;
            try (KafkaProducer<String, byte[]> producer = StreamBenchmark.producer(bootstrap, 0)) {
                long start = System.nanoTime();
                for (long j = 0; j < total; j++) {
                    int k = (int) (j % settings.keys());
                    long i = first + j / settings.keys();
                    producer.send(new ProducerRecord<>(app.topology.inputTopic(), BenchSeries.key(k),
                            BenchSeries.json(BenchSeries.START_MS + i * BenchSeries.STEP_MS, series.value(k, i))));
                    long wait = start + (long) ((j + 1) * 1e9 / settings.steadyRate()) - System.nanoTime();
                    if (wait > 1_000_000) {
                        Thread.sleep(wait / 1_000_000);
                    }
                }
            }
            long models = published() - before;
            log("steady: " + models + " models published");
            return models;
        }

        long published() {
            return (long) metric("models-published-total");
        }

        long trainings() {
            return (long) metric("trainings-total");
        }

        /** Queued trainings a stream thread ran while it waited at a swap point (counted in {@link #trainings}). */
        long helped() {
            return (long) metric("trainings-helped-total");
        }

        /** A counter of the detector's ({@link VigilMetrics}), summed over the stream threads. */
        long streamCount(String operation) {
            return app.streamCount(operation);
        }

        double meanTrainingMs() {
            return metric("training-time-ms-avg");
        }

        private double metric(String name) {
            return app.metric(name);
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
