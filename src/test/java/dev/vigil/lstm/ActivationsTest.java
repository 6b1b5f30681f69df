package dev.vigil.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActivationsTest {

    /** Documented accuracy of {@link Activations#exp} against {@link StrictMath#exp}. */
    private static final double EXP_ULPS = 2.0;
    /** Absolute accuracy of sigmoid and tanh against the {@link Math} formulas. */
    private static final double GATE_TOLERANCE = 1e-15;

    @Test
    void shouldStayWithinTwoUlpOfStrictMathExp() {
        SplittableRandom random = new SplittableRandom(1);
        for (int n = 0; n < 1_000_000; n++) {
            double x = n % 2 == 0 ? (2 * random.nextDouble() - 1) * 700 : (2 * random.nextDouble() - 1) * 5;
            double expected = StrictMath.exp(x);
            double ulps = Math.abs(Activations.exp(x) - expected) / Math.ulp(expected);
            assertTrue(ulps <= EXP_ULPS, "exp(" + x + ") is " + ulps + " ulp off");
        }
        assertEquals(1.0, Activations.exp(0.0));
    }

    @Test
    void shouldMatchMathSigmoidAndTanh() {
        SplittableRandom random = new SplittableRandom(2);
        for (int n = 0; n < 200_000; n++) {
            double x = (2 * random.nextDouble() - 1) * 30;
            assertEquals(1.0 / (1.0 + Math.exp(-x)), Activations.sigmoid(x), GATE_TOLERANCE, "sigmoid(" + x + ")");
            assertEquals(Math.tanh(x), Activations.tanh(x), GATE_TOLERANCE, "tanh(" + x + ")");
        }
    }

    @Test
    void shouldSaturateWithoutOverflowAndPropagateNaN() {
        assertEquals(0.0, Activations.sigmoid(-1e6), 1e-300);
        assertEquals(1.0, Activations.sigmoid(1e6));
        assertEquals(1.0, Activations.tanh(1e6));
        assertEquals(-1.0, Activations.tanh(-1e6));
        assertTrue(Double.isFinite(Activations.exp(1e6)));
        assertTrue(Double.isNaN(Activations.exp(Double.NaN)));
        assertTrue(Double.isNaN(Activations.sigmoid(Double.NaN)));
        assertTrue(Double.isNaN(Activations.tanh(Double.NaN)));
    }
}
