package dev.vigil.app;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code vigil bench}: the project's JMH benchmarks, run from the jar. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run JMH benchmarks. TARGET: lstm (step and training throughput).")
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", defaultValue = "lstm", description = "What to benchmark: lstm. Default: ${DEFAULT-VALUE}.")
    String target;

    @Option(names = "--forks", defaultValue = "1", description = "JMH forks. Default: ${DEFAULT-VALUE}.")
    int forks;

    @Option(names = "--quick", description = "Short warm-up and measurement (for a smoke run).")
    boolean quick;

    @Option(names = "--gc", description = "Add JMH's GC profiler (bytes allocated per operation).")
    boolean gc;

    @Override
    public Integer call() throws RunnerException {
        if (!target.equals("lstm")) {
            throw new dev.vigil.BadConfigException("unknown bench target '" + target + "' (known: lstm)");
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
}
