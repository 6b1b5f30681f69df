package dev.vigil.lstm;

/**
 * The element-wise loops of the LSTM cell, forward and backward, over {@code n} entries indexed from 0, each in a
 * method of its own and each over few arrays, so that C2 vectorises it (one loop over thirteen arrays it ran scalar)
 * and compiles it once, by its invocation count: a loop inside a long method makes C2 compile that whole method
 * on-stack-replacement first, again for each hot loop, before it compiles it normally, which on two cores delayed
 * the fast code by several retrainings. Callers inline them once compiled. The expressions are those of
 * {@link BpttEngine} and {@link LstmStepper}, so the bits are too. Thread-safe, allocation-free.
 */
final class CellKernels {

    private CellKernels() {
    }

    /**
     * The gates from their pre-activations {@code z} ({@link Activations#activateGates}, in place), split into
     * {@code parts} (i, f, g, o), then {@code c ← f⊙c_prev + i⊙g} ({@code c} may be {@code cPrev}): the part of the
     * cell step that training and the stream's step share.
     */
    static void gatesAndCell(float[] z, float[][] coefficients, float[][] parts, int n, float[] cPrev, float[] c) {
        Activations.activateGates(z, coefficients);
        Activations.split(z, parts, n);
        cell(n, parts[0], parts[1], parts[2], cPrev, c);
    }

    /** {@code c ← f⊙c_prev + i⊙g} ({@code c} may be {@code cPrev}). */
    static void cell(int n, float[] gi, float[] gf, float[] gg, float[] cPrev, float[] c) {
        for (int j = 0; j < n; j++) {
            c[j] = gf[j] * cPrev[j] + gi[j] * gg[j];
        }
    }

    /** {@code out ← tanh(in)} ({@link Activations#tanh}). */
    static void tanh(int n, float[] in, float[] out) {
        for (int j = 0; j < n; j++) {
            out[j] = Activations.tanh(in[j]);
        }
    }

    /** {@code out ← a⊙b}. */
    static void product(int n, float[] a, float[] b, float[] out) {
        for (int j = 0; j < n; j++) {
            out[j] = a[j] * b[j];
        }
    }

    /** {@code h ← o⊙tanh(c)}, the stepper's order: one expression. */
    static void hidden(int n, float[] go, float[] c, float[] h) {
        for (int j = 0; j < n; j++) {
            h[j] = go[j] * Activations.tanh(c[j]);
        }
    }

    /** {@code dh ← dh_above + dh_next} (into {@code dhNext}), {@code dc ← dh⊙o⊙(1 - tanh²c) + dc_next}. */
    static void hiddenAndCellGrads(int n, float[] dhAbove, float[] dhNext, float[] o, float[] tc, float[] dcNext,
                                   float[] dc) {
        for (int j = 0; j < n; j++) {
            float dh = dhAbove[j] + dhNext[j];
            dhNext[j] = dh;
            dc[j] = dh * o[j] * (1f - tc[j] * tc[j]) + dcNext[j];
        }
    }

    /** {@code dz_i ← dc⊙g⊙i(1-i)}, {@code dz_g ← dc⊙i⊙(1-g²)}. */
    static void inputGrads(int n, float[] gi, float[] gg, float[] dc, float[] di, float[] dg) {
        for (int j = 0; j < n; j++) {
            float i = gi[j];
            float g = gg[j];
            float d = dc[j];
            di[j] = d * g * i * (1f - i);
            dg[j] = d * i * (1f - g * g);
        }
    }

    /** {@code dz_f ← dc⊙c_prev⊙f(1-f)}, {@code dc_next ← dc⊙f}. */
    static void forgetGrads(int n, float[] gf, float[] cPrev, float[] dc, float[] df, float[] dcNext) {
        for (int j = 0; j < n; j++) {
            float f = gf[j];
            float d = dc[j];
            df[j] = d * cPrev[j] * f * (1f - f);
            dcNext[j] = d * f;
        }
    }

    /** {@code dz_o ← dh⊙tanh(c)⊙o(1-o)}. */
    static void outputGrads(int n, float[] go, float[] dh, float[] tc, float[] dO) {
        for (int j = 0; j < n; j++) {
            float o = go[j];
            dO[j] = dh[j] * tc[j] * o * (1f - o);
        }
    }

    /** {@code Σ_j w[w0 + j]·h[j]}, summed in order from 0 (the head's dot product, one output). */
    static float dot(int n, float[] w, int w0, float[] h) {
        float y = 0;
        for (int j = 0; j < n; j++) {
            y += w[w0 + j] * h[j];
        }
        return y;
    }

    /** {@code y ← ((((y + x0) + x1) + x2) + x3)}: four rows added in order in one pass. */
    static void add4(int n, float[] x0, float[] x1, float[] x2, float[] x3, float[] y) {
        for (int j = 0; j < n; j++) {
            y[j] = (((y[j] + x0[j]) + x1[j]) + x2[j]) + x3[j];
        }
    }

    /** {@code y ← y + x}. */
    static void add(int n, float[] x, float[] y) {
        for (int j = 0; j < n; j++) {
            y[j] += x[j];
        }
    }

    /** {@code y ← y + a·x}. */
    static void axpy(int n, float a, float[] x, float[] y) {
        for (int j = 0; j < n; j++) {
            y[j] += a * x[j];
        }
    }
}
