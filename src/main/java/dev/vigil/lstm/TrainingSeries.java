package dev.vigil.lstm;

import dev.vigil.BadConfigException;
import dev.vigil.ShapeMismatchException;

/** What {@link LstmTrainer} asks of a series before training on it. Stateless. */
final class TrainingSeries {
    private TrainingSeries() {
    }

    /**
     * Checks a training series' length, shape and finiteness for {@code config} and {@code training}.
     *
     * @return the number of training points: the series less its validation tail
     * @throws BadConfigException         when the series is too short for {@code bpttSteps}
     * @throws ShapeMismatchException     when a row or the normalisation has the wrong number of columns
     * @throws NonFiniteTrainingException when a reading or context input is not finite
     */
    static int check(LstmConfig config, TrainingConfig training, double[][] data, Normalisation norm) {
        int steps = training.bpttSteps();
        if (data == null || data.length < 2 * steps) {
            throw new BadConfigException("series length must be >= 2 * bpttSteps = " + 2 * steps + ", got "
                    + (data == null ? "null" : data.length));
        }
        int validation = (int) Math.max(1, Math.floor(training.validationFraction() * data.length));
        int train = data.length - validation;
        if (train < steps + 1) {
            throw new BadConfigException("training part (series minus validation tail of " + validation
                    + ") must be >= bpttSteps + 1 = " + (steps + 1) + ", got " + train);
        }
        int d = config.inputSize();
        int columns = d + config.contextSize();
        if (norm.size() != d) {
            throw new ShapeMismatchException("normalisation has " + norm.size() + " channels, expected " + d);
        }
        for (int t = 0; t < data.length; t++) {
            if (data[t] == null || data[t].length != columns) {
                throw new ShapeMismatchException("series[" + t + "] must have " + columns + " columns (" + d
                        + " channels, " + config.contextSize() + " context inputs), got "
                        + (data[t] == null ? "null" : data[t].length));
            }
            for (int k = d; k < columns; k++) {
                if (!Double.isFinite(data[t][k])) {
                    throw new NonFiniteTrainingException("series[" + t + "][" + k + "] = " + data[t][k]
                            + " is a context input that is not finite");
                }
            }
            for (int k = 0; k < d; k++) {
                if (!Double.isFinite(data[t][k]) || !Double.isFinite(norm.normalise(k, data[t][k]))) {
                    throw new NonFiniteTrainingException("series[" + t + "][" + k + "] = " + data[t][k]
                            + " is not finite (or not after normalisation); training needs finite readings");
                }
            }
        }
        return train;
    }
}
