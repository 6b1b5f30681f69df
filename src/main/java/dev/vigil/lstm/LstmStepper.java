package dev.vigil.lstm;

import dev.vigil.ShapeMismatchException;

/**
 * One timestep of the stacked LSTM forecaster. For each layer {@code l}, with input {@code x}
 * (layer 0: the normalised reading followed by the model's context inputs; above: {@code h} of the layer
 * below, already at time t):
 *
 * <pre>
 *   i = σ(W_i·[x;h] + b_i)    f = σ(W_f·[x;h] + b_f)
 *   g = tanh(W_g·[x;h] + b_g) o = σ(W_o·[x;h] + b_o)
 *   c ← f⊙c + i⊙g             h ← o⊙tanh(c)
 * </pre>
 *
 * then {@code ŷ = Wy·h_top + by}, plus the reading part of {@code x_t} when {@code config.residual()}. Shapes:
 * {@code x}: {@code d + k}; {@code ŷ}: {@code d}; {@code h}, {@code c}: {@code H}; {@code W_l}:
 * {@code 4H × (in_l + H)}. A stepper runs models of its config's shape with up to its config's {@code k}
 * context inputs ({@link LstmConfig#fits}).
 *
 * <p>Holds its own workspace, allocated once; {@link #step} allocates nothing. Not thread-safe: use
 * one stepper per thread (models are shared freely). Deterministic: the same model, state and input
 * give the same bits on every JVM and CPU ({@link Activations} explains why).
 */
public final class LstmStepper {

    /**
     * Inputs are clamped to {@code ±INPUT_LIMIT} (normalised units) before they enter the network, so that float
     * products cannot overflow; every gate saturates long before. The residual adds the unclamped reading.
     */
    static final double INPUT_LIMIT = 1e6;

    private final LstmConfig config;
    private final int hiddenSize;
    /** {@code [input; h]} of the current layer. */
    private final float[] concat;
    /** Pre-activations, then activations, of the gates i, f, g, o ({@code 4H}). */
    private final float[] gates;
    /** The activated gates i, f, g, o, each from index 0 ({@link Activations#split}). */
    private final float[][] parts;
    /** {@link Activations#gateCoefficients} of the hidden size. */
    private final float[][] activation;

    /** A stepper for models and states of {@code config}'s shape. */
    public LstmStepper(LstmConfig config) {
        this.config = config;
        this.hiddenSize = config.hiddenSize();
        this.concat = new float[Math.max(config.inputSize() + config.contextSize(), hiddenSize) + hiddenSize];
        this.gates = new float[ParameterLayout.GATES * hiddenSize];
        this.parts = new float[ParameterLayout.GATES][hiddenSize];
        this.activation = Activations.gateCoefficients(hiddenSize);
    }

    /**
     * Advances {@code state} from {@code t-1} to {@code t} with input {@code x = x_t} and writes the
     * normalised one-step forecast of {@code x_{t+1}} into {@code prediction}. The arithmetic is float32:
     * {@code x} is clamped ({@link #INPUT_LIMIT}) and rounded to float, and the state's {@code h}, {@code c} are
     * advanced in place; the residual adds {@code x} in double.
     *
     * @param model      parameters; shape must match this stepper's config (not modified)
     * @param state      {@code h}, {@code c} per layer; modified in place
     * @param x          normalised reading followed by the model's context inputs, length {@code d + k}; not
     *                   modified
     * @param prediction output, length {@code d}; overwritten
     * @throws ShapeMismatchException when the model, state or arrays do not match the config's shape
     */
    public void step(LstmModel model, LstmState state, double[] x, double[] prediction) {
        checkShapes(model, state, x, prediction);
        advance(model, state.hiddens(), state.cells(), x, prediction);
    }

    /**
     * {@link #step} on a state given by its vectors ({@code h[l]}, {@code c[l]}, advanced in place), for a caller
     * that keeps its own state and has checked the shapes once (the trainer's validation pass). The same arithmetic,
     * so the same bits.
     */
    void advance(LstmModel model, float[][] h, float[][] c, double[] x, double[] prediction) {
        ParameterLayout layout = model.layout();
        short[][] halves = model.halves();
        float[][] rows = halves == null ? model.rows() : null;
        int n = hiddenSize;
        int in = layout.layerInputSize(0);
        for (int k = 0; k < in; k++) {
            concat[k] = (float) Math.max(-INPUT_LIMIT, Math.min(INPUT_LIMIT, x[k]));
        }
        for (int l = 0; l < layout.layers; l++) {
            float[] cell = c[l];
            System.arraycopy(h[l], 0, concat, in, n);
            // z = b + Σ_col [x;h]_col · Wᵀ[col], over contiguous rows of Wᵀ
            if (halves == null) {
                gateProducts(rows, layout.layerRow(l), in + n);
            } else {
                gateProducts(halves, layout.layerRow(l), in + n);
            }
            // i, f, o = σ(z); g = tanh(z); c ← f⊙c + i⊙g; h ← o⊙tanh(c)
            CellKernels.gatesAndCell(gates, activation, parts, n, cell, cell);
            CellKernels.hidden(n, parts[3], cell, concat);
            System.arraycopy(concat, 0, h[l], 0, n);
            in = n;
        }
        if (halves == null) {
            predict(layout, rows, x, model.config().residual(), prediction);
        } else {
            predict(layout, halves, x, model.config().residual(), prediction);
        }
    }

