package dev.vigil.lstm;

import dev.vigil.VigilException;

/**
 * A training run was told to stop before it finished (a time limit or a shutdown). The run is abandoned; the
 * caller keeps its current model.
 */
public class TrainingStoppedException extends VigilException {
    public TrainingStoppedException(String message) {
        super(message);
    }
}
