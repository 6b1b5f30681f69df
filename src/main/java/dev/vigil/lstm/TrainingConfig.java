package dev.vigil.lstm;

import dev.vigil.BadConfigException;

/**
 * How {@link LstmTrainer} trains: truncated backpropagation through time on minibatches of
 * subsequences, Adam, global gradient-norm clipping and early stopping on a held-back validation
 * tail. Immutable; single-field checks in the compact constructor throw {@link BadConfigException}.
 * Cross-field checks against a {@link LstmConfig} (workspace size) happen in the trainer.
 *
 * @param maxEpochs          upper bound on epochs; an epoch is
 *                           {@code ceil(trainPoints / (batchSize * bpttSteps))} minibatches (at least
 *                           one); range 1..100000, default 15
 * @param batchSize          subsequences per minibatch, each starting at a seeded random offset with
 *                           zero hidden state; range 1..4096, default 8
 * @param bpttSteps          subsequence length, i.e. how many steps gradients flow back in time;
 *                           range 1..4096, default 32
 * @param learningRate       Adam step size (normalised units); range (0, 1], default 0.01
 * @param clipNorm           the whole gradient is rescaled to this L2 norm when its norm is larger;
 *                           {@code > 0}, {@code Double.POSITIVE_INFINITY} disables clipping; default 1.0
 * @param validationFraction share of the series, taken from its end, that is never trained on and
 *                           scores each epoch; range (0, 0.9], default 0.2
 * @param patience           stop after this many consecutive epochs without a lower validation loss;
 *                           range 1..100000, default 5
 * @param fineTuneEpochs     epochs of a retraining that starts from the model in force instead of fresh weights,
 *                           when that model has the shape the window calls for and the window's readings still fit
 *                           its normalisation (the retraining service's choice, {@code ModelTrainer}; the trainer
 *                           itself runs {@code maxEpochs}); 0 = every training starts afresh; range 0..100000,
 *                           default 5
 * @param levelJitter        each training subsequence's readings (inputs and targets alike, not the calendar inputs)
 *                           are shifted by a seeded draw from {@code [-levelJitter, levelJitter]} in the window's
 *                           normalised units (its robust standard deviation), so the network learns its series' shape
 *                           at levels around the window's and follows a level that moves (a trend, a wander) instead
 *                           of pulling its predictions back to the levels it was trained at; 0 = off (every
 *                           subsequence as it is, trained bit for bit as without the setting); range [0, 10],
 *                           default 0
 */
public record TrainingConfig(int maxEpochs, int batchSize, int bpttSteps, double learningRate,
                             double clipNorm, double validationFraction, int patience, int fineTuneEpochs,
                             double levelJitter) {

    /** Upper bound of {@code maxEpochs} and {@code patience}. */
    public static final int MAX_EPOCHS = 100_000;
    /** Upper bound of {@code batchSize} and {@code bpttSteps}. */
    public static final int MAX_BATCH_OR_STEPS = 4096;
    /** Upper bound of {@code validationFraction}. */
    public static final double MAX_VALIDATION_FRACTION = 0.9;
    /** Upper bound of {@code levelJitter}. */
    public static final double MAX_LEVEL_JITTER = 10;

    public TrainingConfig {
        checkRange("maxEpochs", maxEpochs, MAX_EPOCHS);
        checkRange("batchSize", batchSize, MAX_BATCH_OR_STEPS);
        checkRange("bpttSteps", bpttSteps, MAX_BATCH_OR_STEPS);
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new BadConfigException("learningRate must be in (0, 1], got " + learningRate);
        }
        if (!(clipNorm > 0)) {
            throw new BadConfigException("clipNorm must be > 0 (or Infinity for no clipping), got " + clipNorm);
        }
        if (!(validationFraction > 0 && validationFraction <= MAX_VALIDATION_FRACTION)) {
            throw new BadConfigException("validationFraction must be in (0, " + MAX_VALIDATION_FRACTION
                    + "], got " + validationFraction);
        }
        checkRange("patience", patience, MAX_EPOCHS);
        if (fineTuneEpochs < 0 || fineTuneEpochs > MAX_EPOCHS) {
            throw new BadConfigException("fineTuneEpochs must be in [0, " + MAX_EPOCHS + "], got " + fineTuneEpochs);
        }
        if (!(levelJitter >= 0 && levelJitter <= MAX_LEVEL_JITTER)) {
            throw new BadConfigException("levelJitter must be in [0, " + (int) MAX_LEVEL_JITTER + "], got "
                    + levelJitter);
        }
    }

    /** The optimiser's settings without level jitter. */
    public TrainingConfig(int maxEpochs, int batchSize, int bpttSteps, double learningRate, double clipNorm,
                          double validationFraction, int patience, int fineTuneEpochs) {
        this(maxEpochs, batchSize, bpttSteps, learningRate, clipNorm, validationFraction, patience, fineTuneEpochs, 0);
    }

    /** The optimiser's settings without fine-tuning: every training starts from fresh weights. */
    public TrainingConfig(int maxEpochs, int batchSize, int bpttSteps, double learningRate, double clipNorm,
                          double validationFraction, int patience) {
        this(maxEpochs, batchSize, bpttSteps, learningRate, clipNorm, validationFraction, patience, 0, 0);
    }

    /**
     * maxEpochs 15, batchSize 8, bpttSteps 32, learningRate 0.01, clipNorm 1.0, validationFraction 0.2, patience 5,
     * fineTuneEpochs 5, levelJitter 0. Small batches because the series are short: on 3000 points an epoch is then ten
     * Adam steps rather than two, which is what lets a model learn within 15 epochs (20 until 2026-12-03: the same NAB
     * and synthetic figures within the seed noise, a quarter less work per retraining). A retraining that fine-tunes
     * the model in force runs 5 epochs (2026-12-04: the same NAB and synthetic figures within the seed noise, at a
     * fraction of the work; docs/detection-quality.md). Level jitter is off: it halves the false alarms of trending and
     * wandering sensors but costs in-range pattern breaks their catches (docs/tuning.md).
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(15, 8, 32, 0.01, 1.0, 0.2, 5, 5, 0);
    }

    private static void checkRange(String name, int value, int max) {
        if (value <= 0) {
            throw new BadConfigException(name + " must be > 0, got " + value);
        }
        if (value > max) {
            throw new BadConfigException(name + " must be <= " + max + ", got " + value);
        }
    }
}