    /**
     * {@code gates = b + Σ_{col < cols} concat[col] · Wᵀ[col]}, four columns at a time (the last one to three in one
     * pass, {@link MatrixKernels#tail}), with {@code Wᵀ[col]} at {@code rows[first + col]} and {@code b} at
     * {@code rows[first + cols]}.
     */
    private void gateProducts(float[][] rows, int first, int cols) {
        float[] z = gates;
        int n = z.length;
        System.arraycopy(rows[first + cols], 0, z, 0, n);
        int col = 0;
        for (; col + 3 < cols; col += 4) {
            float a0 = concat[col];
            float a1 = concat[col + 1];
            float a2 = concat[col + 2];
            float a3 = concat[col + 3];
            float[] w0 = rows[first + col];
            float[] w1 = rows[first + col + 1];
            float[] w2 = rows[first + col + 2];
            float[] w3 = rows[first + col + 3];
            for (int j = 0; j < n; j++) {
                z[j] += a0 * w0[j] + a1 * w1[j] + a2 * w2[j] + a3 * w3[j];
            }
        }
        MatrixKernels.tail(n, cols - col, concat, col, rows, first + col, z);
    }

    /**
     * {@link #gateProducts(float[][], int, int)} over binary16 rows ({@link HalfPrecision}), each weight widened to the
     * float it stands for: the same operations on the same values, so the same bits.
     */
    private void gateProducts(short[][] rows, int first, int cols) {
        float[] z = gates;
        int n = z.length;
        short[] bias = rows[first + cols];
        for (int j = 0; j < n; j++) {
            z[j] = HalfPrecision.widen(bias[j]);
        }
        int col = 0;
        for (; col + 3 < cols; col += 4) {
            float a0 = concat[col];
            float a1 = concat[col + 1];
            float a2 = concat[col + 2];
            float a3 = concat[col + 3];
            short[] w0 = rows[first + col];
            short[] w1 = rows[first + col + 1];
            short[] w2 = rows[first + col + 2];
            short[] w3 = rows[first + col + 3];
            for (int j = 0; j < n; j++) {
                z[j] += a0 * HalfPrecision.widen(w0[j]) + a1 * HalfPrecision.widen(w1[j])
                        + a2 * HalfPrecision.widen(w2[j]) + a3 * HalfPrecision.widen(w3[j]);
            }
        }
        // the last one to three columns as MatrixKernels.tail adds them
        int left = cols - col;
        if (left == 3) {
            float a0 = concat[col];
            float a1 = concat[col + 1];
            float a2 = concat[col + 2];
            short[] w0 = rows[first + col];
            short[] w1 = rows[first + col + 1];
            short[] w2 = rows[first + col + 2];
            for (int j = 0; j < n; j++) {
                z[j] = ((z[j] + a0 * HalfPrecision.widen(w0[j])) + a1 * HalfPrecision.widen(w1[j]))
                        + a2 * HalfPrecision.widen(w2[j]);
            }
        } else if (left == 2) {
            float a0 = concat[col];
            float a1 = concat[col + 1];
            short[] w0 = rows[first + col];
            short[] w1 = rows[first + col + 1];
            for (int j = 0; j < n; j++) {
                z[j] = (z[j] + a0 * HalfPrecision.widen(w0[j])) + a1 * HalfPrecision.widen(w1[j]);
            }
        } else if (left == 1) {
            float a0 = concat[col];
            short[] w0 = rows[first + col];
            for (int j = 0; j < n; j++) {
                z[j] += a0 * HalfPrecision.widen(w0[j]);
            }
        }
    }

    /** {@link #predict(ParameterLayout, float[][], double[], boolean, double[])} over binary16 rows. */
    private void predict(ParameterLayout layout, short[][] rows, double[] x, boolean residual, double[] prediction) {
        int d = layout.inputSize;
        int head = layout.headRow();
        short[] by = rows[head + d];
        for (int k = 0; k < d; k++) {
            short[] wy = rows[head + k];
            float sum = 0;
            for (int j = 0; j < hiddenSize; j++) {
                sum += HalfPrecision.widen(wy[j]) * concat[j];
            }
            sum += HalfPrecision.widen(by[k]);
            prediction[k] = residual ? sum + x[k] : sum;
        }
    }

    /** {@code ŷ = Wy·h + by (+ x)}, with {@code h} (the top layer's) at the start of {@code concat}. */
    private void predict(ParameterLayout layout, float[][] rows, double[] x, boolean residual, double[] prediction) {
        int d = layout.inputSize;
        int head = layout.headRow();
        float[] by = rows[head + d];
        for (int k = 0; k < d; k++) {
            float[] wy = rows[head + k];
            float sum = 0;
            for (int j = 0; j < hiddenSize; j++) {
                sum += wy[j] * concat[j];
            }
            sum += by[k];
            prediction[k] = residual ? sum + x[k] : sum;
        }
    }

    private void checkShapes(LstmModel model, LstmState state, double[] x, double[] prediction) {
        if (!config.fits(model.config())) {
            throw new ShapeMismatchException("model shape " + model.config().shapeText()
                    + " does not match stepper shape " + config.shapeText());
        }
        if (state.layers() != config.layers() || state.hiddenSize() != hiddenSize) {
            throw new ShapeMismatchException("state shape " + state.layers() + "x" + state.hiddenSize()
                    + " does not match " + config.layers() + "x" + hiddenSize + " (layers x hiddenSize)");
        }
        int k = model.config().contextSize();
        if (x.length != config.inputSize() + k || prediction.length != config.inputSize()) {
            throw new ShapeMismatchException("x and prediction must have lengths " + (config.inputSize() + k) + " and "
                    + config.inputSize() + ", got " + x.length + " and " + prediction.length);
        }
    }
}
