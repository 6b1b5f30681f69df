package dev.vigil.lstm;

import java.util.Arrays;

/**
 * Forward pass and truncated backpropagation through time over one minibatch of {@code B}
 * subsequences of {@code T} steps, batched: each timestep's gate pre-activations for the whole
 * batch are one {@code B × (in + H)} by {@code (in + H) × 4H} product, and each layer's weight
 * gradient is one product over all {@code T·B} rows. Every subsequence starts from zero state.
 *
 * <p>Loss: {@code L = 1/(T·B·d) Σ_{t,b,k} (ŷ_{t,b,k} - x_{t+1,b,k})²} on normalised values, with
 * {@code ŷ} as in {@link LstmStepper}. Backward, per layer from the top, for {@code t = T-1 .. 0}:
 * <pre>
 *   dh  = dh_above + dh_next                dc = dh⊙o⊙(1 - tanh²c) + dc_next
 *   dz_i = dc⊙g⊙i(1-i)   dz_f = dc⊙c_prev⊙f(1-f)   dz_g = dc⊙i⊙(1-g²)   dz_o = dh⊙tanh(c)⊙o(1-o)
 *   dc_next = dc⊙f       [dh_below; dh_next] = Wᵀ·dz    dWᵀ += [x;h_prev]·dzᵀ    db += dz
 * </pre>
 * Workspaces are matrices stored as arrays of rows (see {@link MatrixKernels}), row {@code t·B + b}
 * for step t of subsequence b, allocated once in the constructor; {@link #loadBatch},
 * {@link #forward} and {@link #backward} allocate nothing. Not thread-safe.
 */
final class BpttEngine {

    private final ParameterLayout layout;
    private final boolean residual;
    private final int batch;
    /** {@code T·B·d} of the whole minibatch this engine computes a part of: the loss divisor. */
    private final double lossCount;
    private final int steps;
    private final int d;
    private final int hidden;
    private final int rows;
    /** {@code (T+1)·B × (d + k)}: normalised readings followed by the context inputs. */
    private final float[][] inputs;
    /** Per layer, {@code T·B × (in_l + H)}: {@code [input_t; h_{t-1}]}. */
    private final float[][][] concat;
    /** {@code B × 4H}: the gate pre-activations of the step being computed, activated in place. */
    private final float[][] gateScratch;
    /**
     * Per layer, {@code T·B × 4 × H}: gate activations i, f, g, o of each row, each gate from index 0 (split once in
     * the forward pass, so that the backward pass reads them without copying).
     */
    private final float[][][][] activated;
    /** Per layer, {@code (T+1)·B × H}: {@code c_{t-1}} at row block t (block 0 stays zero). */
    private final float[][][] cells;
    /** Per layer, {@code T·B × H}: {@code tanh(c_t)}. */
    private final float[][][] tanhCells;
    /** Per layer, {@code T·B × H}: {@code h_t}. */
    private final float[][][] hiddens;
    /** Per layer, {@code T·B × H}: {@code dL/dh_t} arriving from the layer above (or the head). */
    private final float[][][] hiddenGrads;
    /** {@code T·B × d}: {@code dL/dŷ}. */
    private final float[][] headGrad;
    /** {@code d × H}: the rows of {@code Wy}, and {@code dL/dWy} summed over the rows in order. */
    private final float[][] headRows;
    private final float[][] headRowGrads;
    /** {@code T·B × 4H}: {@code dL/dz} of the layer being differentiated. */
    private final float[][] gateGrad;
    /** {@code 4H}: {@code dL/db} of the layer being differentiated, summed over the rows in order. */
    private final float[] biasGrad;
    /** {@code B × H}: {@code dL/dh} and {@code dL/dc} carried from step t+1 to t. */
    private final float[][] hiddenCarry;
    private final float[][] cellCarry;
    /** {@code H}: {@code dL/dc} of one row of the step being differentiated. */
    private final float[] cellGrad;
    /** Per layer, {@code (in_l + H) × 4H}: {@code dL/dW_l}ᵀ, copied into the flat gradient. */
    private final float[][][] weightGradT;
    /** One normalised input row in double, before it is rounded into {@link #inputs}. */
    private final double[] row;
    /** One row's gate gradients, each from index 0 ({@link Activations#join}). */
    private final float[][] gateGradParts;
    /** {@link Activations#gateCoefficients} of the hidden size. */
    private final float[][] activation;

