package dev.vigil.lstm;

import dev.vigil.BadConfigException;

/**
 * Shape of a stacked LSTM forecaster. Immutable; single-field checks in the compact constructor
 * throw {@link BadConfigException} with messages such as {@code hiddenSize must be > 0, got -3}.
 *
 * <p>Layer 0 reads the {@code inputSize} normalised channels, layer {@code l > 0} reads the hidden
 * vector of layer {@code l - 1}; a linear head maps the top hidden vector back to {@code inputSize}
 * channels. With {@code residual = true} the prediction is {@code x_t + head(h_t)} (the head learns
 * the change to the next reading), otherwise it is {@code head(h_t)}.
 *
 * @param inputSize  channels per reading, {@code d}; range 1..64, default 1
 * @param hiddenSize hidden and cell units per layer, {@code H}; range 1..1024, default 32
 * @param layers     stacked LSTM layers; range 1..4, default 1
 * @param forgetBias initial bias of the forget gate (a positive value keeps memory early in
 *                   training); any finite value, default 1.0
 * @param residual   whether the head predicts the change {@code x_{t+1} - x_t} (true) or the
 *                   next reading itself (false); default true
 */
public record LstmConfig(int inputSize, int hiddenSize, int layers, double forgetBias, boolean residual) {

    /** Largest supported {@code inputSize}. */
    public static final int MAX_INPUT_SIZE = 64;
    /** Largest supported {@code hiddenSize}. */
    public static final int MAX_HIDDEN_SIZE = 1024;
    /** Largest supported number of {@code layers}. */
    public static final int MAX_LAYERS = 4;

    public LstmConfig {
        checkRange("inputSize", inputSize, MAX_INPUT_SIZE);
        checkRange("hiddenSize", hiddenSize, MAX_HIDDEN_SIZE);
        checkRange("layers", layers, MAX_LAYERS);
        if (!Double.isFinite(forgetBias)) {
            throw new BadConfigException("forgetBias must be finite, got " + forgetBias);
        }
    }

    /** inputSize 1, hiddenSize 32, layers 1, forgetBias 1.0, residual true. */
    public static LstmConfig defaults() {
        return new LstmConfig(1, 32, 1, 1.0, true);
    }

    /** A copy with {@code inputSize = d}. */
    public LstmConfig withInputSize(int d) {
        return new LstmConfig(d, hiddenSize, layers, forgetBias, residual);
    }

    /** Whether {@code other} has the same input size, hidden size and layer count. */
    boolean sameShape(LstmConfig other) {
        return other.inputSize == inputSize && other.hiddenSize == hiddenSize && other.layers == layers;
    }

    /** {@code "d=3 H=32 layers=2"}, for messages. */
    String shapeText() {
        return "d=" + inputSize + " H=" + hiddenSize + " layers=" + layers;
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
