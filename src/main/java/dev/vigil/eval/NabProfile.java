package dev.vigil.eval;

/**
 * The three NAB scoring profiles: cost matrices taken from NAB's {@code config/profiles.json}.
 *
 * <p>{@code tpWeight} is the reward for detecting a window on its first row, {@code fpWeight} the
 * largest cost of one detected row outside every window, {@code fnWeight} the cost of a window with
 * no detection. NAB's {@code tnWeight} is never used by its scorer and is left out.
 */
public enum NabProfile {
    /** Balanced profile: NAB's headline number. */
    STANDARD(1.0, 0.11, 1.0, "standard"),
    /** False positives cost twice as much as in {@link #STANDARD}. */
    REWARD_LOW_FP(1.0, 0.22, 1.0, "reward_low_FP_rate"),
    /** Missed windows cost twice as much as in {@link #STANDARD}. */
    REWARD_LOW_FN(1.0, 0.11, 2.0, "reward_low_FN_rate");

    private final double tpWeight;
    private final double fpWeight;
    private final double fnWeight;
    private final String nabName;

    NabProfile(double tpWeight, double fpWeight, double fnWeight, String nabName) {
        this.tpWeight = tpWeight;
        this.fpWeight = fpWeight;
        this.fnWeight = fnWeight;
        this.nabName = nabName;
    }

    /** Reward for a detection on a window's first row; positive. */
    public double tpWeight() {
        return tpWeight;
    }

    /** Cost of a detected row far from (or before) every window; positive, applied negated. */
    public double fpWeight() {
        return fpWeight;
    }

    /** Cost of a window with no detection; positive, applied negated. */
    public double fnWeight() {
        return fnWeight;
    }

    /** The profile's name in NAB ({@code standard}, {@code reward_low_FP_rate}, ...). */
    public String nabName() {
        return nabName;
    }
}
