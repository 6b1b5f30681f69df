package dev.vigil.score;

/** Scoring configurations for tests: a base with the range rule's settings replaced. */
public final class ScoringConfigs {
    private ScoringConfigs() {
    }

    /** {@code base} with {@code spatialTolerance} and {@code youngRangeMs} replaced. */
    public static ScoringConfig withRange(ScoringConfig base, double spatialTolerance, long youngRangeMs) {
        ScoringConfig d = base;
        return new ScoringConfig(d.warmupEvents(), d.normaliserHalfLife(), d.outlierClip(), d.shortWindow(),
                d.longHalfLife(), d.minStdDev(), spatialTolerance, d.alertThreshold(), d.quietEvents(),
                d.flatlineEvents(), d.repeatLevel(), d.patternBins(), d.patternLength(), d.patternWindow(),
                d.countAware(), d.driftHalfLife(), d.flatlineRuns(), youngRangeMs, d.youngSpatialTolerance(),
                d.jumpHalfLife());
    }

    /** {@code base} with {@code jumpHalfLife} replaced. */
    public static ScoringConfig withJumpHalfLife(ScoringConfig base, int jumpHalfLife) {
        ScoringConfig d = base;
        return new ScoringConfig(d.warmupEvents(), d.normaliserHalfLife(), d.outlierClip(), d.shortWindow(),
                d.longHalfLife(), d.minStdDev(), d.spatialTolerance(), d.alertThreshold(), d.quietEvents(),
                d.flatlineEvents(), d.repeatLevel(), d.patternBins(), d.patternLength(), d.patternWindow(),
                d.countAware(), d.driftHalfLife(), d.flatlineRuns(), d.youngRangeMs(), d.youngSpatialTolerance(),
                jumpHalfLife);
    }
}