    /** An engine for {@code batch} of the {@code totalBatch} subsequences of a minibatch. */
    BpttEngine(LstmConfig config, int batch, int totalBatch, int steps) {
        this.layout = new ParameterLayout(config);
        this.residual = config.residual();
        this.batch = batch;
        this.lossCount = (double) steps * totalBatch * config.inputSize();
        this.steps = steps;
        this.d = config.inputSize();
        this.hidden = config.hiddenSize();
        this.rows = layout.gateRows();
        int n = steps * batch;
        int layers = config.layers();
        inputs = new float[n + batch][d + config.contextSize()];
        concat = new float[layers][][];
        gateScratch = new float[batch][rows];
        activated = new float[layers][n][ParameterLayout.GATES][hidden];
        cells = new float[layers][n + batch][hidden];
        tanhCells = new float[layers][n][hidden];
        hiddens = new float[layers][n][hidden];
        hiddenGrads = new float[layers][n][hidden];
        for (int l = 0; l < layers; l++) {
            concat[l] = new float[n][layout.columns(l)];
        }
        headGrad = new float[n][d];
        headRows = new float[d][hidden];
        headRowGrads = new float[d][hidden];
        gateGrad = new float[n][rows];
        biasGrad = new float[rows];
        hiddenCarry = new float[batch][hidden];
        cellCarry = new float[batch][hidden];
        cellGrad = new float[hidden];
        weightGradT = new float[layers][][];
        for (int l = 0; l < layers; l++) {
            weightGradT[l] = new float[layout.columns(l)][rows];
        }
        row = new double[d + config.contextSize()];
        gateGradParts = new float[ParameterLayout.GATES][hidden];
        activation = Activations.gateCoefficients(hidden);
    }

    /**
     * Doubles the workspaces of a {@code config} × {@code batch} × {@code steps} engine need; for
     * the trainer's size check before anything is allocated.
     */
    static long workspaceDoubles(LstmConfig config, int batch, int steps) {
        ParameterLayout layout = new ParameterLayout(config);
        long n = (long) steps * batch;
        long total = n * layout.gateRows() + (2 * n + batch) * (config.inputSize() + config.contextSize())
                + layout.size();
        for (int l = 0; l < config.layers(); l++) {
            total += n * (layout.columns(l) + layout.gateRows() + 4L * config.hiddenSize())
                    + (long) batch * config.hiddenSize();
        }
        return total;
    }

    /**
     * Puts steps {@code offsets[b] .. offsets[b] + T} of {@code series} into the input rows
     * ({@link Normalisation#normaliseInput}); the series must hold them and be finite (the trainer checks once
     * per run).
     */
    void loadBatch(double[][] series, Normalisation normalisation, int[] offsets, int first) {
        for (int t = 0; t <= steps; t++) {
            for (int b = 0; b < batch; b++) {
                normalisation.normaliseInput(series[offsets[first + b] + t], row);
                float[] out = inputs[t * batch + b];
                for (int k = 0; k < row.length; k++) {
                    out[k] = (float) row[k];
                }
            }
        }
    }

    /**
     * Runs the loaded batch forward, keeps what backward needs and returns this part's share of the loss:
     * {@code Σ (ŷ - x)² / (T·B·d)} over its rows, {@code B} the whole minibatch.
     *
     * @param parameters      flat parameters ({@link ParameterLayout}); not modified
     * @param transposedRows  rows of each {@code W_l}ᵀ of {@code parameters}; not modified
     */
    double forward(float[] parameters, float[][][] transposedRows) {
        for (int l = 0; l < layout.layers; l++) {
            for (int t = 0; t < steps; t++) {
                forwardStep(l, t, parameters, transposedRows[l]);
            }
        }
        return forwardHead(parameters);
    }

