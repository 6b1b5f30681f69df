package dev.vigil.app.bench;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * What one {@link StreamBenchmark} run measured.
 *
 * @param detectorRounds   when the detector topology's outputs arrived (after its warm-up, if any), one per round
 * @param countingRounds   the same for the counting topology, one per round (measured just before the detector's)
 * @param latencies        event-to-score latencies of the latency phase
 * @param stateBytes       one key's detector state ({@code DetectorStateCodec} bytes, less the history head kept
 *                         with it), -1 if not found
 * @param taskStoreBytes   the detector application's per-task store files (RocksDB, checkpoints) after closing
 * @param globalStoreBytes its global store files (none since the models moved into the detector's task stores)
 */
public record StreamBenchmarkResult(StreamBenchmark.Settings settings, List<StreamBenchmark.Timing> detectorRounds,
                                    List<StreamBenchmark.Timing> countingRounds,
                                    LatencyProbe.Latencies latencies, int stateBytes, long taskStoreBytes,
                                    long globalStoreBytes) {
    /**
     * The fleet issue's target: the detector's stream thread takes at most this many times the counting topology's
     * µs per event (Kafka Streams' own floor), in the same run. (The throughput ratio is printed too; both
     * topologies share the machine's cores with the embedded broker, so it measures the machine as much.)
     */
    public static final double TARGET_MICROS_RATIO = 5.0;

    public StreamBenchmarkResult {
        if (detectorRounds.isEmpty() || detectorRounds.size() != countingRounds.size()) {
            throw new IllegalArgumentException("rounds: " + detectorRounds.size() + " of the detector, "
                    + countingRounds.size() + " of the counting topology");
        }
    }

    /** The detector's last round (the one the latency phase and the sizes come from). */
    public StreamBenchmark.Timing detector() {
        return detectorRounds.get(detectorRounds.size() - 1);
    }

    /** The counting topology's last round. */
    public StreamBenchmark.Timing counting() {
        return countingRounds.get(countingRounds.size() - 1);
    }

    /** Events/s of the detector topology while processing, last round ({@link StreamBenchmark.Timing#rate()}). */
    public double detectorRate() {
        return detector().rate();
    }

    /** The same for the counting topology. */
    public double countingRate() {
        return counting().rate();
    }

    public double ratio() {
        return detectorRate() / countingRate();
    }

    /**
     * Round {@code round}'s (from 0) detector over counting stream-thread µs per event; NaN when either was not
     * measured.
     */
    public double roundMicrosRatio(int round) {
        CpuMeter.Use detector = detectorRounds.get(round).cpu();
        CpuMeter.Use counting = countingRounds.get(round).cpu();
        if (!detector.measured() || !counting.measured()) {
            return Double.NaN;
        }
        return detector.streamThreadMicrosPerEvent() / counting.streamThreadMicrosPerEvent();
    }

    /**
     * The median over the rounds whose CPU was measured of {@link #roundMicrosRatio} (the mean of the middle two for
     * an even count); NaN when no round was measured.
     */
    public double microsRatio() {
        return median(IntStream.range(0, detectorRounds.size()).mapToDouble(this::roundMicrosRatio)
                .filter(r -> !Double.isNaN(r)).toArray());
    }

    /** The median of {@code values} (the mean of the middle two for an even count); NaN for none. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public double p50Ms() {
        return latencies.percentileMs(0.50);
    }

    public double p99Ms() {
        return latencies.percentileMs(0.99);
    }

    public double maxMs() {
        return latencies.maxMs();
    }

    /** Per-task store bytes (state, history, their RocksDB files) per 1,000 keys. */
    public double storeBytesPerThousandKeys() {
        return taskStoreBytes * 1000.0 / settings.keys();
    }

    void print(PrintWriter out) {
        StreamBenchmark.Settings s = settings;
        out.printf(Locale.ROOT, "%nvigil bench stream: %,d events over %,d keys, %d partition(s), %d stream thread(s),"
                + " exactly_once_v2, commit interval %d ms%n", s.events(), s.keys(), s.partitions(), s.threads(),
                s.commitIntervalMs());
        out.printf(Locale.ROOT, "  throughput  (while processing, after %,d warm-up events; from start in brackets%s)%n",
                s.warmupEvents(), s.rounds() == 1 ? "" : "; the last of " + s.rounds() + " rounds");
        out.printf(Locale.ROOT, "              detector %,10.0f events/s  (%,.0f; first outputs after %.1f s)%n",
                detectorRate(), detector().endToEndRate(), detector().startupSeconds());
        out.printf(Locale.ROOT, "              counting %,10.0f events/s  (%,.0f; first outputs after %.1f s;"
                + " read+increment+write a Long per key)%n", countingRate(), counting().endToEndRate(),
                counting().startupSeconds());
        out.printf(Locale.ROOT, "              ratio    %10.2f%n", ratio());
        out.printf(Locale.ROOT, "  cpu         (while processing, %d cores; %s)%n", CpuMeter.cores(),
                s.bootstrapServers() == null ? "the JVM includes the embedded broker" : "the broker is not in this JVM");
        int rounds = detectorRounds.size();
        for (int r = 0; r < rounds; r++) {
            String round = rounds == 1 ? "" : String.format(Locale.ROOT, ", round %d", r + 1);
            printCpu(out, "detector" + round, detectorRounds.get(r).cpu());
            printCpu(out, "counting" + round, countingRounds.get(r).cpu());
            if (rounds > 1 && !Double.isNaN(roundMicrosRatio(r))) {
                out.printf(Locale.ROOT, "              round %d: detector / counting %.1f×%n", r + 1, roundMicrosRatio(r));
            }
        }
        if (!Double.isNaN(microsRatio())) {
            out.printf(Locale.ROOT, "              detector / counting stream thread per event %.1f×%s (target <= %.0f×:"
                    + " %s)%n", microsRatio(), rounds == 1 ? "" : ", the median of " + rounds + " rounds",
                    TARGET_MICROS_RATIO, microsRatio() <= TARGET_MICROS_RATIO ? "met" : "NOT met");
        }
        out.printf(Locale.ROOT, "  latency     %,d events offered at %.0f/s (achieved %.0f/s): p50 %.1f ms, p99 %.1f ms,"
                        + " max %.1f ms%n", latencies.sortedNanos().length, latencies.offeredRate(),
                latencies.achievedRate(), p50Ms(), p99Ms(), maxMs());
        out.printf(Locale.ROOT, "  state       %d bytes per key (detector state; its value also holds the history head)%n", stateBytes);
        out.printf(Locale.ROOT, "  RocksDB     %,.0f bytes per 1,000 keys (per-task stores, models included: %,d bytes"
                + " for %,d keys)%s%n", storeBytesPerThousandKeys(), taskStoreBytes, s.keys(),
                globalStoreBytes == 0 ? "" : String.format(Locale.ROOT, "; global stores %,d bytes", globalStoreBytes));
        out.flush();
    }

    private static void printCpu(PrintWriter out, String label, CpuMeter.Use cpu) {
        if (!cpu.measured()) {
            out.printf(Locale.ROOT, "              %s not measured (outputs came within %d ms)%n", label,
                    CpuMeter.Use.MIN_WINDOW_NANOS / 1_000_000);
            return;
        }
        out.printf(Locale.ROOT, "              %s JVM %.2f cores, stream thread(s) %.2f cores: %.1f µs of stream thread"
                + " per event%n", label, cpu.processCores(), cpu.streamThreadCores(), cpu.streamThreadMicrosPerEvent());
    }
}
