package dev.vigil.eval;

import java.util.Objects;

/**
 * The NAB score of a corpus under one profile, at one threshold (usually the optimised one).
 *
 * @param profile the cost profile
 * @param threshold θ: a row is a detection if its anomaly score is {@code >= θ}; 1.1 means nothing
 *     is detected
 * @param rawScore the sum of window rewards, missed-window costs and false-positive costs
 * @param normalisedScore {@code 100 * (raw - null) / (perfect - null)}: 0 for the null detector,
 *     100 for a perfect one, negative when false positives dominate
 * @param truePositives windows with at least one detected non-probationary row
 * @param falseNegatives windows with none
 * @param falsePositives detected non-probationary rows outside every window
 */
public record NabScore(NabProfile profile, double threshold, double rawScore, double normalisedScore,
        int truePositives, int falseNegatives, int falsePositives) {

    /** Checks the profile is present. */
    public NabScore {
        Objects.requireNonNull(profile, "profile");
    }

    /** Number of windows scored, {@code truePositives + falseNegatives}. */
    public int windowCount() {
        return truePositives + falseNegatives;
    }
}
