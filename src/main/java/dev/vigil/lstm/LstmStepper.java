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

    private final LstmConfig config;
    private final int hiddenSize;
    /** {@code [input; h]} of the current layer, as a one-row matrix for {@link MatrixKernels}. */
    private final double[][] concat;
    /** Pre-activations of the gates i, f, g, o ({@code 4H}), as a one-row matrix. */
    private final double[][] gates;

    /** A stepper for models and states of {@code config}'s shape. */
    public LstmStepper(LstmConfig config) {
        this.config = config;
        this.hiddenSize = config.hiddenSize();
        this.concat = new double[1][Math.max(config.inputSize() + config.contextSize(), hiddenSize) + hiddenSize];
        this.gates = new double[1][ParameterLayout.GATES * hiddenSize];
    }

    /**
     * Advances {@code state} from {@code t-1} to {@code t} with input {@code x = x_t} and writes the
     * normalised one-step forecast of {@code x_{t+1}} into {@code prediction}.
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
        ParameterLayout layout = model.layout();
        double[] p = model.parameters();
        int rows = layout.gateRows();
        double[] input = x;
        for (int l = 0; l < layout.layers; l++) {
            double[] h = state.h(l);
            int in = layout.layerInputSize(l);
            int cols = in + hiddenSize;
            System.arraycopy(input, 0, concat[0], 0, in);
            System.arraycopy(h, 0, concat[0], in, hiddenSize);
            // z = W·[x;h] + b, computed as b + [x;h]ᵀ·Wᵀ over contiguous rows of Wᵀ
            System.arraycopy(p, layout.biasOffset(l), gates[0], 0, rows);
            MatrixKernels.multAdd(1, rows, cols, concat, 0, model.stepWeights(l), gates, 0);
            // i, f, o = σ(z); g = tanh(z); c ← f⊙c + i⊙g; h ← o⊙tanh(c)
            updateCell(gates[0], h, state.c(l));
            input = h;
        }
        predict(layout, p, input, x, model.config().residual(), prediction);
    }

    /**
     * Activates {@code z} in place, then updates {@code c} and {@code h}. Separate passes because
     * the activations of all gates are independent, which lets the CPU overlap them.
     */
    private void updateCell(double[] z, double[] h, double[] c) {
        int n = hiddenSize;
        Activations.activateGates(z, n);
        for (int j = 0; j < n; j++) {
            c[j] = z[n + j] * c[j] + z[j] * z[2 * n + j];
        }
        for (int j = 0; j < n; j++) {
            h[j] = z[3 * n + j] * Activations.tanh(c[j]);
        }
    }

    /** {@code ŷ = Wy·h + by (+ x)}. */
    private void predict(ParameterLayout layout, double[] p, double[] h, double[] x, boolean residual,
                         double[] prediction) {
        int d = layout.inputSize;
        int wy = layout.headWeightOffset();
        int by = layout.headBiasOffset();
        for (int k = 0; k < d; k++) {
            double sum = p[by + k];
            int row = wy + k * hiddenSize;
            for (int j = 0; j < hiddenSize; j++) {
                sum += p[row + j] * h[j];
            }
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
