package dev.vigil.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.BadConfigException;
import dev.vigil.ShapeMismatchException;
import dev.vigil.VigilException;
import org.junit.jupiter.api.Test;

class NormalisationTest {

    private static final double TOLERANCE = 1e-12;

    @Test
    void shouldFitMedianAndIqrOver1349PerChannel() {
        double[][] series = new double[101][2];
        for (int t = 0; t <= 100; t++) {
            series[t][0] = t;               // median 50, IQR 75 - 25 = 50
            series[t][1] = -3.0 * t + 7.0;  // median -143, IQR 150
        }
        Normalisation n = Normalisation.fit(series);
        assertArrayEquals(new double[] {50, -143}, n.center(), TOLERANCE);
        assertArrayEquals(new double[] {50 / 1.349, 150 / 1.349}, n.scale(), TOLERANCE);
    }

    @Test
    void shouldIgnoreAFewHugeOutliers() {
        double[][] series = new double[101][1];
        for (int t = 0; t <= 100; t++) {
            series[t][0] = t;
        }
        series[3][0] = 1e9;
        series[97][0] = -1e9;
        Normalisation n = Normalisation.fit(series);
        assertEquals(50, n.center()[0], 1.0);
        assertEquals(50 / 1.349, n.scale()[0], 2.0);
    }

    @Test
    void shouldFallBackToStandardDeviationWhenIqrIsZero() {
        double[][] series = new double[100][1];
        for (int t = 0; t < 100; t++) {
            series[t][0] = t < 90 ? 5.0 : 15.0;
        }
        Normalisation n = Normalisation.fit(series);
        assertEquals(5.0, n.center()[0]);
        assertEquals(3.0, n.scale()[0], TOLERANCE); // population std of 90 fives and 10 fifteens
    }

    @Test
    void shouldUseScaleOneForConstantSeriesEvenWithRoundingNoise() {
        double[][] constant = {{1e6}, {1e6}, {1e6}};
        assertArrayEquals(new double[] {1.0}, Normalisation.fit(constant).scale());
        double[][] noisy = {{1e6}, {1e6 + 1e-9}, {1e6 - 1e-9}, {1e6}};
        assertArrayEquals(new double[] {1.0}, Normalisation.fit(noisy).scale());
        assertArrayEquals(new double[] {1.0}, Normalisation.fit(new double[][] {{0.0}, {0.0}}).scale());
    }

    @Test
    void shouldNormaliseAndDenormaliseAsInverses() {
        Normalisation n = new Normalisation(new double[] {10, -2}, new double[] {4, 0.5});
        double[] out = new double[2];
        n.normalise(new double[] {18, -1}, out);
        assertArrayEquals(new double[] {2, 2}, out);
        assertEquals(2, n.normalise(0, 18));
        assertEquals(18, n.denormalise(0, 2));
        assertEquals(-1, n.denormalise(1, n.normalise(1, -1)), TOLERANCE);
        assertArrayEquals(new double[] {0, 0}, identityOf(2, new double[] {0, 0}));
    }

    @Test
    void shouldStayImmutable() {
        double[] center = {1, 2};
        Normalisation n = new Normalisation(center, new double[] {1, 1});
        center[0] = 99;
        n.center()[1] = 99;
        assertArrayEquals(new double[] {1, 2}, n.center());
    }

    @Test
    void shouldRejectBadArgumentsWithNamedMessages() {
        assertEquals("scale[1] must be finite and > 0, got 0.0", assertThrows(BadConfigException.class,
                () -> new Normalisation(new double[] {0, 0}, new double[] {1, 0})).getMessage());
        assertThrows(ShapeMismatchException.class, () -> new Normalisation(new double[] {0}, new double[] {1, 1}));
        assertEquals("series[1][0] must be finite, got NaN", assertThrows(VigilException.class,
                () -> Normalisation.fit(new double[][] {{1}, {Double.NaN}})).getMessage());
        assertThrows(ShapeMismatchException.class, () -> Normalisation.fit(new double[][] {{1, 2}, {3}}));
        assertThrows(ShapeMismatchException.class,
                () -> Normalisation.identity(2).normalise(new double[3], new double[2]));
    }

    private static double[] identityOf(int d, double[] raw) {
        double[] out = new double[d];
        Normalisation.identity(d).normalise(raw, out);
        return out;
    }
}
