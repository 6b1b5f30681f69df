package dev.vigil.lstm;

import java.util.Arrays;

/**
 * Dense matrix products on matrices stored as arrays of rows ({@code float[row][col]}), written
 * for the JIT: the innermost loop is an AXPY over whole rows indexed from 0, which C2 vectorises
 * (on JDK 17 it does not when the arrays are indexed with different offsets, hence rows rather than
 * one flat array), and the reduction dimension is unrolled by four to cut loads and stores of the
 * output row. Blocks of the trainer's per-timestep workspaces are addressed by a first-row index.
 *
 * <p>Why not EJML's {@code CommonOps_DDRM.multAdd}/{@code multAddTransA}: on JDK 17 they run at
 * about a fifth of the speed of these loops on the trainer's shapes (2 vs 10 multiply-adds per ns
 * for {@code 32×65 · 65×256} and {@code 2048×65ᵀ · 2048×256} on the build machine), because their
 * inner loops index one flat array with offsets and are not vectorised.
 *
 * <p>The summation order is fixed, so results are deterministic (they differ in the last bits from
 * a naive triple loop). Outputs must not share rows with inputs. Thread-safe, allocation-free.
 */
final class MatrixKernels {

    private MatrixKernels() {
    }

    /**
     * {@code C += A·B}: for {@code i < m}, {@code c[c0+i][0..n) += Σ_{p<k} a[a0+i][p] · b[p][0..n)}.
     * Only {@code c} is modified.
     */
    static void multAdd(int m, int n, int k, float[][] a, int a0, float[][] b, float[][] c, int c0) {
        for (int i = 0; i < m; i++) {
            float[] ai = a[a0 + i];
            float[] ci = c[c0 + i];
            int p = 0;
            for (; p + 3 < k; p += 4) {
                axpy4(n, ai[p], ai[p + 1], ai[p + 2], ai[p + 3], b[p], b[p + 1], b[p + 2], b[p + 3], ci);
            }
            tail(n, k - p, ai, p, b, p, ci);
        }
    }

    /**
     * {@code C = A·B}: {@link #multAdd} onto rows of zeros, the same bits ({@code 0 + s} is {@code s} but for
     * {@code s = -0}, and so is the first pass here, {@code y ← 0 + s}), without zeroing the rows first. Only {@code c}
     * is modified.
     */
    static void mult(int m, int n, int k, float[][] a, int a0, float[][] b, float[][] c, int c0) {
        if (k < 4) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c[c0 + i], 0, n, 0f);
            }
            multAdd(m, n, k, a, a0, b, c, c0);
            return;
        }
        for (int i = 0; i < m; i++) {
            float[] ai = a[a0 + i];
            float[] ci = c[c0 + i];
            set4(n, ai[0], ai[1], ai[2], ai[3], b[0], b[1], b[2], b[3], ci);
            int p = 4;
            for (; p + 3 < k; p += 4) {
                axpy4(n, ai[p], ai[p + 1], ai[p + 2], ai[p + 3], b[p], b[p + 1], b[p + 2], b[p + 3], ci);
            }
            tail(n, k - p, ai, p, b, p, ci);
        }
    }

    /** {@code y[0..n) ← 0 + (a0·x0 + a1·x1 + a2·x2 + a3·x3)}: the first pass of {@link #mult}. */
    private static void set4(int n, float a0, float a1, float a2, float a3,
                             float[] x0, float[] x1, float[] x2, float[] x3, float[] y) {
        for (int j = 0; j < n; j++) {
            y[j] = 0f + (a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j]);
        }
    }

    /**
     * {@code y += a[ap]·x[xp] + ...} for the last {@code count < 4} of a product's reduction columns, added one after
     * the other as {@link #axpy} would ({@code y ← ((y + a_0·x_0) + a_1·x_1) + ...}, the same bits) but in one pass over
     * y. Only {@code y} is modified.
     */
    static void tail(int n, int count, float[] a, int ap, float[][] x, int xp, float[] y) {
        if (count == 3) {
            axpy3(n, a[ap], a[ap + 1], a[ap + 2], x[xp], x[xp + 1], x[xp + 2], y);
        } else if (count == 2) {
            float a0 = a[ap];
            float a1 = a[ap + 1];
            float[] x0 = x[xp];
            float[] x1 = x[xp + 1];
            for (int j = 0; j < n; j++) {
                y[j] = (y[j] + a0 * x0[j]) + a1 * x1[j];
            }
        } else if (count == 1) {
            axpy(n, a[ap], x[xp], y);
        }
    }

    /** {@code y[0..n) ← ((y + a0·x0) + a1·x1) + a2·x2}. */
    private static void axpy3(int n, float a0, float a1, float a2, float[] x0, float[] x1, float[] x2, float[] y) {
        for (int j = 0; j < n; j++) {
            y[j] = ((y[j] + a0 * x0[j]) + a1 * x1[j]) + a2 * x2[j];
        }
    }

    /**
     * {@code C += Aᵀ·B} over {@code k} rows, for the output rows {@code i0 <= i < m}:
     * {@code c[i][0..n) += Σ_{p<k} a[a0+p][i] · b[b0+p][0..n)} (a sum of outer products of rows). Each output row
     * gets the same operations in the same order whatever {@code i0}, so two calls over two ranges of rows (on two
     * threads) give the bits of one call over both. Only those rows of {@code c} are modified.
     */
    static void multAddTransA(int i0, int m, int n, int k, float[][] a, int a0, float[][] b, int b0, float[][] c) {
        int p = 0;
        for (; p + 3 < k; p += 4) {
            float[] r0 = a[a0 + p];
            float[] r1 = a[a0 + p + 1];
            float[] r2 = a[a0 + p + 2];
            float[] r3 = a[a0 + p + 3];
            float[] x0 = b[b0 + p];
            float[] x1 = b[b0 + p + 1];
            float[] x2 = b[b0 + p + 2];
            float[] x3 = b[b0 + p + 3];
            for (int i = i0; i < m; i++) {
                axpy4(n, r0[i], r1[i], r2[i], r3[i], x0, x1, x2, x3, c[i]);
            }
        }
        for (; p < k; p++) {
            float[] r = a[a0 + p];
            float[] x = b[b0 + p];
            for (int i = i0; i < m; i++) {
                axpy(n, r[i], x, c[i]);
            }
        }
    }

    /** {@code y[0..n) += a0·x0 + a1·x1 + a2·x2 + a3·x3}. */
    private static void axpy4(int n, float a0, float a1, float a2, float a3,
                              float[] x0, float[] x1, float[] x2, float[] x3, float[] y) {
        for (int j = 0; j < n; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }

    /** {@code y[0..n) += a·x}. */
    private static void axpy(int n, float a, float[] x, float[] y) {
        for (int j = 0; j < n; j++) {
            y[j] += a * x[j];
        }
    }
}
