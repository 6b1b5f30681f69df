package dev.vigil.lstm;

import dev.vigil.BadConfigException;
import dev.vigil.ShapeMismatchException;
import java.util.SplittableRandom;

/**
 * Trained parameters of a stacked LSTM forecaster, with the {@link Normalisation} its inputs were
 * trained in and its {@link TrainingInfo}. Immutable: parameters are copied in and never mutated,
 * so one model may be shared by any number of threads and {@link LstmStepper}s.
 *
 * <p>Per layer {@code l}: {@code W_l} ({@code 4H × (in_l + H)}, gate blocks i, f, g, o, columns
 * {@code [input; h]}) and {@code b_l} ({@code 4H}); head {@code Wy} ({@code d × H}) and
 * {@code by} ({@code d}). The equations are on {@link LstmStepper}. Besides the flat parameter
 * vector (layout in {@link ParameterLayout}) the model keeps the rows of each {@code W_l}ᵀ, built once,
 * so that the stepper's matrix-vector product runs over contiguous rows ({@link MatrixKernels}).
 */
public final class LstmModel {

    private final LstmConfig config;
    private final Normalisation normalisation;
    private final TrainingInfo info;
    private final ParameterLayout layout;
    private final double[] parameters;
    private final double[][][] stepWeights;

    /**
     * A model from a flat parameter vector in {@link ParameterLayout} order; {@code parameters} is
     * copied.
     *
     * @throws ShapeMismatchException when the vector length or normalisation size does not fit the config
     * @throws BadConfigException     when a parameter is not finite
     */
    LstmModel(LstmConfig config, Normalisation normalisation, TrainingInfo info, double[] parameters) {
        this(config, normalisation, info, parameters.clone(), null);
        for (int p = 0; p < this.parameters.length; p++) {
            if (!Double.isFinite(this.parameters[p])) {
                throw new BadConfigException("parameter " + p + " (" + layout.describe(p) + ") must be finite, got "
                        + this.parameters[p]);
            }
        }
    }

    /** Shares {@code parameters} and, when non-null, {@code stepWeights}; checks shapes only. */
    private LstmModel(LstmConfig config, Normalisation normalisation, TrainingInfo info, double[] parameters,
                      double[][][] stepWeights) {
        if (config == null || normalisation == null || info == null) {
            throw new BadConfigException("config, normalisation and info must not be null");
        }
        this.config = config;
        this.normalisation = normalisation;
        this.info = info;
        this.layout = new ParameterLayout(config);
        if (normalisation.size() != config.inputSize()) {
            throw new ShapeMismatchException("normalisation has " + normalisation.size()
                    + " channels, config inputSize is " + config.inputSize());
        }
        if (parameters.length != layout.size()) {
            throw new ShapeMismatchException("parameter vector must have length " + layout.size() + " for "
                    + config.shapeText() + ", got " + parameters.length);
        }
        this.parameters = parameters;
        if (stepWeights == null) {
            this.stepWeights = layout.newTransposedRows();
            layout.writeTransposedRows(parameters, this.stepWeights);
        } else {
            this.stepWeights = stepWeights;
        }
    }

    /**
     * A model that reads the trainer's live arrays: it changes whenever they do, so it must never
     * leave the trainer. {@code stepWeights} must hold {@code W_l}ᵀ of {@code parameters}.
     */
    static LstmModel wrapping(LstmConfig config, Normalisation normalisation, double[] parameters,
                              double[][][] stepWeights) {
        return new LstmModel(config, normalisation, TrainingInfo.untrained(0), parameters, stepWeights);
    }

    /**
     * Fresh parameters: every {@code W_l} and {@code Wy} uniform in {@code ±sqrt(6 / (fanIn + fanOut))}
     * (Glorot, per gate block: {@code fanIn = in_l + H}, {@code fanOut = H}; head: {@code H} and
     * {@code d}), biases 0 except the forget-gate block, which is {@code config.forgetBias()}.
     * Drawn from a {@link SplittableRandom} seeded with {@code seed}, so the same seed gives the same bits.
     */
    public static LstmModel initialise(LstmConfig config, Normalisation normalisation, long seed) {
        ParameterLayout layout = new ParameterLayout(config);
        SplittableRandom random = new SplittableRandom(seed);
        double[] p = new double[layout.size()];
        int h = layout.hiddenSize;
        for (int l = 0; l < layout.layers; l++) {
            int cols = layout.columns(l);
            fillUniform(p, layout.weightOffset(l), layout.gateRows() * cols, Math.sqrt(6.0 / (cols + h)), random);
            int forget = layout.biasOffset(l) + h;
            for (int j = 0; j < h; j++) {
                p[forget + j] = config.forgetBias();
            }
        }
        int d = layout.inputSize;
        fillUniform(p, layout.headWeightOffset(), d * h, Math.sqrt(6.0 / (h + d)), random);
        return new LstmModel(config, normalisation, TrainingInfo.untrained(seed), p);
    }

    /** Shapes and head mode. */
    public LstmConfig config() {
        return config;
    }

    /** The normalisation inputs must be in before {@link LstmStepper#step}. */
    public Normalisation normalisation() {
        return normalisation;
    }

    /** Training metadata. */
    public TrainingInfo info() {
        return info;
    }

    /** The same parameters (shared, not copied: both are immutable) with other metadata. */
    public LstmModel withInfo(TrainingInfo info) {
        return new LstmModel(config, normalisation, info, parameters, stepWeights);
    }

    /** Number of trainable parameters: {@code Σ_l 4H(in_l + H + 1) + dH + d}. */
    public int parameterCount() {
        return layout.size();
    }

    /** The live flat parameter vector in {@link ParameterLayout} order; callers must not modify it. */
    double[] parameters() {
        return parameters;
    }

    /** The live rows of {@code W_l}ᵀ, {@code (in_l + H)} arrays of {@code 4H}; callers must not modify them. */
    double[][] stepWeights(int layer) {
        return stepWeights[layer];
    }

    ParameterLayout layout() {
        return layout;
    }

    @Override
    public String toString() {
        return "LstmModel[" + config.shapeText() + " residual=" + config.residual() + " parameters="
                + layout.size() + " id=" + info.modelId() + " version=" + info.version() + "]";
    }

    private static void fillUniform(double[] p, int offset, int count, double limit, SplittableRandom random) {
        for (int j = 0; j < count; j++) {
            p[offset + j] = (2.0 * random.nextDouble() - 1.0) * limit;
        }
    }
}
