package dev.vigil.app.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * What {@code vigil bench fleet} measured ({@link FleetBenchmark}): the small and the large fleet (their first round),
 * the large fleet's restore, and every round's throughput (the first included), with the targets beside them.
 */
public record FleetBenchmarkResult(FleetSettings settings, FleetBenchmark.Fleet small,
                                   FleetBenchmark.Fleet large, FleetBenchmark.Restore restore,
                                   List<FleetBenchmark.Round> rounds) {
    /** Target: events/s of the large fleet against the small one's, same run. */
    public static final double TARGET_RATIO = 0.8;
    /** Target: mean detector state per key, history aside. */
    public static final int TARGET_STATE_BYTES = 1024;
    /** Target: heap after GC with the large fleet running. */
    public static final long TARGET_HEAP_BYTES = 2L << 30;

    /** Events/s of the large fleet over the small one's: the median of the rounds' ratios. */
    public double ratio() {
        return StreamBenchmarkResult.median(rounds.stream().mapToDouble(FleetBenchmark.Round::ratio).toArray());
    }

    /** The ratio once every key exists ({@link FleetBenchmark.Round#settledRatio}): the median of the rounds'. */
    public double settledRatio() {
        return StreamBenchmarkResult.median(rounds.stream().mapToDouble(FleetBenchmark.Round::settledRatio).toArray());
    }

    /** The same for Kafka Streams' counting topology over the same events: the median of the rounds' ratios. */
    public double floorRatio() {
        return StreamBenchmarkResult.median(rounds.stream().mapToDouble(FleetBenchmark.Round::floorRatio).toArray());
    }

    public void print(PrintWriter out) {
        out.println();
        out.println("bench fleet: " + large.keys() + " keys against " + small.keys() + ", "
                + large.timing().outputs() + " events each, " + settings.partitions() + " partitions, 1 stream thread,"
                + " record cache " + (settings.recordCacheBytes() < 0 ? "Kafka's default"
                : settings.recordCacheBytes() + " bytes") + ", " + (settings.replayEvents() == 0
                ? "every event writes its key's state" : "states written behind (states.replayEvents "
                + settings.replayEvents() + ")"));
        table(out);
        rounds(out);
        targets(out);
        out.flush();
    }

    /** The two fleets side by side, a figure a row. */
    private void table(PrintWriter out) {
        out.printf(Locale.ROOT, "%-44s %14s %14s%n", "", small.keys() + " keys", large.keys() + " keys");
        row(out, "events/s while processing", "%.0f", small.timing().rate(), large.timing().rate());
        row(out, "stream thread µs per event", "%.1f", small.timing().cpu().streamThreadMicrosPerEvent(),
                large.timing().cpu().streamThreadMicrosPerEvent());
        row(out, "model versions published while processing", "%.0f", small.modelVersions(), large.modelVersions());
        row(out, "state changelog records per event", "%.3f", small.stateWritesPerEvent(),
                large.stateWritesPerEvent());
        row(out, "detector state value, bytes per key", "%.0f", small.stateBytes(), large.stateBytes());
        row(out, "  of which the history head", "%.0f", small.headBytes(), large.headBytes());
        row(out, "history store, bytes per key", "%.0f", small.historyBytes(), large.historyBytes());
        row(out, "per-key models published", "%.0f", small.models(), large.models());
        row(out, "entries in this instance's model stores", "%.0f", small.modelsHeld(), large.modelsHeld());
        row(out, "model payload, bytes", "%.0f", small.modelStoreBytes(), large.modelStoreBytes());
        row(out, "decoded models cached", "%.0f", small.cachedModels(), large.cachedModels());
        row(out, "decoded-model cache, MB of heap", "%.1f", small.cacheBytes() / 1e6, large.cacheBytes() / 1e6);
        row(out, "decoded states cached or held by tasks", "%.0f", small.heldStates(), large.heldStates());
        row(out, "decoded states, MB of heap (estimated)", "%.1f", small.stateCacheBytes() / 1e6,
                large.stateCacheBytes() / 1e6);
        row(out, "heap after GC, MB (broker in this JVM too)", "%.0f", small.heapAfterGc() / 1e6,
                large.heapAfterGc() / 1e6);
        row(out, "state directory (state, history, models), MB", "%.1f", small.taskStoreBytes() / 1e6,
                large.taskStoreBytes() / 1e6);
        row(out, "state directory, task stores, KB per 1,000 keys", "%.0f",
                small.taskStoreBytes() / (small.keys() / 1000.0) / 1e3,
                large.taskStoreBytes() / (large.keys() / 1000.0) / 1e3);
    }

    /** Each round's figures (past the fleets' first passes too), when there are several. */
    private void rounds(PrintWriter out) {
        if (rounds.size() > 1) {
            for (int r = 0; r < rounds.size(); r++) {
                FleetBenchmark.Round round = rounds.get(r);
                out.printf(Locale.ROOT, "round %d%s: events/s %.0f / %.0f, stream thread µs per event %.1f / %.1f,"
                        + " ratio %.2f; counting topology %.0f / %.0f, ratio %.2f%n", r + 1,
                        FleetBenchmark.largeFirst(r + 1) ? " (large fleet first)" : "",
                        round.small().rate(), round.large().rate(), round.small().cpu().streamThreadMicrosPerEvent(),
                        round.large().cpu().streamThreadMicrosPerEvent(), round.ratio(), round.countingSmall().rate(),
                        round.countingLarge().rate(), round.floorRatio());
                settled(out, "  past", round);
            }
        } else {
            settled(out, "past", rounds.get(0));
        }
    }

    /** The judged figures against their targets, and the restore. */
    private void targets(PrintWriter out) {
        out.printf(Locale.ROOT, "events/s at %d keys over %d keys: %.2f%s (target >= %.1f)%n", large.keys(),
                small.keys(), ratio(), rounds.size() > 1 ? ", the median of " + rounds.size() + " rounds" : "",
                TARGET_RATIO);
        if (!Double.isNaN(settledRatio())) {
            out.printf(Locale.ROOT, "the same past each fleet's first %d passes over its keys (every key exists):"
                    + " %.2f%s%n", FleetBenchmark.SETTLE_PASSES, settledRatio(),
                    rounds.size() > 1 ? ", the median of " + rounds.size() + " rounds" : "");
        }
        out.printf(Locale.ROOT, "the same for Kafka Streams' counting topology (read, increment, write a Long per key),"
                + " same events and settings: %.2f%s; the detector's ratio over it %.2f%n", floorRatio(),
                rounds.size() > 1 ? ", the median of " + rounds.size() + " rounds" : "", ratio() / floorRatio());
        out.printf(Locale.ROOT, "detector state per mature key (%d keys), history head aside: %.0f bytes (target <= %d;"
                + " with the head %.0f)%n", small.keys(), small.stateBytes() - small.headBytes(), TARGET_STATE_BYTES,
                small.stateBytes());
        out.printf(Locale.ROOT, "heap after GC at %d keys: %.0f MB (target <= %.0f MB)%n", large.keys(),
                large.heapAfterGc() / 1e6, TARGET_HEAP_BYTES / 1e6);
        if (restore != null) {
            out.printf(Locale.ROOT, "restore of %d keys from an empty state directory: running after %.1f s, %d"
                    + " changelog records at %.0f records/s%s%n", large.keys(), restore.seconds(),
                    restore.restoredRecords(), restore.rate(), Double.isNaN(restore.replaySeconds()) ? ""
                            : String.format(Locale.ROOT, "; then an event to each partition scored after %.1f s (the"
                            + " replay of the input since the states written behind first)", restore.replaySeconds()));
        }
    }

    /** A round's detector figures past each fleet's first passes over its keys, when both were timed so. */
    private static void settled(PrintWriter out, String prefix, FleetBenchmark.Round round) {
        if (Double.isNaN(round.settledRatio())) {
            return;
        }
        StreamBenchmark.Timing.Settled small = round.small().settled();
        StreamBenchmark.Timing.Settled large = round.large().settled();
        out.printf(Locale.ROOT, "%s the first %d passes over the keys: events/s %.0f / %.0f, stream thread µs per event"
                + " %.1f / %.1f, ratio %.2f%n", prefix, FleetBenchmark.SETTLE_PASSES, small.rate(), large.rate(),
                small.cpu().streamThreadMicrosPerEvent(), large.cpu().streamThreadMicrosPerEvent(),
                round.settledRatio());
    }

    private static void row(PrintWriter out, String label, String format, double small, double large) {
        out.printf(Locale.ROOT, "%-44s %14s %14s%n", label, String.format(Locale.ROOT, format, small),
                String.format(Locale.ROOT, format, large));
    }
}
