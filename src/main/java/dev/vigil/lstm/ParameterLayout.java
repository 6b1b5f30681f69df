package dev.vigil.lstm;

/**
 * Where each parameter block lives in the flat parameter vector of an {@link LstmModel} (the same
 * order the {@link ModelCodec} writes in format 3): for each layer {@code l}, {@code W_l}ᵀ row-major
 * ({@code (in_l + H) × 4H}: for each column of {@code W_l} ({@code [input; h]}), its {@code 4H} entries
 * in gate blocks of {@code H} in the order i, f, g, o), then {@code b_l} ({@code 4H}); then the head
 * {@code Wy} row-major ({@code d × H}) and {@code by} ({@code d}). {@code in_0 = d + k} (channels, then
 * context inputs), {@code in_l = H} for {@code l > 0}. Formats 1 and 2 stored {@code W_l} row-major
 * ({@link #fromRowMajor}). Immutable, thread-safe.
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
                int row = (index - weightOffset[l]) % gateRows();
                return "layer " + l + " W (gate " + "ifgo".charAt(row / hiddenSize) + ")";
            }
            if (index < biasOffset[l] + gateRows()) {
                return "layer " + l + " b (gate " + "ifgo".charAt((index - biasOffset[l]) / hiddenSize) + ")";
            }
        }
        return index < headBiasOffset ? "head Wy" : "head by";
    }

    /** Index of {@code W_l[row][col]} in the flat vector: {@code W_l}ᵀ is stored row-major. */
    int weightIndex(int layer, int row, int col) {
        return weightOffset[layer] + col * gateRows() + row;
    }

    /**
     * This layout's flat vector from one in the row-major order of model formats 1 and 2 (each {@code W_l}
     * as {@code 4H} rows of {@code in_l + H}; biases and head as here), rounded to float.
     */
    float[] fromRowMajor(double[] rowMajor) {
        float[] out = new float[size];
        for (int j = 0; j < size; j++) {
            out[j] = (float) rowMajor[j];
        }
        for (int l = 0; l < layers; l++) {
            int cols = columns(l);
            for (int r = 0; r < gateRows(); r++) {
                for (int c = 0; c < cols; c++) {
                    out[weightIndex(l, r, c)] = (float) rowMajor[weightOffset[l] + r * cols + c];
                }
            }
        }
        return out;
    }

    /**
     * The flat vector cut into rows, allocated in order: per layer {@code in_l + H} rows of {@code W_l}ᵀ and one
     * row {@code b_l} (each {@code 4H}), then {@code d} rows of {@code Wy} ({@code H}) and one row {@code by}
     * ({@code d}). Row {@code layerRow(l) + c} is column {@code c} of {@code W_l}; {@code layerRow(l) + in_l + H}
     * is {@code b_l}; {@code headRow() + k} is row {@code k} of {@code Wy}; {@code headRow() + d} is {@code by}.
     */
    float[][] newRows() {
        float[][] rows = new float[headRow() + inputSize + 1][];
        for (int l = 0; l < layers; l++) {
            for (int c = 0; c <= columns(l); c++) {
                rows[layerRow(l) + c] = new float[gateRows()];
            }
        }
        for (int k = 0; k < inputSize; k++) {
            rows[headRow() + k] = new float[hiddenSize];
        }
        rows[headRow() + inputSize] = new float[inputSize];
        return rows;
    }

    /** First row of layer {@code l} in {@link #newRows}. */
    int layerRow(int layer) {
        return weightOffset[layer] / gateRows();
    }

    /** First row of the head in {@link #newRows}. */
    int headRow() {
        return headWeightOffset / gateRows();
    }

    /** Copies the flat {@code parameters} into {@code rows} ({@link #newRows} shape). */
    void writeRows(float[] parameters, float[][] rows) {
        int offset = 0;
        for (float[] row : rows) {
            System.arraycopy(parameters, offset, row, 0, row.length);
            offset += row.length;
        }
    }

    /** Copies {@code rows} ({@link #newRows} shape) into the flat {@code parameters}. */
    void readRows(float[][] rows, float[] parameters) {
        int offset = 0;
        for (float[] row : rows) {
            System.arraycopy(row, 0, parameters, offset, row.length);
            offset += row.length;
        }
    }

    /**
     * Rows of {@code W_l} per layer, restricted to the columns of {@code h} ({@code hidden}: {@code 4H} arrays of
     * {@code H}) or of the input ({@code 4H} arrays of {@code in_l}), for backward products.
     */
    float[][][] newWeightRows(boolean hidden) {
        float[][][] rows = new float[layers][][];
        for (int l = 0; l < layers; l++) {
            rows[l] = new float[gateRows()][hidden ? hiddenSize : layerInputSize(l)];
        }
        return rows;
    }

    /** {@code rows[l][r][c] = W_l[r][first + c]} for every layer, {@code first} the first column of the part. */
    void writeWeightRows(float[] parameters, float[][][] rows, boolean hidden) {
        int gateRows = gateRows();
        for (int l = 0; l < layers; l++) {
            int first = hidden ? layerInputSize(l) : 0;
            float[][] out = rows[l];
            for (int c = 0; c < out[0].length; c++) {
                int base = weightIndex(l, 0, first + c);
                for (int r = 0; r < gateRows; r++) {
                    out[r][c] = parameters[base + r];
                }
            }
        }
    }

    /** Copies a {@code W_l}ᵀ-shaped block ({@code in_l + H} rows of {@code 4H}) into {@code out}'s layer block. */
    void readTransposedRows(int layer, float[][] transposed, float[] out) {
        for (int c = 0; c < columns(layer); c++) {
            System.arraycopy(transposed[c], 0, out, weightIndex(layer, 0, c), gateRows());
        }
    }
}
