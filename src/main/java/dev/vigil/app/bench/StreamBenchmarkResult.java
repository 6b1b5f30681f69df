package dev.vigil.app.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What one {@link StreamBenchmark} run measured.
 *
 * @param detector         when the detector topology's outputs arrived (after its warm-up, if any)
 * @param counting         the same for the counting topology
 * @param latencies        event-to-score latencies of the latency phase
 * @param stateBytes       one key's detector state ({@code DetectorStateCodec} bytes, less the history head kept
 *                         with it), -1 if not found
 * @param taskStoreBytes   the detector application's per-task store files (RocksDB, checkpoints) after closing
 * @param globalStoreBytes its global store files (none since the models moved into the detector's task stores)
 */
public record StreamBenchmarkResult(StreamBenchmark.Settings settings, StreamBenchmark.Timing detector,
                                    StreamBenchmark.Timing counting,
                                    LatencyProbe.Latencies latencies, int stateBytes, long taskStoreBytes,
                                    long globalStoreBytes) {
    /**
     * The fleet issue's target: the detector's stream thread takes at most this many times the counting topology's
     * µs per event (Kafka Streams' own floor), in the same run. (The throughput ratio is printed too; both
     * topologies share the machine's cores with the embedded broker, so it measures the machine as much.)
     */
    public static final double TARGET_MICROS_RATIO = 5.0;

    /** Events/s of the detector topology while processing ({@link StreamBenchmark.Timing#rate()}). */
    public double detectorRate() {
        return detector.rate();
    }

    /** The same for the counting topology. */
    public double countingRate() {
        return counting.rate();
    }

    public double ratio() {
        return detectorRate() / countingRate();
    }

    /** Detector over counting stream-thread µs per event; NaN when either CPU was not measured. */
    public double microsRatio() {
        if (!detector.cpu().measured() || !counting.cpu().measured()) {
            return Double.NaN;
        }
        return detector.cpu().streamThreadMicrosPerEvent() / counting.cpu().streamThreadMicrosPerEvent();
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
        out.printf(Locale.ROOT, "  throughput  (while processing, after %,d warm-up events; from start in brackets)%n",
                s.warmupEvents());
        out.printf(Locale.ROOT, "              detector %,10.0f events/s  (%,.0f; first outputs after %.1f s)%n",
                detectorRate(), detector.endToEndRate(), detector.startupSeconds());
        out.printf(Locale.ROOT, "              counting %,10.0f events/s  (%,.0f; first outputs after %.1f s;"
                + " read+increment+write a Long per key)%n", countingRate(), counting.endToEndRate(),
                counting.startupSeconds());
        out.printf(Locale.ROOT, "              ratio    %10.2f%n", ratio());
        out.printf(Locale.ROOT, "  cpu         (while processing, %d cores; %s)%n", CpuMeter.cores(),
                s.bootstrapServers() == null ? "the JVM includes the embedded broker" : "the broker is not in this JVM");
        printCpu(out, "detector", detector.cpu());
        printCpu(out, "counting", counting.cpu());
        if (!Double.isNaN(microsRatio())) {
            out.printf(Locale.ROOT, "              detector / counting stream thread per event %.1f× (target <= %.0f×: %s)%n",
                    microsRatio(), TARGET_MICROS_RATIO, microsRatio() <= TARGET_MICROS_RATIO ? "met" : "NOT met");
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
