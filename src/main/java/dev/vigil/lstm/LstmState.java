package dev.vigil.lstm;

import dev.vigil.ShapeMismatchException;
import java.util.Arrays;

/**
 * Recurrent state of one key: hidden vector {@code h} and cell vector {@code c} of every layer,
 * each {@code double[hiddenSize]} holding float32 values (the step computes in float), advanced in place by
 * {@link LstmStepper#step}. Starts at zero.
 * Mutable and not thread-safe: one key, one thread at a time.
 */
public final class LstmState {

    private final double[][] h;
    private final double[][] c;

    /** Zero state shaped for {@code config} ({@code layers × hiddenSize}). */
    public LstmState(LstmConfig config) {
        h = new double[config.layers()][config.hiddenSize()];
        c = new double[config.layers()][config.hiddenSize()];
    }

    public int layers() {
        return h.length;
    }

    public int hiddenSize() {
        return h[0].length;
    }

    /** The live hidden vector of {@code layer}; writes change the state (a codec may fill it). */
    public double[] h(int layer) {
        return h[layer];
    }

    /** The live cell vector of {@code layer}; writes change the state (a codec may fill it). */
    public double[] c(int layer) {
        return c[layer];
    }

    /** Sets every {@code h} and {@code c} to zero. */
    public void reset() {
        for (int l = 0; l < h.length; l++) {
            Arrays.fill(h[l], 0.0);
            Arrays.fill(c[l], 0.0);
        }
    }

    /**
     * Copies {@code other}'s vectors into this state; allocation-free.
     *
     * @throws ShapeMismatchException when layers or hidden size differ
     */
    public void copyFrom(LstmState other) {
        if (other.layers() != layers() || other.hiddenSize() != hiddenSize()) {
            throw new ShapeMismatchException("state shape " + other.layers() + "x" + other.hiddenSize()
                    + " does not match " + layers() + "x" + hiddenSize() + " (layers x hiddenSize)");
        }
        for (int l = 0; l < h.length; l++) {
            System.arraycopy(other.h[l], 0, h[l], 0, h[l].length);
            System.arraycopy(other.c[l], 0, c[l], 0, c[l].length);
        }
    }

    /** Whether every {@code h} and {@code c} entry is finite. */
    public boolean isFinite() {
        for (int l = 0; l < h.length; l++) {
            for (int j = 0; j < h[l].length; j++) {
                if (!Double.isFinite(h[l][j]) || !Double.isFinite(c[l][j])) {
                    return false;
                }
            }
        }
        return true;
    }
}
