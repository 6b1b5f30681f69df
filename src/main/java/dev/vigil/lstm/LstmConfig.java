package dev.vigil.lstm;

import dev.vigil.BadConfigException;

/**
 * Shape of a stacked LSTM forecaster. Immutable; single-field checks in the compact constructor
 * throw {@link BadConfigException} with messages such as {@code hiddenSize must be > 0, got -3}.
 *
 * <p>Layer 0 reads the {@code inputSize} normalised channels followed by {@code contextSize} context
 * inputs (features of the event time that the network is given but does not predict, such as the time of
 * day), layer {@code l > 0} reads the hidden vector of layer {@code l - 1}; a linear head maps the top
 * hidden vector back to {@code inputSize} channels. With {@code residual = true} the prediction is
 * {@code x_t + head(h_t)} (the head learns the change to the next reading), otherwise it is {@code head(h_t)}.
 *
 * @param inputSize  channels per reading, {@code d}; range 1..64, default 1
 * @param hiddenSize hidden and cell units per layer, {@code H}; range 1..1024, default 32
 * @param layers     stacked LSTM layers; range 1..4, default 1
 * @param forgetBias initial bias of the forget gate (a positive value keeps memory early in
 *                   training); any finite value, default 1.0
 * @param residual   whether the head predicts the change {@code x_{t+1} - x_t} (true) or the
 *                   next reading itself (false); default true
 * @param contextSize extra inputs per step, read but not predicted; range 0..{@value #MAX_CONTEXT_SIZE},
 *                    default 0. In a topology's or detector's config it is the most a model may use; each
 *                    model's own config says how many it does use
 * @param dayHarmonics how many (sin, cos) pairs of the day's phase the calendar inputs give, its multiples 1 to
 *                    this ({@code dev.vigil.detect.CalendarInputs}); range 1..{@value #MAX_DAY_HARMONICS},
 *                    default 1 (4 in {@link #defaults()}). More lets the network time jobs that run several times
 *                    a day. In a topology's or detector's config it is the most a model may read; each model's own
 *                    config says how many it does
 */
public record LstmConfig(int inputSize, int hiddenSize, int layers, double forgetBias, boolean residual,
                         int contextSize, int dayHarmonics) {

    /** Largest supported {@code inputSize}. */
    public static final int MAX_INPUT_SIZE = 64;
    /** Largest supported {@code hiddenSize}. */
    public static final int MAX_HIDDEN_SIZE = 1024;
    /** Largest supported number of {@code layers}. */
    public static final int MAX_LAYERS = 4;
    /** Largest supported {@code dayHarmonics}. */
    public static final int MAX_DAY_HARMONICS = 4;
    /** Largest supported {@code contextSize}: every day harmonic and the week's phase. */
    public static final int MAX_CONTEXT_SIZE = 2 * MAX_DAY_HARMONICS + 2;

    public LstmConfig {
        checkRange("inputSize", inputSize, MAX_INPUT_SIZE);
        checkRange("hiddenSize", hiddenSize, MAX_HIDDEN_SIZE);
        checkRange("layers", layers, MAX_LAYERS);
        if (!Double.isFinite(forgetBias)) {
            throw new BadConfigException("forgetBias must be finite, got " + forgetBias);
        }
        if (contextSize < 0 || contextSize > MAX_CONTEXT_SIZE) {
            throw new BadConfigException("contextSize must be in [0, " + MAX_CONTEXT_SIZE + "], got " + contextSize);
        }
        checkRange("dayHarmonics", dayHarmonics, MAX_DAY_HARMONICS);
    }

    /** A network without context inputs. */
    public LstmConfig(int inputSize, int hiddenSize, int layers, double forgetBias, boolean residual) {
        this(inputSize, hiddenSize, layers, forgetBias, residual, 0);
    }

    /** A network whose calendar inputs, if any, give the day's phase alone ({@code dayHarmonics} 1). */
    public LstmConfig(int inputSize, int hiddenSize, int layers, double forgetBias, boolean residual,
                      int contextSize) {
        this(inputSize, hiddenSize, layers, forgetBias, residual, contextSize, 1);
    }

    /**
     * inputSize 1, hiddenSize 32, layers 1, forgetBias 1.0, residual false, contextSize 8 (the time of day as a
     * sin/cos pair of its phase and of each multiple up to the fourth: {@code lstm.calendar = day}, dayHarmonics 4;
     * a model reads the multiples only where its window's readings keep a schedule sharper than one cycle a day,
     * {@code dev.vigil.detect.CalendarInputs#harmonicsFor}). A head that predicts the reading itself, not its
     * change, lets the time of day set the level, so an in-range break of a daily pattern becomes a prediction error
     * (docs/detection-quality.md).
     */
    public static LstmConfig defaults() {
        return new LstmConfig(1, 32, 1, 1.0, false, 8, 4);
    }

    /** A copy with {@code inputSize = d}. */
    public LstmConfig withInputSize(int d) {
        return new LstmConfig(d, hiddenSize, layers, forgetBias, residual, contextSize, dayHarmonics);
    }

    /** A copy with {@code contextSize = k}. */
    public LstmConfig withContextSize(int k) {
        return new LstmConfig(inputSize, hiddenSize, layers, forgetBias, residual, k, dayHarmonics);
    }

    /** A copy with {@code dayHarmonics = h}. */
    public LstmConfig withDayHarmonics(int h) {
        return new LstmConfig(inputSize, hiddenSize, layers, forgetBias, residual, contextSize, h);
    }

    /**
     * Whether {@code other} has the same input size, hidden size, layer count and context inputs (their number and,
     * when there are any, the day's harmonics).
     */
    boolean sameShape(LstmConfig other) {
        return fits(other) && other.contextSize == contextSize
                && (contextSize == 0 || other.dayHarmonics == dayHarmonics);
    }

    /**
     * Whether a trainer of this config can start from a model of config {@code model}: the same shape
     * ({@link #sameShape}) and head (residual or not).
     */
    public boolean trainsFrom(LstmConfig model) {
        return sameShape(model) && model.residual == residual;
    }

    /**
     * Whether a model of shape {@code model} can run where this config's shape is expected: the same input size,
     * hidden size and layer count, and at most this config's context inputs.
     */
    public boolean fits(LstmConfig model) {
        return model.inputSize == inputSize && model.hiddenSize == hiddenSize && model.layers == layers
                && model.contextSize <= contextSize;
    }

    /**
     * {@code "d=3 H=32 layers=2"} (and {@code " context=2"} when there are context inputs, {@code " dayHarmonics=4"}
     * when they give more than the day's phase), for messages.
     */
    public String shapeText() {
        return "d=" + inputSize + " H=" + hiddenSize + " layers=" + layers
                + (contextSize > 0 ? " context=" + contextSize : "")
                + (contextSize > 0 && dayHarmonics > 1 ? " dayHarmonics=" + dayHarmonics : "");
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
