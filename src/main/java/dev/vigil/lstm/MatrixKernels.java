package dev.vigil.lstm;

/**
 * Dense row-major matrix products on slices of flat {@code double[]} arrays, written for the JIT:
 * the innermost loop is an AXPY over a contiguous row, which C2 vectorises, and the reduction
 * dimension is unrolled by four to cut loads and stores of the output row. Matrices are addressed
 * BLAS-style by an offset and a leading dimension (elements between the starts of two rows), so
 * per-timestep blocks of the trainer's workspaces can be used without copying.
 *
 * <p>The summation order is fixed, so results are deterministic (but differ in the last bits from
 * a naive triple loop). The output must not overlap the inputs. Thread-safe, allocation-free.
 */
final class MatrixKernels {

    private MatrixKernels() {
    }

    /**
     * {@code C += A·B} with {@code A} {@code m × k}, {@code B} {@code k × n}, {@code C} {@code m × n}.
     * Only {@code c} is modified.
     */
    static void multAdd(int m, int n, int k, double[] a, int aOff, int lda,
                        double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            int p = 0;
            for (; p + 3 < k; p += 4) {
                int b0 = bOff + p * ldb;
                axpy4(n, a[ai + p], a[ai + p + 1], a[ai + p + 2], a[ai + p + 3],
                        b, b0, b0 + ldb, b0 + 2 * ldb, b0 + 3 * ldb, c, ci);
            }
            for (; p < k; p++) {
                axpy(n, a[ai + p], b, bOff + p * ldb, c, ci);
            }
        }
    }

    /**
     * {@code C += Aᵀ·B} with {@code A} stored {@code k × m}, {@code B} {@code k × n}, {@code C}
     * {@code m × n}: the sum over the {@code k} rows of the outer products {@code A[p,:]ᵀ·B[p,:]}.
     * Only {@code c} is modified.
     */
    static void multAddTransA(int m, int n, int k, double[] a, int aOff, int lda,
                              double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
        int p = 0;
        for (; p + 3 < k; p += 4) {
            int a0 = aOff + p * lda;
            int b0 = bOff + p * ldb;
            for (int i = 0; i < m; i++) {
                axpy4(n, a[a0 + i], a[a0 + lda + i], a[a0 + 2 * lda + i], a[a0 + 3 * lda + i],
                        b, b0, b0 + ldb, b0 + 2 * ldb, b0 + 3 * ldb, c, cOff + i * ldc);
            }
        }
        for (; p < k; p++) {
            for (int i = 0; i < m; i++) {
                axpy(n, a[aOff + p * lda + i], b, bOff + p * ldb, c, cOff + i * ldc);
            }
        }
    }

    /** {@code y[yOff .. yOff+n) += a0·x[x0..] + a1·x[x1..] + a2·x[x2..] + a3·x[x3..]}. */
    private static void axpy4(int n, double a0, double a1, double a2, double a3, double[] x,
                              int x0, int x1, int x2, int x3, double[] y, int yOff) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a0 * x[x0 + j] + a1 * x[x1 + j] + a2 * x[x2 + j] + a3 * x[x3 + j];
        }
    }

    /** {@code y[yOff .. yOff+n) += a·x[xOff .. xOff+n)}. */
    private static void axpy(int n, double a, double[] x, int xOff, double[] y, int yOff) {
        for (int j = 0; j < n; j++) {
            y[yOff + j] += a * x[xOff + j];
        }
    }
}
