package dev.vigil.train;

import dev.vigil.lstm.LstmModel;

/**
 * The result of one (re)training attempt.
 *
 * @param model          the model to publish, or null when the attempt was refused or failed
 * @param candidateLoss  validation loss of the candidate on the window's tail (normalised units), NaN on failure
 * @param currentLoss    the current model's loss on the same tail, NaN when there was none
 * @param reason         why nothing is published, or "accepted"
 * @param nanos          wall time spent training
 */
public record TrainingOutcome(LstmModel model, double candidateLoss, double currentLoss, String reason, long nanos) {
    public boolean accepted() {
        return model != null;
    }
}
