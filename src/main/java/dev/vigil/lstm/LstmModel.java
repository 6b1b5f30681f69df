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
 * {@code by} ({@code d}). The equations are on {@link LstmStepper}. The model holds one float32 copy of
 * its parameters, laid out for the step: the flat vector of {@link ParameterLayout} (each {@code W_l}ᵀ
 * row-major) cut into its rows ({@link ParameterLayout#newRows}), allocated one after the other, so that a
 * key's step streams through about 18 KB at the default H=32 in loops the JIT vectorises (on JDK 17 it
 * vectorises loops over whole arrays indexed from 0, not over one array at several offsets). A model whose parameters
 * are all half-precision values (what training makes: {@link HalfPrecision#round}) keeps them in 16-bit rows instead
 * where the JDK widens those in vector instructions ({@link HalfPrecision#VECTORISED}): about 9 KB a step streams, the
 * same values, so the same bits.
 */
public final class LstmModel {

    private final LstmConfig config;
    private final Normalisation normalisation;
    private final TrainingInfo info;
    private final ParameterLayout layout;
    /** The rows in float, or null when the model holds them in {@link #halves}. */
    private final float[][] rows;
    /** The same rows as binary16 bits ({@link HalfPrecision}), or null when the model holds float rows. */
    private final short[][] halves;

    /**
     * A model from a flat parameter vector in {@link ParameterLayout} order; {@code parameters} is
     * copied.
     *
     * @throws ShapeMismatchException when the vector length or normalisation size does not fit the config
     * @throws BadConfigException     when a parameter is not finite
     */
    LstmModel(LstmConfig config, Normalisation normalisation, TrainingInfo info, float[] parameters) {
        this(config, normalisation, info, checkedRows(config, parameters), HalfPrecision.VECTORISED);
    }

    /**
     * Holds {@code rows} (in {@link ParameterLayout#newRows} shape, shared), or with {@code half} their binary16 form
     * when every value is a half-precision one; checks the normalisation only.
     */
    private LstmModel(LstmConfig config, Normalisation normalisation, TrainingInfo info, float[][] rows, boolean half) {
        this(config, normalisation, info, rows, half ? HalfPrecision.bitsIfExact(rows) : null);
    }

    /** Shares {@code halves} if not null, else {@code rows}; checks the normalisation only. */
    private LstmModel(LstmConfig config, Normalisation normalisation, TrainingInfo info, float[][] rows,
                      short[][] halves) {
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
        this.rows = halves == null ? rows : null;
        this.halves = halves;
    }

    /** {@code parameters} cut into rows, after checking their count and finiteness. */
    private static float[][] checkedRows(LstmConfig config, float[] parameters) {
        if (config == null) {
            throw new BadConfigException("config, normalisation and info must not be null");
        }
        ParameterLayout layout = new ParameterLayout(config);
        if (parameters.length != layout.size()) {
            throw new ShapeMismatchException("parameter vector must have length " + layout.size() + " for "
                    + config.shapeText() + ", got " + parameters.length);
        }
        for (int p = 0; p < parameters.length; p++) {
            if (!Float.isFinite(parameters[p])) {
                throw new BadConfigException("parameter " + p + " (" + layout.describe(p) + ") must be finite, got "
                        + parameters[p]);
            }
        }
        float[][] rows = layout.newRows();
        layout.writeRows(parameters, rows);
        return rows;
    }

    /**
     * A model that reads the trainer's live arrays: it changes whenever they do, so it must never
     * leave the trainer.
     */
    static LstmModel wrapping(LstmConfig config, Normalisation normalisation, float[][] rows) {
        return new LstmModel(config, normalisation, TrainingInfo.untrained(0), rows, (short[][]) null);
    }

    /**
     * Fresh parameters: every {@code W_l} and {@code Wy} uniform in {@code ±sqrt(6 / (fanIn + fanOut))}
     * (Glorot, per gate block: {@code fanIn = in_l + H}, {@code fanOut = H}; head: {@code H} and
     * {@code d}), biases 0 except the forget-gate block, which is {@code config.forgetBias()}.
     * Drawn from a {@link SplittableRandom} seeded with {@code seed} in the row-major order of {@code W_l} (as
     * before the float32 layout, so a seed draws the same values) and rounded to float; the same seed gives the
     * same bits.
     */
    public static LstmModel initialise(LstmConfig config, Normalisation normalisation, long seed) {
        ParameterLayout layout = new ParameterLayout(config);
        SplittableRandom random = new SplittableRandom(seed);
        float[] p = new float[layout.size()];
        int h = layout.hiddenSize;
        for (int l = 0; l < layout.layers; l++) {
            int cols = layout.columns(l);
            double limit = Math.sqrt(6.0 / (cols + h));
            for (int r = 0; r < layout.gateRows(); r++) {
                for (int c = 0; c < cols; c++) {
                    p[layout.weightIndex(l, r, c)] = (float) ((2.0 * random.nextDouble() - 1.0) * limit);
                }
            }
            int forget = layout.biasOffset(l) + h;
            for (int j = 0; j < h; j++) {
                p[forget + j] = (float) config.forgetBias();
            }
        }
        int d = layout.inputSize;
        double limit = Math.sqrt(6.0 / (h + d));
        for (int j = 0; j < d * h; j++) {
            p[layout.headWeightOffset() + j] = (float) ((2.0 * random.nextDouble() - 1.0) * limit);
        }
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
        return new LstmModel(config, normalisation, info, rows, halves);
    }

    /**
     * The same model with every parameter rounded to the nearest half-precision value ({@link HalfPrecision#round}), as
     * training leaves them: what a trained model costs, for measurements of an untrained one.
     */
    public LstmModel roundedToHalfPrecision() {
        float[] p = parameters();
        HalfPrecision.roundAll(p);
        return new LstmModel(config, normalisation, info, p);
    }

    /**
     * The same model holding its rows in binary16 whatever the JDK, when its parameters are all half-precision values
     * (else float rows, as this one): for tests of the half-precision step on any JDK.
     */
    LstmModel withHalfRowsIfExact() {
        return new LstmModel(config, normalisation, info, rows(), true);
    }

    /** Heap bytes of the parameters as this model holds them: 2 a parameter in 16-bit rows, else 4. */
    public long parameterBytes() {
        return (halves != null ? (long) Short.BYTES : Float.BYTES) * layout.size();
    }

    /** Number of trainable parameters: {@code Σ_l 4H(in_l + H + 1) + dH + d}. */
    public int parameterCount() {
        return layout.size();
    }

    /** A fresh copy of the flat parameter vector in {@link ParameterLayout} order. */
    float[] parameters() {
        float[] flat = new float[layout.size()];
        layout.readRows(rows(), flat);
        return flat;
    }

    /**
     * The rows of the parameters ({@link ParameterLayout#newRows}): the live ones, or widened from {@link #halves} (a
     * fresh copy); callers must not modify them.
     */
    float[][] rows() {
        return rows != null ? rows : HalfPrecision.widen(halves);
    }

    /** The rows as binary16 bits (same shape), or null when the model holds float rows ({@link #rows}). */
    short[][] halves() {
        return halves;
    }

    ParameterLayout layout() {
        return layout;
    }

    @Override
    public String toString() {
        return "LstmModel[" + config.shapeText() + " residual=" + config.residual() + " parameters="
                + layout.size() + " id=" + info.modelId() + " version=" + info.version() + "]";
    }
}
