package dev.vigil.app;

import dev.vigil.app.bench.StreamBenchmark;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code vigil bench}: the project's benchmarks, run from the jar (JMH for the LSTM, {@link StreamBenchmark}). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run benchmarks. TARGET: lstm (JMH: step and training throughput) or stream (the detector"
                + " topology end to end on an embedded broker, against a trivial stateful topology).")
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", defaultValue = "lstm", description = "What to benchmark: lstm or stream. Default: ${DEFAULT-VALUE}.")
    String target;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--events", defaultValue = "1000000", description = "stream: preloaded events. Default: ${DEFAULT-VALUE}.")
    long events;

    @Option(names = "--keys", defaultValue = "1000", description = "stream: keys. Default: ${DEFAULT-VALUE}.")
    int keys;

    @Option(names = "--partitions", defaultValue = "4", description = "stream: partitions per topic. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--threads", defaultValue = "1", description = "stream: stream threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--latency-rate", defaultValue = "2000/s", paramLabel = "N/s",
            description = "stream: offered load of the latency phase. Default: ${DEFAULT-VALUE}.")
    String latencyRate;

    @Option(names = "--latency-seconds", defaultValue = "20", description = "stream: length of the latency phase."
            + " Default: ${DEFAULT-VALUE}.")
    int latencySeconds;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "stream: use this cluster instead of an embedded broker.")
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
            new StreamBenchmark(new StreamBenchmark.Settings(events, keys, partitions, threads, rate(latencyRate),
                    latencySeconds, bootstrapServers), spec.commandLine().getOut()).run();
            return 0;
        }
        if (!target.equals("lstm")) {
            throw new dev.vigil.BadConfigException("unknown bench target '" + target + "' (known: lstm, stream)");
        }
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
    static double rate(String text) {
        String number = text.endsWith("/s") ? text.substring(0, text.length() - 2) : text;
        try {
            double r = Double.parseDouble(number);
            if (r > 0 && Double.isFinite(r)) {
                return r;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new dev.vigil.BadConfigException("--latency-rate must look like 2000/s (a positive number per second), got '"
                + text + "'");
    }
}
