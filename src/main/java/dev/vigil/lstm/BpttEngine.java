package dev.vigil.lstm;

import java.util.Arrays;

/**
 * Forward pass and truncated backpropagation through time over one minibatch of {@code B}
 * subsequences of {@code T} steps, all batched: each timestep's gate pre-activations for the whole
 * batch are one {@code B × (in + H)} by {@code (in + H) × 4H} product, and each layer's weight
 * gradient is one product over all {@code T·B} rows. Every subsequence starts from zero state.
 *
 * <p>Loss: {@code L = 1/(T·B·d) Σ_{t,b,k} (ŷ_{t,b,k} - x_{t+1,b,k})²} on normalised values, with
 * {@code ŷ} as in {@link LstmStepper}. Backward, per layer from the top, for {@code t = T-1 .. 0}:
 * <pre>
 *   dh  = dh_above + dh_next                dc = dh⊙o⊙(1 - tanh²c) + dc_next
 *   dz_i = dc⊙g⊙i(1-i)   dz_f = dc⊙c_prev⊙f(1-f)   dz_g = dc⊙i⊙(1-g²)   dz_o = dh⊙tanh(c)⊙o(1-o)
 *   dc_next = dc⊙f       [dx; dh_next] = Wᵀ·dz    dW += dz·[x;h_prev]ᵀ    db += dz
 * </pre>
 * Workspaces are allocated once in the constructor; {@link #loadBatch}, {@link #forward} and
 * {@link #backward} allocate nothing. Not thread-safe.
 */
final class BpttEngine {

    private final ParameterLayout layout;
    private final boolean residual;
    private final int batch;
    private final int steps;
    private final int d;
    private final int hidden;
    private final int rows;
    /** {@code (T+1)·B × d} normalised readings; row {@code t·B + b} is step t of subsequence b. */
    private final double[] inputs;
    /** Per layer, {@code T·B × (in_l + H)}: {@code [input_t; h_{t-1}]}. */
    private final double[][] concat;
    /** Per layer, {@code T·B × 4H}: gate activations i, f, g, o. */
    private final double[][] gates;
    /** Per layer, {@code (T+1)·B × H}: {@code c_{t-1}} at block t (block 0 stays zero). */
    private final double[][] cells;
    /** Per layer, {@code T·B × H}: {@code tanh(c_t)}. */
    private final double[][] tanhCells;
    /** Per layer, {@code T·B × H}: {@code h_t}. */
    private final double[][] hiddens;
    /** Per layer, {@code T·B × H}: {@code dL/dh_t} arriving from the layer above (or the head). */
    private final double[][] hiddenGrads;
    /** {@code T·B × d}: {@code dL/dŷ}. */
    private final double[] headGrad;
    /** {@code T·B × 4H}: {@code dL/dz} of the layer being differentiated. */
    private final double[] gateGrad;
    /** {@code B × H}: {@code dL/dh} and {@code dL/dc} carried from step t+1 to t. */
    private final double[] hiddenCarry;
    private final double[] cellCarry;

    BpttEngine(LstmConfig config, int batch, int steps) {
        this.layout = new ParameterLayout(config);
        this.residual = config.residual();
        this.batch = batch;
        this.steps = steps;
        this.d = config.inputSize();
        this.hidden = config.hiddenSize();
        this.rows = layout.gateRows();
        int n = steps * batch;
        int layers = config.layers();
        inputs = new double[(n + batch) * d];
        concat = new double[layers][];
        gates = new double[layers][n * rows];
        cells = new double[layers][(n + batch) * hidden];
        tanhCells = new double[layers][n * hidden];
        hiddens = new double[layers][n * hidden];
        hiddenGrads = new double[layers][n * hidden];
        for (int l = 0; l < layers; l++) {
            concat[l] = new double[n * layout.columns(l)];
        }
        headGrad = new double[n * d];
        gateGrad = new double[n * rows];
        hiddenCarry = new double[batch * hidden];
        cellCarry = new double[batch * hidden];
    }

    /**
     * Doubles the workspaces of a {@code config} × {@code batch} × {@code steps} engine need; for
     * the trainer's size check before anything is allocated.
     */
    static long workspaceDoubles(LstmConfig config, int batch, int steps) {
        ParameterLayout layout = new ParameterLayout(config);
        long n = (long) steps * batch;
        long perLayer = 0;
        for (int l = 0; l < config.layers(); l++) {
            perLayer += n * (layout.columns(l) + layout.gateRows() + 4L * config.hiddenSize()) + batch * (long) config.hiddenSize();
        }
        return perLayer + n * layout.gateRows() + (2 * n + batch) * config.inputSize();
    }

