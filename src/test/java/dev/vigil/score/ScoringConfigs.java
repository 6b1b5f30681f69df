package dev.vigil.score;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** Scoring configurations for tests: a base with some of its settings replaced. */
public final class ScoringConfigs {
    /**
     * The defaults with the rhythm signal, the count dispersion and the window novelty off ({@code rhythmHalfLife},
     * {@code countDispersionHalfLife} and {@code noveltyWindow} 0): a state with none of their sections (the novelty
     * section's one byte, 0, ends it), for tests that read the score state's bytes at fixed offsets from its end.
     */
    public static ScoringConfig withoutOptionalSections() {
        return with(ScoringConfig.defaults(), "rhythmHalfLife", 0, "countDispersionHalfLife", 0, "noveltyWindow", 0);
    }

    private ScoringConfigs() {
    }

    /**
     * {@code base} with the settings named replaced, given as name, value, name, value... (names as the record's
     * components and the {@code scoring.*} keys call them); the record's own checks run. A name that is no setting,
     * or a value of the wrong type, fails the test that asks for it.
     */
    public static ScoringConfig with(ScoringConfig base, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs: "
                    + Arrays.toString(namesAndValues));
        }
        RecordComponent[] components = ScoringConfig.class.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        boolean[] replaced = new boolean[namesAndValues.length / 2];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                args[i] = components[i].getAccessor().invoke(base);
                for (int p = 0; p < replaced.length; p++) {
                    if (components[i].getName().equals(namesAndValues[2 * p])) {
                        args[i] = namesAndValues[2 * p + 1];
                        replaced[p] = true;
                    }
                }
            }
            for (int p = 0; p < replaced.length; p++) {
                if (!replaced[p]) {
                    throw new IllegalArgumentException("no scoring setting is named " + namesAndValues[2 * p]);
                }
            }
            return ScoringConfig.class.getDeclaredConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code base} with {@code spatialTolerance} and {@code youngRangeMs} replaced. */
    public static ScoringConfig withRange(ScoringConfig base, double spatialTolerance, long youngRangeMs) {
        return with(base, "spatialTolerance", spatialTolerance, "youngRangeMs", youngRangeMs);
    }

    /** {@code base} with {@code jumpHalfLife} replaced. */
    public static ScoringConfig withJumpHalfLife(ScoringConfig base, int jumpHalfLife) {
        return with(base, "jumpHalfLife", jumpHalfLife);
    }

    /** {@code base} with {@code spikeRows} and {@code spikeMargin} replaced. */
    public static ScoringConfig withSpikes(ScoringConfig base, int spikeRows, double spikeMargin) {
        return with(base, "spikeRows", spikeRows, "spikeMargin", spikeMargin);
    }

    /** {@code base} with {@code driftByHour} replaced. */
    public static ScoringConfig withDriftByHour(ScoringConfig base, boolean driftByHour) {
        return with(base, "driftByHour", driftByHour);
    }

    /** {@code base} with {@code countBurstCap} replaced. */
    public static ScoringConfig withBurstCap(ScoringConfig base, double countBurstCap) {
        return with(base, "countBurstCap", countBurstCap);
    }
}
