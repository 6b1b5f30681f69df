package dev.vigil.lstm;

import dev.vigil.BadConfigException;
import java.nio.charset.StandardCharsets;

/**
 * Training metadata carried by an {@link LstmModel} and its persisted form. Immutable.
 *
 * @param modelId        model identifier, at most {@link #MAX_MODEL_ID_BYTES} bytes of UTF-8
 * @param version        model version number, {@code >= 0} (0 for an untrained model)
 * @param seed           seed the model was initialised and trained with
 * @param epochs         epochs run by the trainer, {@code >= 0}
 * @param trainLoss      mean training MSE (normalised units) of the kept epoch; NaN when untrained
 * @param validationLoss validation MSE (normalised units) of the best epoch's parameters (before their rounding to half
 *                       precision); NaN when untrained
 * @param points         readings in the training series (training part plus validation tail)
 */
public record TrainingInfo(String modelId, long version, long seed, int epochs, double trainLoss,
                           double validationLoss, int points) {

    /** Longest model id, in UTF-8 bytes. */
    public static final int MAX_MODEL_ID_BYTES = 1024;
    /** Model id of {@link #untrained(long)}. */
    public static final String UNTRAINED_ID = "untrained";

    public TrainingInfo {
        if (modelId == null) {
            throw new BadConfigException("modelId must not be null");
        }
        int bytes = modelId.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_MODEL_ID_BYTES) {
            throw new BadConfigException("modelId must be <= " + MAX_MODEL_ID_BYTES + " UTF-8 bytes, got " + bytes);
        }
        if (version < 0) {
            throw new BadConfigException("version must be >= 0, got " + version);
        }
        if (epochs < 0) {
            throw new BadConfigException("epochs must be >= 0, got " + epochs);
        }
        checkLoss("trainLoss", trainLoss);
        checkLoss("validationLoss", validationLoss);
        if (points < 0) {
            throw new BadConfigException("points must be >= 0, got " + points);
        }
    }

    /** Info of a freshly initialised model: id "untrained", version 0, no epochs, NaN losses. */
    public static TrainingInfo untrained(long seed) {
        return new TrainingInfo(UNTRAINED_ID, 0, seed, 0, Double.NaN, Double.NaN, 0);
    }

    private static void checkLoss(String name, double loss) {
        if (loss < 0 || loss == Double.POSITIVE_INFINITY) {
            throw new BadConfigException(name + " must be a finite value >= 0 or NaN, got " + loss);
        }
    }
}
