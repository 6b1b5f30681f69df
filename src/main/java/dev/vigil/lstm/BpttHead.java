package dev.vigil.lstm;

import java.util.Arrays;

/**
 * The linear head of a {@link BpttEngine}, {@code ŷ = Wy·h_top + by (+ x)} in the stepper's order of operations: per
 * row, the prediction's residual, {@code dL/dŷ} and {@code dh_top = Wyᵀ·dŷ} ({@link #rows}, which two threads may run
 * at once on disjoint subsequences); over all rows in order, the loss and {@code dWy = Σ dŷ·h_topᵀ},
 * {@code dby = Σ dŷ} ({@link #loss}, {@link #addGradient}). Rows {@code t·B + b} as in the engine. Allocates nothing
 * after construction.
 */
final class BpttHead {

    private final ParameterLayout layout;
    private final boolean residual;
    private final int batch;
    private final int steps;
    private final int d;
    private final int hidden;
    private final double lossCount;
    /** The engine's input rows, top layer's {@code h} and the {@code dh} arriving at it (written here). */
    private final float[][] inputs;
    private final float[][] top;
    private final float[][] topGrads;
    /** {@code T·B × d}: {@code ŷ - x_{t+1}} and {@code dL/dŷ}. */
    private final float[][] residuals;
    private final float[][] headGrad;
    /** {@code d × H}: the rows of {@code Wy}, and {@code dL/dWy} summed over the rows in order. */
    private final float[][] headRows;
    private final float[][] headRowGrads;

    BpttHead(LstmConfig config, int batch, int steps, double lossCount, float[][] inputs, float[][] top,
             float[][] topGrads) {
        this.layout = new ParameterLayout(config);
        this.residual = config.residual();
        this.batch = batch;
        this.steps = steps;
        this.d = config.inputSize();
        this.hidden = config.hiddenSize();
        this.lossCount = lossCount;
        this.inputs = inputs;
        this.top = top;
        this.topGrads = topGrads;
        int n = steps * batch;
        this.residuals = new float[n][d];
        this.headGrad = new float[n][d];
        this.headRows = new float[d][hidden];
        this.headRowGrads = new float[d][hidden];
    }

    /**
     * Copies each row of {@code Wy} into a row of its own (so that the loops index every array from 0, which C2
     * vectorises); before {@link #rows}.
     */
    void load(float[] p) {
        int wy = layout.headWeightOffset();
        for (int k = 0; k < d; k++) {
            System.arraycopy(p, wy + k * hidden, headRows[k], 0, hidden);
        }
    }

    /** {@code ŷ}, its residual, {@code dŷ} and {@code dh_top = Wyᵀ·dŷ} of every step of subsequences b0..b1. */
    void rows(int b0, int b1, float[] p) {
        int wy = layout.headWeightOffset();
        int by = layout.headBiasOffset();
        float scale = (float) (2.0 / lossCount);
        for (int t = 0; t < steps; t++) {
            for (int r = t * batch + b0; r < t * batch + b1; r++) {
                float[] h = top[r];
                float[] dh = topGrads[r];
                for (int k = 0; k < d; k++) {
                    float y = CellKernels.dot(hidden, p, wy + k * hidden, h);
                    y += p[by + k];
                    if (residual) {
                        y += inputs[r][k];
                    }
                    float diff = y - inputs[r + batch][k];
                    residuals[r][k] = diff;
                    headGrad[r][k] = scale * diff;
                }
                Arrays.fill(dh, 0f);
                for (int k = 0; k < d; k++) {
                    CellKernels.axpy(hidden, headGrad[r][k], headRows[k], dh);
                }
            }
        }
    }

    /** This part's share of the loss, {@code Σ (ŷ - x)² / (T·B·d)} over all rows (summed in double, in order). */
    double loss() {
        double sum = 0;
        for (float[] row : residuals) {
            for (int k = 0; k < d; k++) {
                sum += (double) row[k] * row[k];
            }
        }
        return sum / lossCount;
    }

    /** Adds {@code dWy} and {@code dby}, summed over all rows in order, to {@code gradient} (zeroed by the caller). */
    void addGradient(float[] gradient) {
        int wy = layout.headWeightOffset();
        int by = layout.headBiasOffset();
        for (int k = 0; k < d; k++) {
            Arrays.fill(headRowGrads[k], 0f);
        }
        for (int r = 0; r < residuals.length; r++) {
            float[] h = top[r];
            for (int k = 0; k < d; k++) {
                float dy = headGrad[r][k];
                CellKernels.axpy(hidden, dy, h, headRowGrads[k]);
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
}
