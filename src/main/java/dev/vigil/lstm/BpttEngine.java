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
 * {@link #forward} and {@link #backward} allocate nothing. Not thread-safe, but for the phases ({@link #rows},
 * {@link #weightGradient}) that two threads may run at once on disjoint subsequences or output rows: each
 * subsequence's recurrences are independent of the others, and only the sums over rows (the loss, the weight and bias
 * gradients) mix them, in a fixed order, so such a split gives the bits of one thread.
 */
final class BpttEngine {

    /** How many threads may run a phase at once, each with its own part's scratch rows. */
    static final int PARTS = 2;

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
    /** The linear head on the top layer. */
    private final BpttHead head;
    /** Per layer, {@code T·B × 4H}: {@code dL/dz}. */
    private final float[][][] gateGrad;
    /** {@code 4H}: {@code dL/db} of the layer being differentiated, summed over the rows in order. */
    private final float[] biasGrad;
    /** {@code B × H}: {@code dL/dh} and {@code dL/dc} carried from step t+1 to t. */
    private final float[][] hiddenCarry;
    private final float[][] cellCarry;
    /** Per part ({@link #backwardRows}), {@code H}: {@code dL/dc} of one row of the step being differentiated. */
    private final float[][] cellGrad;
    /** Per layer, {@code (in_l + H) × 4H}: {@code dL/dW_l}ᵀ, copied into the flat gradient. */
    private final float[][][] weightGradT;
    /** One normalised input row in double, before it is rounded into {@link #inputs}. */
    private final double[] row;
    /** Per part, one row's gate gradients, each from index 0 ({@link Activations#join}). */
    private final float[][][] gateGradParts;
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
        head = new BpttHead(config, batch, steps, lossCount, inputs, hiddens[layers - 1], hiddenGrads[layers - 1]);
        gateGrad = new float[layers][n][rows];
        biasGrad = new float[rows];
        hiddenCarry = new float[batch][hidden];
        cellCarry = new float[batch][hidden];
        cellGrad = new float[PARTS][hidden];
        weightGradT = new float[layers][][];
        for (int l = 0; l < layers; l++) {
            weightGradT[l] = new float[layout.columns(l)][rows];
        }
        row = new double[d + config.contextSize()];
        gateGradParts = new float[PARTS][ParameterLayout.GATES][hidden];
        activation = Activations.gateCoefficients(hidden);
    }

    /**
     * Doubles the workspaces of a {@code config} × {@code batch} × {@code steps} engine need; for
     * the trainer's size check before anything is allocated.
     */
    static long workspaceDoubles(LstmConfig config, int batch, int steps) {
        ParameterLayout layout = new ParameterLayout(config);
        long n = (long) steps * batch;
        long total = (2 * n + batch) * (config.inputSize() + config.contextSize()) + 2 * n * config.inputSize()
                + layout.size();
        for (int l = 0; l < config.layers(); l++) {
            total += n * (layout.columns(l) + 2L * layout.gateRows() + 4L * config.hiddenSize())
                    + (long) batch * config.hiddenSize();
        }
        return total;
    }

    /**
     * Puts steps {@code offsets[b] .. offsets[b] + T} of {@code series} into the input rows
     * ({@link Normalisation#normaliseInput}), the readings (not the context inputs) of subsequence b shifted by
     * {@code shifts[b]} ({@link TrainingConfig#levelJitter()}); the series must hold them and be finite (the trainer
     * checks once per run).
     */
    void loadBatch(double[][] series, Normalisation normalisation, int[] offsets, float[] shifts, int first) {
        int channels = normalisation.size();
        for (int t = 0; t <= steps; t++) {
            for (int b = 0; b < batch; b++) {
                normalisation.normaliseInput(series[offsets[first + b] + t], row);
                float shift = shifts[first + b];
                for (int k = 0; k < channels && shift != 0; k++) {
                    row[k] += shift;
                }
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
        head.load(parameters);
        forwardRows(0, batch, parameters, transposedRows);
        head.rows(0, batch, parameters);
        return head.loss();
    }

    /** Batch size of this engine: the subsequences {@link #forwardRows} and {@link #backwardRows} range over. */
    int batch() {
        return batch;
    }

    /** Columns {@code in + H} of layer {@code l}: the output rows {@link #weightGradient} ranges over. */
    int columns(int l) {
        return layout.columns(l);
    }

    /** The forward pass of every layer and step for subsequences {@code b0 <= b < b1}. */
    private void forwardRows(int b0, int b1, float[] parameters, float[][][] transposedRows) {
        for (int l = 0; l < layout.layers; l++) {
            for (int t = 0; t < steps; t++) {
                forwardStep(l, t, b0, b1, parameters, transposedRows[l]);
            }
        }
    }

    private void forwardStep(int l, int t, int b0, int b1, float[] p, float[][] wT) {
        int in = layout.layerInputSize(l);
        int first = t * batch;
        float[][] below = l == 0 ? inputs : hiddens[l - 1];
        float[][] x = concat[l];
        float[][] z = gateScratch;
        for (int b = b0; b < b1; b++) {
            int r = first + b;
            System.arraycopy(below[r], 0, x[r], 0, in);
            if (t == 0) {
                Arrays.fill(x[r], in, in + hidden, 0f);
            } else {
                System.arraycopy(hiddens[l][r - batch], 0, x[r], in, hidden);
            }
            System.arraycopy(p, layout.biasOffset(l), z[b], 0, rows);
        }
        // z = b + [x;h]ᵀ·Wᵀ for the rows b0..b1 of step t
        MatrixKernels.multAdd(b1 - b0, rows, in + hidden, x, first + b0, wT, z, b0);
        // i, f, o = σ(z); g = tanh(z); c = f⊙c_prev + i⊙g; h = o⊙tanh(c)
        for (int b = b0; b < b1; b++) {
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
     * Gradient of the loss of the last {@link #forward} with respect to every parameter.
     *
     * @param parameters the flat parameters {@code forward} used; not modified
     * @param hiddenRows rows of each {@code W_l} of {@code parameters}, columns of {@code h} only; not modified
     * @param inputRows  rows of each {@code W_l}, columns of the input only; not modified
     * @param gradient   output in {@link ParameterLayout} order; overwritten
     */
    void backward(float[] parameters, float[][][] hiddenRows, float[][][] inputRows, float[] gradient) {
        backwardRows(0, batch, 0, hiddenRows, inputRows);
        for (int l = 0; l < layout.layers; l++) {
            weightGradient(l, 0, layout.columns(l));
        }
        finish(gradient);
    }

    /**
     * What {@link #forward} and {@link #backward} do to each subsequence on its own, for subsequences b0..b1 with
     * scratch rows {@code part} (one set per thread, 0 or 1): the forward pass, the head's rows, backpropagation through every layer. After
     * {@link #loadBatch} and {@link BpttHead#load} ({@link #loadHead}); before {@link #weightGradient} and
     * {@link #finish}. Arguments as those two.
     */
    void rows(int b0, int b1, int part, float[] parameters, float[][][] transposedRows, float[][][] hiddenRows,
              float[][][] inputRows) {
        forwardRows(b0, b1, parameters, transposedRows);
        head.rows(b0, b1, parameters);
        backwardRows(b0, b1, part, hiddenRows, inputRows);
    }

    /** Copies the head's weights for {@link #rows}. */
    void loadHead(float[] parameters) {
        head.load(parameters);
    }

    /** The loss of the last {@link #rows} of every subsequence ({@link #forward}'s value). */
    double loss() {
        return head.loss();
    }

    /** Writes the gradient of the last passes, once {@link #weightGradient} has covered every layer's rows. */
    void finish(float[] gradient) {
        Arrays.fill(gradient, 0f);
        head.addGradient(gradient);
        for (int l = layout.layers - 1; l >= 0; l--) {
            finishLayer(l, gradient);
        }
    }

    /** Backpropagation through the steps of every layer, from the top, for subsequences b0..b1. */
    private void backwardRows(int b0, int b1, int part, float[][][] hiddenRows, float[][][] inputRows) {
        for (int l = layout.layers - 1; l >= 0; l--) {
            backwardRows(l, b0, b1, part, hiddenRows[l], inputRows[l]);
        }
    }

    /**
     * Backpropagation through the steps of layer {@code l} (from the top layer down, after the head's rows) for
     * subsequences {@code b0 <= b < b1}, with {@code part}'s scratch rows: {@code dz} of every step, and {@code dh} for
     * the layer below.
     *
     * @param wh rows of {@code W_l}, columns of {@code h}; not modified
     * @param wx rows of {@code W_l}, columns of the input; not modified
     */
    private void backwardRows(int l, int b0, int b1, int part, float[][] wh, float[][] wx) {
        int in = layout.layerInputSize(l);
        for (int b = b0; b < b1; b++) {
            Arrays.fill(hiddenCarry[b], 0f);
            Arrays.fill(cellCarry[b], 0f);
        }
        float[][] gateGrad = this.gateGrad[l];
        for (int t = steps - 1; t >= 0; t--) {
            gateGradients(l, t, b0, b1, part);
            if (t == 0 && l == 0) {
                break;
            }
            // dh_next = W_hᵀ·dz_t, dh_below = W_xᵀ·dz_t for the rows b0..b1 of step t (over rows of W's two parts)
            int first = t * batch + b0;
            MatrixKernels.mult(b1 - b0, hidden, rows, gateGrad, first, wh, hiddenCarry, b0);
            if (l > 0) {
                for (int b = b0; b < b1; b++) {
                    Arrays.fill(hiddenGrads[l - 1][t * batch + b], 0f);
                }
                MatrixKernels.multAdd(b1 - b0, in, rows, gateGrad, first, wx, hiddenGrads[l - 1], first);
            }
        }
    }

    /**
     * {@code dWᵀ = Σ_t [x_t; h_{t-1}]·dz_tᵀ} of layer {@code l}, its rows (columns of W) {@code c0 <= c < c1} only,
     * summed over all rows of the minibatch in order; after {@link #backwardRows} of every subsequence.
     */
    void weightGradient(int l, int c0, int c1) {
        float[][] dWT = weightGradT[l];
        for (int c = c0; c < c1; c++) {
            Arrays.fill(dWT[c], 0f);
        }
        MatrixKernels.multAddTransA(c0, c1, rows, steps * batch, concat[l], 0, gateGrad[l], 0, dWT);
    }

    /** Writes layer {@code l}'s weight gradient into {@code gradient} and adds {@code db = Σ_t dz_t}. */
    private void finishLayer(int l, float[] gradient) {
        int n = steps * batch;
        float[][] gateGrad = this.gateGrad[l];
        layout.readTransposedRows(l, weightGradT[l], gradient);
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
    private void gateGradients(int l, int t, int b0, int b1, int part) {
        float[][] parts = gateGradParts[part];
        float[] cellGrad = this.cellGrad[part];
        float[] di = parts[0];
        float[] df = parts[1];
        float[] dg = parts[2];
        float[] dO = parts[3];
        for (int b = b0; b < b1; b++) {
            int r = t * batch + b;
            float[] cPrev = cells[l][r];
            float[] tc = tanhCells[l][r];
            float[] dhAbove = hiddenGrads[l][r];
            float[] dhNext = hiddenCarry[b];
            float[] dcNext = cellCarry[b];
            float[][] gates = activated[l][r];
            float[] zi = gates[0];
            float[] zf = gates[1];
            float[] zg = gates[2];
            float[] zo = gates[3];
            // dh goes into dhNext, which the W_hᵀ·dz product overwrites next
            CellKernels.hiddenAndCellGrads(hidden, dhAbove, dhNext, zo, tc, dcNext, cellGrad);
            CellKernels.inputGrads(hidden, zi, zg, cellGrad, di, dg);
            CellKernels.forgetGrads(hidden, zf, cPrev, cellGrad, df, dcNext);
            CellKernels.outputGrads(hidden, zo, dhNext, tc, dO);
            Activations.join(parts, gateGrad[l][r], hidden);
        }
    }
}
