package dev.vigil.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActivationsTest {

    /** Documented absolute accuracy of the float {@link Activations#tanh} against {@link Math#tanh}. */
    private static final double TANH_TOLERANCE = 4e-7;
    /** Absolute accuracy of the float sigmoid against the double formula. */
    private static final double SIGMOID_TOLERANCE = 2.5e-7;

    @Test
    void shouldMatchMathSigmoidAndTanhToFloatAccuracy() {
        SplittableRandom random = new SplittableRandom(2);
        for (int n = 0; n < 1_000_000; n++) {
            float x = (float) ((2 * random.nextDouble() - 1) * (n % 2 == 0 ? 30 : 2));
            assertEquals(1.0 / (1.0 + Math.exp(-x)), Activations.sigmoid(x), SIGMOID_TOLERANCE, "sigmoid(" + x + ")");
            assertEquals(Math.tanh(x), Activations.tanh(x), TANH_TOLERANCE, "tanh(" + x + ")");
        }
    }

    @Test
    void shouldStayInRangeAndBeOdd() {
        for (float x = 0; x < 20; x += 0.001f) {
            float t = Activations.tanh(x);
            assertTrue(t >= 0 && t <= 1, "tanh(" + x + ") = " + t);
            assertEquals(-t, Activations.tanh(-x), "tanh(-" + x + ")");
            float s = Activations.sigmoid(x);
            assertTrue(s >= 0.5f && s <= 1, "sigmoid(" + x + ") = " + s);
        }
    }

    @Test
    void shouldSaturateWithoutOverflowAndPropagateNaN() {
        assertEquals(0f, Activations.sigmoid(-1e30f));
        assertEquals(1f, Activations.sigmoid(1e30f));
        assertEquals(1f, Activations.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, Activations.tanh(-1e6f));
        assertTrue(Float.isNaN(Activations.sigmoid(Float.NaN)));
        assertTrue(Float.isNaN(Activations.tanh(Float.NaN)));
    }

    @Test
    void shouldGiveTheSameBitsInTheGateLoopAsOneByOne() {
        int hidden = 37;
        float[] z = new float[4 * hidden];
        float[] expected = new float[z.length];
        float[][] coefficients = Activations.gateCoefficients(hidden);
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 20_000; round++) {
            for (int j = 0; j < z.length; j++) {
                z[j] = round % 100 == 0 && j % 5 == 0 ? (j % 2 == 0 ? -0f : 0f) : (float) ((2 * random.nextDouble() - 1) * 10);
                expected[j] = j >= 2 * hidden && j < 3 * hidden ? Activations.tanh(z[j]) : Activations.sigmoid(z[j]);
            }
            Activations.activateGates(z, coefficients);
            for (int j = 0; j < z.length; j++) {
                assertEquals(Float.floatToRawIntBits(expected[j]), Float.floatToRawIntBits(z[j]), "round " + round);
            }
        }
    }
}
