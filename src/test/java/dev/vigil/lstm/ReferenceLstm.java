package dev.vigil.lstm;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A slow, obvious stacked LSTM for tests, in double precision from the model's float parameters: textbook
 * EJML matrix products (independent of the hand-written kernels under test), {@link Math#exp} and
 * {@link Math#tanh}. It reads an {@link LstmModel}'s flat parameter vector by walking the
 * documented layout itself (not through {@link ParameterLayout}), so it checks the layout too.
 */
final class ReferenceLstm {

    final LstmConfig config;
    /** {@code w[l][row][col]}, rows in gate blocks i, f, g, o; columns {@code [input; h]}. */
    final double[][][] w;
    final double[][] b;
    final double[][] wy;
    final double[] by;
    final double[][] h;
    final double[][] c;

    ReferenceLstm(LstmModel model) {
        this(model.config(), widen(model.parameters()));
    }

    /** A reference LSTM of {@code config}'s shape with the flat parameters {@code p} (double: gradient checks). */
    ReferenceLstm(LstmConfig config, double[] p) {
        this.config = config;
        int d = config.inputSize();
        int hidden = config.hiddenSize();
        int index = 0;
        w = new double[config.layers()][][];
        b = new double[config.layers()][4 * hidden];
        for (int l = 0; l < config.layers(); l++) {
            int cols = (l == 0 ? d + config.contextSize() : hidden) + hidden;
            w[l] = new double[4 * hidden][cols];
            // stored as Wᵀ row-major: for each column of W, its 4H entries
            for (int col = 0; col < cols; col++) {
                for (int r = 0; r < 4 * hidden; r++) {
                    w[l][r][col] = p[index++];
                }
            }
            for (int r = 0; r < 4 * hidden; r++) {
                b[l][r] = p[index++];
            }
        }
        wy = new double[d][hidden];
        for (int k = 0; k < d; k++) {
            for (int j = 0; j < hidden; j++) {
                wy[k][j] = p[index++];
            }
        }
        by = new double[d];
        for (int k = 0; k < d; k++) {
            by[k] = p[index++];
        }
        if (index != p.length) {
            throw new AssertionError("layout walk used " + index + " of " + p.length + " parameters");
        }
        h = new double[config.layers()][hidden];
        c = new double[config.layers()][hidden];
    }

    void reset() {
        for (int l = 0; l < config.layers(); l++) {
            java.util.Arrays.fill(h[l], 0.0);
            java.util.Arrays.fill(c[l], 0.0);
        }
    }

    /**
     * Advances the state with input {@code x} (the normalised reading, then the context inputs) and returns the
     * forecast of the next reading.
     */
    double[] step(double[] x) {
        int hidden = config.hiddenSize();
        double[] input = x;
        for (int l = 0; l < config.layers(); l++) {
            double[] concat = new double[input.length + hidden];
            System.arraycopy(input, 0, concat, 0, input.length);
            System.arraycopy(h[l], 0, concat, input.length, hidden);
            // z = W·[x;h] + b
            DMatrixRMaj zm = new DMatrixRMaj(4 * hidden, 1);
            CommonOps_DDRM.mult(new DMatrixRMaj(w[l]), DMatrixRMaj.wrap(concat.length, 1, concat), zm);
            CommonOps_DDRM.addEquals(zm, DMatrixRMaj.wrap(4 * hidden, 1, b[l].clone()));
            double[] z = zm.data;
            double[] newH = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                double i = sigmoid(z[j]);
                double f = sigmoid(z[hidden + j]);
                double g = Math.tanh(z[2 * hidden + j]);
                double o = sigmoid(z[3 * hidden + j]);
                c[l][j] = f * c[l][j] + i * g;
                newH[j] = o * Math.tanh(c[l][j]);
            }
            h[l] = newH;
            input = newH;
        }
        // y = Wy·h + by (+ x when residual)
        DMatrixRMaj ym = new DMatrixRMaj(config.inputSize(), 1);
        CommonOps_DDRM.mult(new DMatrixRMaj(wy), DMatrixRMaj.wrap(hidden, 1, input), ym);
        double[] y = ym.data;
        for (int k = 0; k < y.length; k++) {
            y[k] += by[k];
            if (config.residual()) {
                y[k] += x[k];
            }
        }
        return y;
    }

    /**
     * The trainer's minibatch loss: mean over subsequences {@code b}, steps {@code t < T} and
     * channels of {@code (ŷ_t - x_{t+1})²}, each subsequence from zero state.
     */
    static double minibatchLoss(LstmModel model, double[][] normalised, int[] offsets, int steps) {
        return minibatchLoss(model.config(), widen(model.parameters()), normalised, offsets, steps);
    }

    /** {@link #minibatchLoss(LstmModel, double[][], int[], int)} with the flat parameters {@code p} in double. */
    static double minibatchLoss(LstmConfig config, double[] p, double[][] normalised, int[] offsets, int steps) {
        ReferenceLstm reference = new ReferenceLstm(config, p);
        double sum = 0;
        for (int offset : offsets) {
            reference.reset();
            for (int t = 0; t < steps; t++) {
                double[] y = reference.step(normalised[offset + t]);
                for (int k = 0; k < y.length; k++) {
                    double diff = y[k] - normalised[offset + t + 1][k];
                    sum += diff * diff;
                }
            }
        }
        return sum / ((double) offsets.length * steps * config.inputSize());
    }

    /** Float values (parameters, a state's vectors) as doubles (exactly). */
    static double[] widen(float[] p) {
        double[] out = new double[p.length];
        for (int j = 0; j < p.length; j++) {
            out[j] = p[j];
        }
        return out;
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