    private void forwardStep(int l, int t, float[] p, float[][] wT) {
        int in = layout.layerInputSize(l);
        int first = t * batch;
        float[][] below = l == 0 ? inputs : hiddens[l - 1];
        float[][] x = concat[l];
        float[][] z = gateScratch;
        for (int b = 0; b < batch; b++) {
            int r = first + b;
            System.arraycopy(below[r], 0, x[r], 0, in);
            if (t == 0) {
                Arrays.fill(x[r], in, in + hidden, 0f);
            } else {
                System.arraycopy(hiddens[l][r - batch], 0, x[r], in, hidden);
            }
            System.arraycopy(p, layout.biasOffset(l), z[b], 0, rows);
        }
        // z = b + [x;h]ᵀ·Wᵀ for the B rows of step t
        MatrixKernels.multAdd(batch, rows, in + hidden, x, first, wT, z, 0);
        // i, f, o = σ(z); g = tanh(z); c = f⊙c_prev + i⊙g; h = o⊙tanh(c)
        for (int b = 0; b < batch; b++) {
            int r = first + b;
            float[] zr = z[b];
            float[][] parts = activated[l][r];
            float[] cPrev = cells[l][r];
            float[] c = cells[l][r + batch];
            float[] tc = tanhCells[l][r];
            float[] h = hiddens[l][r];
            CellKernels.gatesAndCell(zr, activation, parts, hidden, cPrev, c);
            CellKernels.tanh(hidden, c, tc);
            CellKernels.product(hidden, parts[3], tc, h);
        }
    }

    /**
     * {@code ŷ = Wy·h_top + by (+ x)} in the stepper's order of operations; returns this part's share of the
     * loss (summed in double) and stores {@code dL/dŷ}.
     */
    private double forwardHead(float[] p) {
        int n = steps * batch;
        float[][] top = hiddens[layout.layers - 1];
        int wy = layout.headWeightOffset();
        int by = layout.headBiasOffset();
        float scale = (float) (2.0 / lossCount);
        double sum = 0;
        for (int r = 0; r < n; r++) {
            float[] h = top[r];
            for (int k = 0; k < d; k++) {
                float y = CellKernels.dot(hidden, p, wy + k * hidden, h);
                y += p[by + k];
                if (residual) {
                    y += inputs[r][k];
                }
                float diff = y - inputs[r + batch][k];
                sum += (double) diff * diff;
                headGrad[r][k] = scale * diff;
            }
        }
        return sum / lossCount;
    }

    /**
     * Gradient of the loss of the last {@link #forward} with respect to every parameter.
     *
     * @param parameters the flat parameters {@code forward} used; not modified
     * @param hiddenRows rows of each {@code W_l} of {@code parameters}, columns of {@code h} only; not modified
     * @param inputRows  rows of each {@code W_l}, columns of the input only; not modified
     * @param gradient   output in {@link ParameterLayout} order; overwritten
     */
    void backward(float[] parameters, float[][][] hiddenRows, float[][][] inputRows, float[] gradient) {
        Arrays.fill(gradient, 0f);
        backwardHead(parameters, gradient);
        for (int l = layout.layers - 1; l >= 0; l--) {
            backwardLayer(l, hiddenRows[l], inputRows[l], gradient);
        }
    }

    /**
     * {@code dWy = Σ dŷ·h_topᵀ}, {@code dby = Σ dŷ}, {@code dh_top = Wyᵀ·dŷ}. Each row of {@code Wy} and of its gradient
     * is copied into a row of its own first, so that the loops index every array from 0 (which C2 vectorises); the sums
     * are the same, in the same order.
     */
    private void backwardHead(float[] p, float[] gradient) {
        int n = steps * batch;
        float[][] top = hiddens[layout.layers - 1];
        float[][] dhTop = hiddenGrads[layout.layers - 1];
        int wy = layout.headWeightOffset();
        int by = layout.headBiasOffset();
        for (int k = 0; k < d; k++) {
            System.arraycopy(p, wy + k * hidden, headRows[k], 0, hidden);
            Arrays.fill(headRowGrads[k], 0f);
        }
        // dWy += dŷ·hᵀ, dby += dŷ, dh_top = Wyᵀ·dŷ, row by row (d is small)
        for (int r = 0; r < n; r++) {
            float[] h = top[r];
            float[] dh = dhTop[r];
            Arrays.fill(dh, 0f);
            for (int k = 0; k < d; k++) {
                float dy = headGrad[r][k];
                CellKernels.axpy(hidden, dy, h, headRowGrads[k]);
                CellKernels.axpy(hidden, dy, headRows[k], dh);
                gradient[by + k] += dy;
            }
        }
        for (int k = 0; k < d; k++) {
            float[] dw = headRowGrads[k];
            int w = wy + k * hidden;
            for (int j = 0; j < hidden; j++) {
                gradient[w + j] += dw[j];
            }
        }
    }

