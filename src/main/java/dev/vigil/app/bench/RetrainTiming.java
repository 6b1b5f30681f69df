package dev.vigil.app.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where the wall time of {@link LstmBenchmark}'s {@code retrain} goes: the same retraining on the same window, each
 * timed by wall clock, by the thread's CPU time and, on Linux, by the time the thread waited runnable on a run queue
 * ({@code /proc/thread-self/schedstat}: another thread had the core). On a 2-core machine shared with other work
 * the JMH figure is the CPU time plus that wait. Run from the jar:
 * {@code java -cp target/vigil.jar dev.vigil.app.bench.RetrainTiming [warm-up] [timed] [parallelism] [fine-tune]}
 * (default 30, 40 and 1; with 2 the CPU time is the calling thread's only; {@code fine-tune}: each retraining has a
 * model in force that fits the window, and fine-tunes it, as {@code fineTune} does).
 */
public final class RetrainTiming {

    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

    /** One timed retraining, in milliseconds; {@code runQueueWait} is NaN where the platform does not tell. */
    record Sample(double wall, double cpu, double runQueueWait) {
    }

    private RetrainTiming() {
    }

    public static void main(String[] args) {
        int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int timed = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        boolean fineTune = args.length > 3 && args[3].equals("fine-tune");
        print(fineTune ? "fine-tune" : "retrain", run(warmUp, timed, parallelism, fineTune), System.out);
    }

    /**
     * {@code warmUp} untimed retrainings, then {@code timed} timed ones, on this thread (and a helper); with
     * {@code fineTune} each starts from a model in force that fits the window.
     */
    static Sample[] run(int warmUp, int timed, int parallelism, boolean fineTune) {
        LstmBenchmark.RetrainState state = new LstmBenchmark.RetrainState();
        state.parallelism = parallelism;
        state.setUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Sample[] samples = new Sample[timed];
        for (int i = 0; i < warmUp + timed; i++) {
            long wait = runQueueNanos();
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            state.trainer.train("bench", state.history, fineTune ? state.current : null);
            wall = System.nanoTime() - wall;
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            long waitAfter = runQueueNanos();
            if (i >= warmUp) {
                samples[i - warmUp] = new Sample(wall / 1e6, cpu / 1e6,
                        wait < 0 || waitAfter < 0 ? Double.NaN : (waitAfter - wait) / 1e6);
            }
        }
        return samples;
    }

    /** Median and minimum of each measure, and the mean wall split into CPU, run-queue wait and the rest. */
    static void print(String what, Sample[] samples, PrintStream out) {
        double[] wall = Arrays.stream(samples).mapToDouble(Sample::wall).sorted().toArray();
        double[] cpu = Arrays.stream(samples).mapToDouble(Sample::cpu).sorted().toArray();
        double meanWall = Arrays.stream(samples).mapToDouble(Sample::wall).average().orElse(Double.NaN);
        double meanCpu = Arrays.stream(samples).mapToDouble(Sample::cpu).average().orElse(Double.NaN);
        double meanWait = Arrays.stream(samples).mapToDouble(Sample::runQueueWait).average().orElse(Double.NaN);
        out.printf("%s, %d timed: wall median %.1f ms (min %.1f), CPU median %.1f ms (min %.1f)%n", what,
                samples.length, wall[wall.length / 2], wall[0], cpu[cpu.length / 2], cpu[0]);
        out.printf("mean wall %.1f ms = CPU %.1f + waiting for a core %.1f + other %.1f%n", meanWall, meanCpu, meanWait,
                meanWall - meanCpu - meanWait);
        StringBuilder each = new StringBuilder("each, wall/CPU ms:");
        for (Sample s : samples) {
            each.append(String.format(" %.0f/%.0f", s.wall(), s.cpu()));
        }
        out.println(each);
    }

    /** Nanoseconds this thread has waited on a run queue, or -1 where {@code schedstat} cannot be read. */
    private static long runQueueNanos() {
        try {
            String[] fields = Files.readString(SCHEDSTAT).trim().split(" ");
            return Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
