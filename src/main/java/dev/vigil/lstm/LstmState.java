package dev.vigil.lstm;

import dev.vigil.ShapeMismatchException;
import java.util.Arrays;

/**
 * Recurrent state of one key: hidden vector {@code h} and cell vector {@code c} of every layer,
 * each {@code float[hiddenSize]} (the step computes in float), advanced in place by {@link LstmStepper#step}.
 * Starts at zero. Held in float rather than in doubles holding float values: the same bits, and 256 fewer bytes of a
 * key's state at H=32 for a large fleet's events to read from memory (docs/performance.md, Fleet).
 * Mutable and not thread-safe: one key, one thread at a time.
 */
public final class LstmState {

    private final float[][] h;
    private final float[][] c;

    /** Zero state shaped for {@code config} ({@code layers × hiddenSize}). */
    public LstmState(LstmConfig config) {
        h = new float[config.layers()][config.hiddenSize()];
        c = new float[config.layers()][config.hiddenSize()];
    }

    public int layers() {
        return h.length;
    }

    public int hiddenSize() {
        return h[0].length;
    }

    /** The live hidden vector of {@code layer}; writes change the state (a codec may fill it). */
    public float[] h(int layer) {
        return h[layer];
    }

    /** The live cell vector of {@code layer}; writes change the state (a codec may fill it). */
    public float[] c(int layer) {
        return c[layer];
    }

    /** Sets every {@code h} and {@code c} to zero. */
    public void reset() {
        for (int l = 0; l < h.length; l++) {
            Arrays.fill(h[l], 0f);
            Arrays.fill(c[l], 0f);
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

    /** Every layer's hidden vector, live: {@link LstmStepper} advances it in place. */
    float[][] hiddens() {
        return h;
    }

    /** Every layer's cell vector, live: {@link LstmStepper} advances it in place. */
    float[][] cells() {
        return c;
    }

    /** Whether every {@code h} and {@code c} entry is finite. */
    public boolean isFinite() {
        for (int l = 0; l < h.length; l++) {
            for (int j = 0; j < h[l].length; j++) {
                if (!Float.isFinite(h[l][j]) || !Float.isFinite(c[l][j])) {
                    return false;
                }
            }
        }
        return true;
    }
}
