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
 * @param status         what became of the attempt
 */
public record TrainingOutcome(LstmModel model, double candidateLoss, double currentLoss, String reason, long nanos,
                              Status status) {
    /**
     * What became of a training attempt. {@link #ACCEPTED}, {@link #REFUSED} and {@link #FAILED} are functions of the
     * training's inputs (the same data, model id, version, seed and model in force give the same status and model);
     * {@link #STOPPED} is not (a time limit or shutdown stopped it).
     */
    public enum Status {
        /** Finite, within the payload bound and (when required) better than the model in force: to be used. */
        ACCEPTED,
        /** Trained, but not better than the model in force, not finite on the tail, or its payload too large. */
        REFUSED,
        /** Training itself failed (non-finite loss, too little data). */
        FAILED,
        /** Stopped before the end (time limit, shutdown): says nothing about the outcome of the same training. */
        STOPPED
    }

    public TrainingOutcome {
        if (status == null || (status == Status.ACCEPTED) != (model != null)) {
            throw new IllegalArgumentException("an outcome has a model exactly when it is ACCEPTED, got " + status);
        }
    }

    public boolean accepted() {
        return status == Status.ACCEPTED;
    }
}