    /**
     * Normalises steps {@code offsets[b] .. offsets[b] + T} of {@code series} into the input block;
     * the series must hold them and be finite (the trainer checks once per run).
     */
    void loadBatch(double[][] series, Normalisation normalisation, int[] offsets) {
        for (int t = 0; t <= steps; t++) {
            for (int b = 0; b < batch; b++) {
                double[] raw = series[offsets[b] + t];
                int row = (t * batch + b) * d;
                for (int k = 0; k < d; k++) {
                    inputs[row + k] = normalisation.normalise(k, raw[k]);
                }
            }
        }
    }

    /**
     * Runs the loaded batch forward, keeps what backward needs and returns the loss {@code L}.
     *
     * @param parameters  flat parameters ({@link ParameterLayout}); not modified
     * @param stepWeights {@code W_l}ᵀ of {@code parameters}; not modified
     */
    double forward(double[] parameters, double[][] stepWeights) {
        for (int l = 0; l < layout.layers; l++) {
            for (int t = 0; t < steps; t++) {
                forwardStep(l, t, parameters, stepWeights[l]);
            }
        }
        return forwardHead(parameters);
    }

    private void forwardStep(int l, int t, double[] p, double[] wT) {
        int in = layout.layerInputSize(l);
        int cols = in + hidden;
        double[] x = concat[l];
        double[] below = l == 0 ? inputs : hiddens[l - 1];
        double[] h = hiddens[l];
        for (int b = 0; b < batch; b++) {
            int r = t * batch + b;
            System.arraycopy(below, r * in, x, r * cols, in);
            if (t == 0) {
                Arrays.fill(x, r * cols + in, (r + 1) * cols, 0.0);
            } else {
                System.arraycopy(h, (r - batch) * hidden, x, r * cols + in, hidden);
            }
            System.arraycopy(p, layout.biasOffset(l), gates[l], r * rows, rows);
        }
        // z = b + [x;h]ᵀ·Wᵀ for the B rows of step t
        int first = t * batch;
        MatrixKernels.multAdd(batch, rows, cols, x, first * cols, cols, wT, 0, rows, gates[l], first * rows, rows);
        // i, f, o = σ(z); g = tanh(z); c = f⊙c_prev + i⊙g; h = o⊙tanh(c)
        double[] z = gates[l];
        double[] c = cells[l];
        double[] tc = tanhCells[l];
        for (int b = 0; b < batch; b++) {
            int r = first + b;
            int zr = r * rows;
            for (int j = 0; j < hidden; j++) {
                double i = Activations.sigmoid(z[zr + j]);
                double f = Activations.sigmoid(z[zr + hidden + j]);
                double g = Activations.tanh(z[zr + 2 * hidden + j]);
                double o = Activations.sigmoid(z[zr + 3 * hidden + j]);
                z[zr + j] = i;
                z[zr + hidden + j] = f;
                z[zr + 2 * hidden + j] = g;
                z[zr + 3 * hidden + j] = o;
                double cj = f * c[r * hidden + j] + i * g;
                c[(r + batch) * hidden + j] = cj;
                double tcj = Activations.tanh(cj);
                tc[r * hidden + j] = tcj;
                h[r * hidden + j] = o * tcj;
            }
        }
    }

