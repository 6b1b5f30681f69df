package dev.vigil.lstm;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MatrixKernelsTest {

    @Test
    void shouldAddTheLastColumnsInOnePassWithTheBitsOfOnePassEach() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 37;
        float[][] x = new float[6][n];
        float[] a = new float[6];
        for (int round = 0; round < 2_000; round++) {
            for (int p = 0; p < x.length; p++) {
                a[p] = (float) (random.nextDouble() * 4 - 2);
                for (int j = 0; j < n; j++) {
                    x[p][j] = (float) (random.nextDouble() * 4 - 2);
                }
            }
            for (int count = 0; count <= 3; count++) {
                float[] y = new float[n];
                float[] expected = new float[n];
                for (int j = 0; j < n; j++) {
                    y[j] = (float) (random.nextDouble() * 10 - 5);
                    expected[j] = y[j];
                }
                for (int c = 0; c < count; c++) {
                    for (int j = 0; j < n; j++) {
                        expected[j] += a[1 + c] * x[2 + c][j];
                    }
                }
                MatrixKernels.tail(n, count, a, 1, x, 2, y);
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToRawIntBits(expected[j]), Float.floatToRawIntBits(y[j]),
                            "count " + count + ", entry " + j);
                }
            }
        }
    }

    @Test
    void shouldMultiplyWithTheBitsOfMultAddOntoZeros() {
        SplittableRandom random = new SplittableRandom(12);
        for (int k : new int[] {1, 2, 3, 4, 5, 7, 8, 35, 128}) {
            int m = 3;
            int n = 33;
            float[][] a = new float[m + 2][k];
            float[][] b = new float[k][n];
            for (int round = 0; round < 50; round++) {
                for (float[] row : a) {
                    for (int p = 0; p < k; p++) {
                        // some exact zeros and negative zeros, so that sums of -0 occur
                        double u = random.nextDouble();
                        row[p] = u < 0.2 ? 0f : u < 0.3 ? -0f : (float) (random.nextDouble() * 4 - 2);
                    }
                }
                for (float[] row : b) {
                    for (int j = 0; j < n; j++) {
                        row[j] = random.nextDouble() < 0.2 ? -0f : (float) (random.nextDouble() * 4 - 2);
                    }
                }
                float[][] expected = new float[m + 1][n];
                float[][] actual = new float[m + 1][n];
                for (float[] row : actual) {
                    java.util.Arrays.fill(row, Float.NaN);
                }
                MatrixKernels.multAdd(m, n, k, a, 2, b, expected, 1);
                MatrixKernels.mult(m, n, k, a, 2, b, actual, 1);
                for (int i = 1; i <= m; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(Float.floatToRawIntBits(expected[i][j]), Float.floatToRawIntBits(actual[i][j]),
                                "k " + k + ", row " + i + ", entry " + j);
                    }
                }
                assertEquals(Float.floatToRawIntBits(Float.NaN), Float.floatToRawIntBits(actual[0][0]), "row 0 untouched");
            }
        }
    }
}
