package dev.vigil.lstm;

import dev.vigil.VigilException;

/**
 * Training met a non-finite number: a NaN or infinite reading in the series (rejected before any
 * training), or a loss or gradient that became non-finite. The training run is abandoned; the
 * caller keeps its current model.
 */
public class NonFiniteTrainingException extends VigilException {
    public NonFiniteTrainingException(String message) {
        super(message);
    }
}
