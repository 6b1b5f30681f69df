package dev.vigil.train;

import dev.vigil.BadConfigException;
import dev.vigil.lstm.TrainingConfig;

/**
 * When and on what a key's model is (re)trained. Immutable.
 *
 * @param historySize      readings kept per key (the window training and re-warming read); range 64..1,000,000,
 *                         default 2000
 * @param minTrainPoints   readings the window must hold before the first training; range 32..historySize,
 *                         default 300
 * @param retrainInterval  accepted events between trainings once a model exists; range 1..100,000,000,
 *                         default 1000
 * @param requireImprovement publish a retrained model only if it beats the current one on the validation tail
 *                         of the same window; default true
 * @param seed             base seed; a training's seed is derived from it, the model id and the version, so
 *                         replays are reproducible; default 42
 * @param training         the optimiser's settings ({@link TrainingConfig})
 */
public record RetrainConfig(int historySize, int minTrainPoints, int retrainInterval, boolean requireImprovement,
                            long seed, TrainingConfig training) {

    public static RetrainConfig defaults() {
        return new RetrainConfig(2000, 300, 1000, true, 42L, TrainingConfig.defaults());
    }

    public RetrainConfig {
        if (historySize < 64 || historySize > 1_000_000) {
            throw new BadConfigException("historySize must be in [64, 1000000], got " + historySize);
        }
        if (minTrainPoints < 32 || minTrainPoints > historySize) {
            throw new BadConfigException("minTrainPoints must be in [32, historySize=" + historySize + "], got "
                    + minTrainPoints);
        }
        if (retrainInterval < 1 || retrainInterval > 100_000_000) {
            throw new BadConfigException("retrainInterval must be in [1, 100000000], got " + retrainInterval);
        }
        if (training == null) {
            throw new BadConfigException("training settings are required");
        }
    }
}
