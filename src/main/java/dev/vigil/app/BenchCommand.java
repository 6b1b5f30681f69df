package dev.vigil.app;

import dev.vigil.app.bench.StreamBenchmark;
import dev.vigil.app.bench.TrainerBenchmark;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code vigil bench}: the project's benchmarks, run from the jar (JMH for the LSTM, {@link StreamBenchmark}). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run benchmarks. TARGET: lstm (JMH: step and training throughput), stream (the detector"
                + " topology end to end on an embedded broker, against a trivial stateful topology), trainer (the"
                + " background trainer: stream throughput with the trainer idle and busy, models trained per minute)"
                + " or fleet (100,000 keys against 1,000 in one run: throughput, bytes per key, heap, restore).")
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", defaultValue = "lstm", description = "What to benchmark: lstm, stream, trainer or fleet. Default: ${DEFAULT-VALUE}.")
    String target;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--events", description = "stream, trainer: preloaded events. Default: 1000000 (stream), 400000 (trainer).")
    Long events;

    @Option(names = "--keys", description = "stream, trainer, fleet: keys. Default: 1000 (stream), 200 (trainer),"
            + " 100000 (fleet).")
    Integer keys;

    @Option(names = "--events-per-key", defaultValue = "20", description = "fleet: events per key of the large fleet"
            + " (the small fleet gets the same total). Default: ${DEFAULT-VALUE}.")
    int eventsPerKey;

    @Option(names = "--small-keys", defaultValue = "1000", description = "fleet: keys of the small fleet it is"
            + " compared with. Default: ${DEFAULT-VALUE}.")
    int smallKeys;

    @Option(names = "--model-share", defaultValue = "0.1", description = "fleet: share of keys given a per-key model."
            + " Default: ${DEFAULT-VALUE}.")
    double modelShare;

    @Option(names = "--models-cache-bytes", defaultValue = "268435456", description = "fleet: bound of the"
            + " decoded-model cache (models.cache.bytes). Default: ${DEFAULT-VALUE}.")
    long modelsCacheBytes;

    @Option(names = "--states-cache-bytes", defaultValue = "-1", description = "fleet: bound of the decoded-state"
            + " cache (states.cache.bytes); 0 reads every key's state from its store; -1: the service's default."
            + " Default: ${DEFAULT-VALUE}.")
    long statesCacheBytes;

    @Option(names = "--rocksdb-memory-bytes", defaultValue = "-1", description = "fleet: bound on the native memory of"
            + " each fleet's RocksDB stores together (rocksdb.memory.bytes); 0: Kafka Streams' per-store defaults; -1:"
            + " the service's default. Default: ${DEFAULT-VALUE}.")
    long rocksDbMemoryBytes;

    @Option(names = "--replay-events", defaultValue = "" + dev.vigil.config.AppConfig.DEFAULT_REPLAY_EVENTS,
            description = "fleet: the detectors'"
            + " states.replayEvents (states written behind their events, at most once per this many offsets of a"
            + " partition; the service's default); 0: every event writes its key's state. Default: ${DEFAULT-VALUE}.")
    long replayEvents;

    @Option(names = "--model-churn", defaultValue = "0", description = "fleet: new model versions published per second"
            + " while each fleet processes (round robin over the keys with a model, as a trainer puts them in force)."
            + " Default: ${DEFAULT-VALUE}.")
    int modelChurn;

    @Option(names = "--record-cache-bytes", defaultValue = "-1", description = "fleet: Kafka Streams' record cache"
            + " (statestore.cache.max.bytes) of both fleets' applications; -1: Kafka's default (10 MB), what the service"
            + " runs with. Default: ${DEFAULT-VALUE}.")
    long recordCacheBytes;

    @Option(names = "--scope", defaultValue = "per-key", description = "stream: per-key (a model per key) or shared (one"
            + " model for all keys). Default: ${DEFAULT-VALUE}.")
    String scope;

    @Option(names = "--retrain-interval", defaultValue = "200",
            description = "trainer: events between a key's retrainings in the busy phase. Default: ${DEFAULT-VALUE}.")
    int retrainInterval;

    @Option(names = "--steady-rate", defaultValue = "1000/s", paramLabel = "N/s",
            description = "trainer: offered load of the steady phase. Default: ${DEFAULT-VALUE}.")
    String steadyRate;

    @Option(names = "--steady-seconds", defaultValue = "60", description = "trainer: length of the steady phase."
            + " Default: ${DEFAULT-VALUE}.")
    int steadySeconds;

    @Option(names = "--warmup-events", description = "stream, trainer: events processed under a throwaway application"
            + " id before measuring (0: none). Default: 300000 (stream), 200000 (trainer), at most --events.")
    Long warmupEvents;

    @Option(names = "--first-models", description = "trainer: a fleet without models getting its first ones instead"
            + " (--keys keys, default 2000, each fed minTrainPoints + firstSpreadEvents + swapDelayEvents + 1 events):"
            + " seconds until every"
            + " key has its first model against the same events without training, who trained them, and the latency"
            + " when the keys come due together at --steady-rate.")
    boolean firstModels;

    @Option(names = "--queue-capacity", defaultValue = "10000", description = "trainer --first-models: the trainer's"
            + " queue (trainer.queue.capacity). Default: ${DEFAULT-VALUE}.")
    int queueCapacity;

    @Option(names = "--first-spread-events", defaultValue = "0", description = "trainer --first-models: spread the"
            + " keys' first trainings over this many of their events (retrain.firstSpreadEvents). Default:"
            + " ${DEFAULT-VALUE}.")
    int firstSpreadEvents;

    @Option(names = "--parallelism", defaultValue = "1", description = "trainer: threads one training runs on"
            + " (trainer.parallelism, 1 or 2). Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--partitions", defaultValue = "4", description = "stream, trainer, fleet: partitions per topic. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--threads", defaultValue = "1", description = "stream: stream threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--latency-rate", defaultValue = "2000/s", paramLabel = "N/s",
            description = "stream: offered load of the latency phase. Default: ${DEFAULT-VALUE}.")
    String latencyRate;

    @Option(names = "--latency-seconds", defaultValue = "20", description = "stream: length of the latency phase."
            + " Default: ${DEFAULT-VALUE}.")
    int latencySeconds;

    @Option(names = "--commit-interval-ms", defaultValue = "100", description = "stream: commit.interval.ms of both"
            + " applications; outputs are visible to read_committed consumers at commits. Default: ${DEFAULT-VALUE}.")
    long commitIntervalMs;

    @Option(names = "--rounds", description = "stream: times both topologies are measured, alternating, each under a"
            + " new application id; the stream-thread ratio is the median of the rounds'. Default: "
            + StreamBenchmark.DEFAULT_ROUNDS + ". fleet: times both fleets process their events (the large one first"
            + " in even rounds), each under a new application id; the events/s ratio is the median of the rounds'."
            + " Default: " + dev.vigil.app.bench.FleetSettings.DEFAULT_ROUNDS + ".")
    Integer rounds;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "stream, trainer, fleet: use this cluster instead of an embedded broker.")
    String bootstrapServers;

    @Option(names = "--forks", defaultValue = "1", description = "JMH forks. Default: ${DEFAULT-VALUE}.")
    int forks;

    @Option(names = "--quick", description = "Short warm-up and measurement (for a smoke run).")
    boolean quick;

    @Option(names = "--gc", description = "Add JMH's GC profiler (bytes allocated per operation).")
    boolean gc;

    @Override
    public Integer call() throws Exception {
        if (target.equals("stream")) {
            StreamBenchmark.Settings d = StreamBenchmark.Settings.defaults();
            long n = events == null ? d.events() : events;
            new StreamBenchmark(new StreamBenchmark.Settings(n, keys == null ? d.keys() : keys, partitions, threads,
                    rate(latencyRate, "--latency-rate"), latencySeconds, bootstrapServers, scope,
                    warmupEvents == null ? Math.min(n, d.warmupEvents()) : warmupEvents, commitIntervalMs,
                    rounds == null ? d.rounds() : rounds), spec.commandLine().getOut()).run();
            return 0;
        }
        if (target.equals("trainer") && firstModels) {
            new dev.vigil.app.bench.FirstModelsBenchmark(keys == null ? 2_000 : keys, partitions, queueCapacity,
                    firstSpreadEvents, rate(steadyRate, "--steady-rate"), bootstrapServers,
                    spec.commandLine().getOut()).run();
            return 0;
        }
        if (target.equals("trainer")) {
            TrainerBenchmark.Settings d = TrainerBenchmark.Settings.defaults();
            long n = events == null ? d.events() : events;
            new TrainerBenchmark(new TrainerBenchmark.Settings(n, keys == null ? d.keys() : keys, partitions,
                    retrainInterval, rate(steadyRate, "--steady-rate"), steadySeconds, bootstrapServers,
                    warmupEvents == null ? Math.min(n, d.warmupEvents()) : warmupEvents, parallelism),
                    spec.commandLine().getOut()).run();
            return 0;
        }
        if (target.equals("fleet")) {
            new dev.vigil.app.bench.FleetBenchmark(new dev.vigil.app.bench.FleetSettings(
                    keys == null ? dev.vigil.app.bench.FleetSettings.defaults().keys() : keys, eventsPerKey,
                    smallKeys, modelShare, partitions, modelsCacheBytes, modelChurn, recordCacheBytes, statesCacheBytes,
                    rounds == null ? dev.vigil.app.bench.FleetSettings.DEFAULT_ROUNDS : rounds,
                    bootstrapServers, rocksDbMemoryBytes, replayEvents),
                    spec.commandLine().getOut()).run();
            return 0;
        }
        if (!target.equals("lstm")) {
            throw new dev.vigil.BadConfigException("unknown bench target '" + target + "' (known: lstm, stream, trainer,"
                    + " fleet)");
        }
        dev.vigil.app.bench.ModelFootprint.print(dev.vigil.lstm.LstmConfig.defaults(), spec.commandLine().getOut());
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(dev.vigil.app.bench.LstmBenchmark.class.getName().replace(".", "\\.") + ".*")
                .forks(forks);
        if (quick) {
            options.warmupIterations(1).measurementIterations(1)
                    .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                    .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1));
        }
        if (gc) {
            options.addProfiler(org.openjdk.jmh.profile.GCProfiler.class);
        }
        new Runner(options.build()).run();
        return 0;
    }

    /** {@code 2000/s} or {@code 2000}: events per second. */
    static double rate(String text, String option) {
        String number = text.endsWith("/s") ? text.substring(0, text.length() - 2) : text;
        try {
            double r = Double.parseDouble(number);
            if (r > 0 && Double.isFinite(r)) {
                return r;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new dev.vigil.BadConfigException(option + " must look like 2000/s (a positive number per second), got '"
                + text + "'");
    }
}
