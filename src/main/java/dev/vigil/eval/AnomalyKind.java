package dev.vigil.eval;

import dev.vigil.VigilException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The named kinds of anomaly a synthetic corpus injects and {@code vigil evaluate} reports on, one table row
 * each. Each has a stable name, used in {@code anomalies.json} and in the report.
 */
public enum AnomalyKind {
    /** One to a few readings far above the local pattern. */
    SPIKE("spike", false),
    /** One to a few readings far below it (for counts: an outage, near zero). */
    DIP("dip", false),
    /** The level steps up and stays. */
    LEVEL_SHIFT_UP("level-shift-up", false),
    /** The level steps down and stays. */
    LEVEL_SHIFT_DOWN("level-shift-down", false),
    /**
     * An in-range break of the daily pattern: it flattens, shifts its phase, or its level steps down, while every
     * reading stays inside the range seen before.
     */
    CONTEXTUAL("contextual", true),
    /** The level creeps away along a ramp, then stays. */
    DRIFT("drift", false),
    /** The noise grows several-fold for a while. */
    VARIANCE_CHANGE("variance-change", false),
    /** The daily cycle runs several times faster for a while. */
    FREQUENCY_CHANGE("frequency-change", true),
    /** The sensor repeats one reading (stuck). */
    FROZEN("frozen", false),
    /** One day's peak does not come: the reading stays at its night level. */
    MISSING_PEAK("missing-peak", true);

    private final String label;
    private final boolean periodic;

    AnomalyKind(String label, boolean periodic) {
        this.label = label;
        this.periodic = periodic;
    }

    /** The kind's name in files and reports, e.g. {@code level-shift-up}. */
    public String label() {
        return label;
    }

    /** Whether the kind only exists on a series with a daily pattern. */
    public boolean periodic() {
        return periodic;
    }

    /**
     * The kind of a name.
     *
     * @param label e.g. {@code spike}
     * @return the kind
     * @throws VigilException for an unknown name, listing the known ones
     */
    public static AnomalyKind of(String label) {
        for (AnomalyKind k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        throw new VigilException("unknown anomaly kind '" + label + "' (known: "
                + Arrays.stream(values()).map(AnomalyKind::label).collect(Collectors.joining(", ")) + ")");
    }
}
