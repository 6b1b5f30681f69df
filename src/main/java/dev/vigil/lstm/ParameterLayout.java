package dev.vigil.lstm;

/**
 * Where each parameter block lives in the flat parameter vector of an {@link LstmModel} (the same
 * order the {@link ModelCodec} writes): for each layer {@code l}, {@code W_l} row-major
 * ({@code 4H × (in_l + H)}, gate blocks of {@code H} rows in the order i, f, g, o; columns are
 * {@code [input; h]}), then {@code b_l} ({@code 4H}); then the head {@code Wy} row-major
 * ({@code d × H}) and {@code by} ({@code d}). {@code in_0 = d + k} (channels, then context inputs),
 * {@code in_l = H} for {@code l > 0}.
 * Immutable, thread-safe.
 */
final class ParameterLayout {

    /** Gates per LSTM cell: input i, forget f, candidate g, output o (in that order). */
    static final int GATES = 4;

    final int inputSize;
    final int contextSize;
    final int hiddenSize;
    final int layers;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final int headWeightOffset;
    private final int headBiasOffset;
    private final int size;

    ParameterLayout(LstmConfig config) {
        inputSize = config.inputSize();
        contextSize = config.contextSize();
        hiddenSize = config.hiddenSize();
        layers = config.layers();
        weightOffset = new int[layers];
        biasOffset = new int[layers];
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = (int) offset;
            offset += (long) gateRows() * columns(l);
            biasOffset[l] = (int) offset;
            offset += gateRows();
        }
        headWeightOffset = (int) offset;
        offset += (long) inputSize * hiddenSize;
        headBiasOffset = (int) offset;
        offset += inputSize;
        // Largest config: 4 layers of 4096 × 2048 plus head, about 33.6 million, far below 2^31.
        size = (int) offset;
    }

    /** {@code 4H}, rows of {@code W_l}. */
    int gateRows() {
        return GATES * hiddenSize;
    }

    /** {@code in_l}: {@code d + k} for layer 0, {@code H} above. */
    int layerInputSize(int layer) {
        return layer == 0 ? inputSize + contextSize : hiddenSize;
    }

    /** {@code in_l + H}, columns of {@code W_l}. */
    int columns(int layer) {
        return layerInputSize(layer) + hiddenSize;
    }

    int weightOffset(int layer) {
        return weightOffset[layer];
    }

    int biasOffset(int layer) {
        return biasOffset[layer];
    }

    int headWeightOffset() {
        return headWeightOffset;
    }

    int headBiasOffset() {
        return headBiasOffset;
    }

    /** Total number of parameters. */
    int size() {
        return size;
    }

    /** Human-readable name of the block holding parameter {@code index}, e.g. {@code "layer 1 W (gate f)"}. */
    String describe(int index) {
        for (int l = 0; l < layers; l++) {
            if (index < biasOffset[l]) {
                return "layer " + l + " W (gate " + "ifgo".charAt((index - weightOffset[l]) / columns(l) / hiddenSize) + ")";
            }
            if (index < biasOffset[l] + gateRows()) {
                return "layer " + l + " b (gate " + "ifgo".charAt((index - biasOffset[l]) / hiddenSize) + ")";
            }
        }
        return index < headBiasOffset ? "head Wy" : "head by";
    }

    /** Rows of {@code W_l}ᵀ per layer: {@code (in_l + H)} arrays of {@code 4H}, for forward products. */
    double[][][] newTransposedRows() {
        double[][][] rows = new double[layers][][];
        for (int l = 0; l < layers; l++) {
            rows[l] = new double[columns(l)][gateRows()];
        }
        return rows;
    }

    /** Rows of {@code W_l} per layer: {@code 4H} arrays of {@code in_l + H}, for backward products. */
    double[][][] newWeightRows() {
        double[][][] rows = new double[layers][][];
        for (int l = 0; l < layers; l++) {
            rows[l] = new double[gateRows()][columns(l)];
        }
        return rows;
    }

    /** {@code transposed[l][c][r] = W_l[r][c]} for every layer, read from the flat {@code parameters}. */
    void writeTransposedRows(double[] parameters, double[][][] transposed) {
        int gateRows = gateRows();
        for (int l = 0; l < layers; l++) {
            int cols = columns(l);
            int base = weightOffset[l];
            double[][] out = transposed[l];
            for (int c = 0; c < cols; c++) {
                double[] row = out[c];
                for (int r = 0; r < gateRows; r++) {
                    row[r] = parameters[base + r * cols + c];
                }
            }
        }
    }

    /** {@code rows[l][r][c] = W_l[r][c]} for every layer, read from the flat {@code parameters}. */
    void writeWeightRows(double[] parameters, double[][][] rows) {
        for (int l = 0; l < layers; l++) {
            int cols = columns(l);
            for (int r = 0; r < gateRows(); r++) {
                System.arraycopy(parameters, weightOffset[l] + r * cols, rows[l][r], 0, cols);
            }
        }
    }

    /** {@code flat W_l[r][c] = transposed[c][r]}: writes a {@code W_l}ᵀ-shaped block into {@code out}. */
    void readTransposedRows(int layer, double[][] transposed, double[] out) {
        int cols = columns(layer);
        int base = weightOffset[layer];
        for (int c = 0; c < cols; c++) {
            double[] row = transposed[c];
            for (int r = 0; r < gateRows(); r++) {
                out[base + r * cols + c] = row[r];
            }
        }
    }
}
