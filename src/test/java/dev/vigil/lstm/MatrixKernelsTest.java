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
}