    private void backwardLayer(int l, float[][] wh, float[][] wx, float[] gradient) {
        int in = layout.layerInputSize(l);
        int cols = in + hidden;
        for (int b = 0; b < batch; b++) {
            Arrays.fill(hiddenCarry[b], 0f);
            Arrays.fill(cellCarry[b], 0f);
        }
        for (int t = steps - 1; t >= 0; t--) {
            gateGradients(l, t);
            if (t == 0 && l == 0) {
                break;
            }
            // dh_next = W_hᵀ·dz_t, dh_below = W_xᵀ·dz_t for the B rows of step t (over rows of W's two parts)
            MatrixKernels.mult(batch, hidden, rows, gateGrad, t * batch, wh, hiddenCarry, 0);
            if (l > 0) {
                for (int b = 0; b < batch; b++) {
                    Arrays.fill(hiddenGrads[l - 1][t * batch + b], 0f);
                }
                MatrixKernels.multAdd(batch, in, rows, gateGrad, t * batch, wx, hiddenGrads[l - 1], t * batch);
            }
        }
        int n = steps * batch;
        // dWᵀ = Σ_t [x_t; h_{t-1}]·dz_tᵀ, db = Σ_t dz_t
        float[][] dWT = weightGradT[l];
        for (float[] row : dWT) {
            Arrays.fill(row, 0f);
        }
        MatrixKernels.multAddTransA(cols, rows, n, concat[l], 0, gateGrad, 0, dWT);
        layout.readTransposedRows(l, dWT, gradient);
        // summed over the rows in order into a row of its own (a loop C2 vectorises), then added to the zeroed gradient
        Arrays.fill(biasGrad, 0f);
        int r = 0;
        for (; r + 3 < n; r += 4) {
            float[] dz0 = gateGrad[r];
            float[] dz1 = gateGrad[r + 1];
            float[] dz2 = gateGrad[r + 2];
            float[] dz3 = gateGrad[r + 3];
            CellKernels.add4(rows, dz0, dz1, dz2, dz3, biasGrad);
        }
        for (; r < n; r++) {
            CellKernels.add(rows, gateGrad[r], biasGrad);
        }
        int bias = layout.biasOffset(l);
        for (int j = 0; j < rows; j++) {
            gradient[bias + j] += biasGrad[j];
        }
    }

    /** {@code dz} of step t from {@code dh}, {@code dc} carried from t+1 and the stored activations. */
    private void gateGradients(int l, int t) {
        float[] di = gateGradParts[0];
        float[] df = gateGradParts[1];
        float[] dg = gateGradParts[2];
        float[] dO = gateGradParts[3];
        for (int b = 0; b < batch; b++) {
            int r = t * batch + b;
            float[] cPrev = cells[l][r];
            float[] tc = tanhCells[l][r];
            float[] dhAbove = hiddenGrads[l][r];
            float[] dhNext = hiddenCarry[b];
            float[] dcNext = cellCarry[b];
            float[][] parts = activated[l][r];
            float[] zi = parts[0];
            float[] zf = parts[1];
            float[] zg = parts[2];
            float[] zo = parts[3];
            // dh goes into dhNext, which the W_hᵀ·dz product overwrites next
            CellKernels.hiddenAndCellGrads(hidden, dhAbove, dhNext, zo, tc, dcNext, cellGrad);
            CellKernels.inputGrads(hidden, zi, zg, cellGrad, di, dg);
            CellKernels.forgetGrads(hidden, zf, cPrev, cellGrad, df, dcNext);
            CellKernels.outputGrads(hidden, zo, dhNext, tc, dO);
            Activations.join(gateGradParts, gateGrad[r], hidden);
        }
    }
}
