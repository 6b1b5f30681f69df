package dev.vigil.score;

/** Scoring configurations for tests: a base with some of its settings replaced. */
public final class ScoringConfigs {
    private ScoringConfigs() {
    }

    /** {@code base} with {@code spatialTolerance} and {@code youngRangeMs} replaced. */
    public static ScoringConfig withRange(ScoringConfig base, double spatialTolerance, long youngRangeMs) {
        return withRange(base, spatialTolerance, youngRangeMs, base.jumpHalfLife());
    }

    /** {@code base} with {@code jumpHalfLife} replaced. */
    public static ScoringConfig withJumpHalfLife(ScoringConfig base, int jumpHalfLife) {
        return withRange(base, base.spatialTolerance(), base.youngRangeMs(), jumpHalfLife);
    }

    /** {@code base} with {@code spikeRows} and {@code spikeMargin} replaced. */
    public static ScoringConfig withSpikes(ScoringConfig base, int spikeRows, double spikeMargin) {
        return with(base, base.spatialTolerance(), base.youngRangeMs(), base.jumpHalfLife(), spikeRows, spikeMargin);
    }

    private static ScoringConfig withRange(ScoringConfig d, double spatialTolerance, long youngRangeMs,
                                           int jumpHalfLife) {
        return with(d, spatialTolerance, youngRangeMs, jumpHalfLife, d.spikeRows(), d.spikeMargin());
    }

    private static ScoringConfig with(ScoringConfig d, double spatialTolerance, long youngRangeMs, int jumpHalfLife,
                                      int spikeRows, double spikeMargin) {
        return new ScoringConfig(d.warmupEvents(), d.normaliserHalfLife(), d.outlierClip(), d.shortWindow(),
                d.longHalfLife(), d.minStdDev(), spatialTolerance, d.alertThreshold(), d.quietEvents(),
                d.flatlineEvents(), d.repeatLevel(), d.patternBins(), d.patternLength(), d.patternWindow(),
                d.countAware(), d.driftHalfLife(), d.flatlineRuns(), youngRangeMs, d.youngSpatialTolerance(),
                jumpHalfLife, spikeRows, spikeMargin, d.driftByHour(), d.countBurstCap());
    }

    /** {@code base} with {@code driftByHour} replaced. */
    public static ScoringConfig withDriftByHour(ScoringConfig d, boolean driftByHour) {
        return new ScoringConfig(d.warmupEvents(), d.normaliserHalfLife(), d.outlierClip(), d.shortWindow(),
                d.longHalfLife(), d.minStdDev(), d.spatialTolerance(), d.alertThreshold(), d.quietEvents(),
                d.flatlineEvents(), d.repeatLevel(), d.patternBins(), d.patternLength(), d.patternWindow(),
                d.countAware(), d.driftHalfLife(), d.flatlineRuns(), d.youngRangeMs(), d.youngSpatialTolerance(),
                d.jumpHalfLife(), d.spikeRows(), d.spikeMargin(), driftByHour, d.countBurstCap());
    }

    /** {@code base} with {@code countBurstCap} replaced. */
    public static ScoringConfig withBurstCap(ScoringConfig d, double countBurstCap) {
        return new ScoringConfig(d.warmupEvents(), d.normaliserHalfLife(), d.outlierClip(), d.shortWindow(),
                d.longHalfLife(), d.minStdDev(), d.spatialTolerance(), d.alertThreshold(), d.quietEvents(),
                d.flatlineEvents(), d.repeatLevel(), d.patternBins(), d.patternLength(), d.patternWindow(),
                d.countAware(), d.driftHalfLife(), d.flatlineRuns(), d.youngRangeMs(), d.youngSpatialTolerance(),
                d.jumpHalfLife(), d.spikeRows(), d.spikeMargin(), d.driftByHour(), countBurstCap);
    }
}
