import java.util.Arrays;
import java.util.Random;

/**
 * Micro-benchmark of loop shapes for MatrixKernels' products, all giving the bits of four columns per pass
 * (checked): C[m][n] += A[m][k]·B[k][n] with rows of B as the vector operand.
 *   axpy4   y += S1 (four columns; MatrixKernels today)
 *   axpy8   y = (y + S1) + S2 (two groups of four in one pass over y: the same bits, half the loads and stores of y)
 *   rows2   two output rows per pass over four rows of B (B's rows loaded once for two rows of C)
 * Prints multiply-adds per ns, best of rounds 3..8. javac -d /tmp/ks scripts/KernelShapes.java &&
 * java -cp /tmp/ks KernelShapes 8 32 128 (the backward W_hᵀ·dz shape; 8 128 35: the forward), with
 * -XX:LoopUnrollLimit=200 to see C2 vectorise axpy8 (docs/performance.md, seventh session).
 */
public class KernelShapes {
    static void axpy4(int n, float a0, float a1, float a2, float a3, float[] x0, float[] x1, float[] x2, float[] x3,
                      float[] y) {
        for (int j = 0; j < n; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }

    static void axpy8(int n, float[] a, int p, float[][] x, float[] y) {
        float a0 = a[p], a1 = a[p + 1], a2 = a[p + 2], a3 = a[p + 3], a4 = a[p + 4], a5 = a[p + 5], a6 = a[p + 6];
        float a7 = a[p + 7];
        float[] x0 = x[p], x1 = x[p + 1], x2 = x[p + 2], x3 = x[p + 3], x4 = x[p + 4], x5 = x[p + 5], x6 = x[p + 6];
        float[] x7 = x[p + 7];
        for (int j = 0; j < n; j++) {
            y[j] = (y[j] + (a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j]))
                    + (a4 * x4[j] + a5 * x5[j] + a6 * x6[j] + a7 * x7[j]);
        }
    }

    static void rows2(int n, float[] a, float[] c, int p, float[][] x, float[] y, float[] z) {
        float a0 = a[p], a1 = a[p + 1], a2 = a[p + 2], a3 = a[p + 3];
        float c0 = c[p], c1 = c[p + 1], c2 = c[p + 2], c3 = c[p + 3];
        float[] x0 = x[p], x1 = x[p + 1], x2 = x[p + 2], x3 = x[p + 3];
        for (int j = 0; j < n; j++) {
            float v0 = x0[j], v1 = x1[j], v2 = x2[j], v3 = x3[j];
            y[j] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
            z[j] += c0 * v0 + c1 * v1 + c2 * v2 + c3 * v3;
        }
    }

    static void product(int shape, int m, int n, int k, float[][] a, float[][] b, float[][] c) {
        for (int i = 0; i < m; i++) {
            int p = 0;
            if (shape == 1) {
                for (; p + 7 < k; p += 8) {
                    axpy8(n, a[i], p, b, c[i]);
                }
            } else if (shape == 2 && i + 1 < m) {
                for (; p + 3 < k; p += 4) {
                    rows2(n, a[i], a[i + 1], p, b, c[i], c[i + 1]);
                }
                i++;
                continue;
            }
            for (; p + 3 < k; p += 4) {
                axpy4(n, a[i][p], a[i][p + 1], a[i][p + 2], a[i][p + 3], b[p], b[p + 1], b[p + 2], b[p + 3], c[i]);
            }
        }
    }

    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]), n = Integer.parseInt(args[1]), k = Integer.parseInt(args[2]) / 8 * 8;
        Random g = new Random(1);
        float[][] a = new float[m][k], b = new float[k][n];
        for (float[] row : a) for (int j = 0; j < k; j++) row[j] = g.nextFloat() - 0.5f;
        for (float[] row : b) for (int j = 0; j < n; j++) row[j] = g.nextFloat() - 0.5f;
        String[] names = {"axpy4", "axpy8", "rows2"};
        float[][][] c = new float[3][m][n];
        for (int s = 0; s < 3; s++) {
            product(s, m, n, k, a, b, c[s]);
            System.out.println(names[s] + " same bits as axpy4: " + Arrays.deepEquals(c[0], c[s]));
        }
        long macs = (long) m * n * k;
        int reps = (int) Math.max(1, 1e8 / macs);
        double[] best = new double[3];
        for (int round = 0; round < 8; round++) {
            for (int s = 0; s < 3; s++) {
                long t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    product(s, m, n, k, a, b, c[s]);
                    if ((r & 1023) == 0) for (float[] row : c[s]) Arrays.fill(row, 0f);
                }
                double perNs = macs * reps / (double) (System.nanoTime() - t0);
                best[s] = round < 2 ? 0 : Math.max(best[s], perNs);
            }
        }
        for (int s = 0; s < 3; s++) System.out.printf("%s %.1f multiply-adds per ns%n", names[s], best[s]);
    }
}