    /** {@code ŷ = Wy·h_top + by (+ x)}; accumulates the loss and stores {@code dL/dŷ}. */
    private double forwardHead(double[] p) {
        int n = steps * batch;
        double[] top = hiddens[layout.layers - 1];
        int wy = layout.headWeightOffset();
        int by = layout.headBiasOffset();
        double scale = 2.0 / ((double) n * d);
        double sum = 0;
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < d; k++) {
                double y = p[by + k];
                int row = wy + k * hidden;
                for (int j = 0; j < hidden; j++) {
                    y += p[row + j] * top[r * hidden + j];
                }
                if (residual) {
                    y += inputs[r * d + k];
                }
                double diff = y - inputs[(r + batch) * d + k];
                sum += diff * diff;
                headGrad[r * d + k] = scale * diff;
            }
        }
        return sum / ((double) n * d);
    }

    /**
     * Gradient of the loss of the last {@link #forward} with respect to every parameter.
     *
     * @param parameters the parameters {@code forward} used; not modified
     * @param gradient   output in {@link ParameterLayout} order; overwritten
     */
    void backward(double[] parameters, double[] gradient) {
        Arrays.fill(gradient, 0.0);
        int n = steps * batch;
        int top = layout.layers - 1;
        // dWy = dŷᵀ·h_top, dby = Σ dŷ, dh_top = dŷ·Wy
        MatrixKernels.multAddTransA(d, hidden, n, headGrad, 0, d, hiddens[top], 0, hidden,
                gradient, layout.headWeightOffset(), hidden);
        columnSums(headGrad, n, d, gradient, layout.headBiasOffset());
        Arrays.fill(hiddenGrads[top], 0.0);
        MatrixKernels.multAdd(n, hidden, d, headGrad, 0, d, parameters, layout.headWeightOffset(), hidden,
                hiddenGrads[top], 0, hidden);
        for (int l = top; l >= 0; l--) {
            backwardLayer(l, parameters, gradient);
        }
    }

    private void backwardLayer(int l, double[] p, double[] gradient) {
        int in = layout.layerInputSize(l);
        int cols = in + hidden;
        int w = layout.weightOffset(l);
        Arrays.fill(hiddenCarry, 0.0);
        Arrays.fill(cellCarry, 0.0);
        if (l > 0) {
            Arrays.fill(hiddenGrads[l - 1], 0.0);
        }
        for (int t = steps - 1; t >= 0; t--) {
            gateGradients(l, t);
            int zOff = t * batch * rows;
            if (t > 0) {
                // dh_{t-1} = W_hᵀ·dz_t, the h columns of W
                Arrays.fill(hiddenCarry, 0.0);
                MatrixKernels.multAdd(batch, hidden, rows, gateGrad, zOff, rows, p, w + in, cols,
                        hiddenCarry, 0, hidden);
            }
            if (l > 0) {
                // dh_below_t = W_xᵀ·dz_t, the input columns of W
                MatrixKernels.multAdd(batch, in, rows, gateGrad, zOff, rows, p, w, cols,
                        hiddenGrads[l - 1], t * batch * hidden, hidden);
            }
        }
        int n = steps * batch;
        // dW = Σ_t dz_t·[x_t; h_{t-1}]ᵀ, db = Σ_t dz_t
        MatrixKernels.multAddTransA(rows, cols, n, gateGrad, 0, rows, concat[l], 0, cols, gradient, w, cols);
        columnSums(gateGrad, n, rows, gradient, layout.biasOffset(l));
    }

    /** {@code dz} of step t from {@code dh}, {@code dc} carried from t+1 and the stored activations. */
    private void gateGradients(int l, int t) {
        double[] z = gates[l];
        double[] c = cells[l];
        double[] tc = tanhCells[l];
        double[] dhAbove = hiddenGrads[l];
        for (int b = 0; b < batch; b++) {
            int r = t * batch + b;
            int zr = r * rows;
            int carry = b * hidden;
            for (int j = 0; j < hidden; j++) {
                int hr = r * hidden + j;
                double i = z[zr + j];
                double f = z[zr + hidden + j];
                double g = z[zr + 2 * hidden + j];
                double o = z[zr + 3 * hidden + j];
                double tcj = tc[hr];
                double dh = dhAbove[hr] + hiddenCarry[carry + j];
                double dc = dh * o * (1.0 - tcj * tcj) + cellCarry[carry + j];
                gateGrad[zr + j] = dc * g * i * (1.0 - i);
                gateGrad[zr + hidden + j] = dc * c[hr] * f * (1.0 - f);
                gateGrad[zr + 2 * hidden + j] = dc * i * (1.0 - g * g);
                gateGrad[zr + 3 * hidden + j] = dh * tcj * o * (1.0 - o);
                cellCarry[carry + j] = dc * f;
            }
        }
    }

    /** {@code out[outOff + j] += Σ_r m[r·cols + j]} for an {@code n × cols} matrix {@code m}. */
    private static void columnSums(double[] m, int n, int cols, double[] out, int outOff) {
        for (int r = 0; r < n; r++) {
            int row = r * cols;
            for (int j = 0; j < cols; j++) {
                out[outOff + j] += m[row + j];
            }
        }
    }
}
