package dev.vigil.score;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnomalyLikelihoodTest {
    /** erfcc's documented fractional accuracy. */
    private static final double ERFC_RELATIVE_TOLERANCE = 1.2e-7;

    @Test
    void shouldComputeErfcToItsStatedAccuracy() {
        // reference values of erfc from tables (Abramowitz & Stegun)
        double[][] known = {{0.0, 1.0}, {0.5, 0.4795001221869535}, {1.0, 0.15729920705028513},
                {2.0, 0.004677734981047266}, {3.0, 2.209049699858544e-05}, {4.5, 1.9661604415428873e-10},
                {-1.0, 1.8427007929497148}};
        for (double[] k : known) {
            assertEquals(k[1], AnomalyLikelihood.erfc(k[0]), Math.abs(k[1]) * ERFC_RELATIVE_TOLERANCE, "erfc(" + k[0] + ")");
        }
    }

    @Test
    void shouldPlaceTailOfOneInHundredThousandAtHalfScore() {
        assertEquals(0.5, AnomalyLikelihood.logScore(1e-5), 1e-4);
        assertEquals(0.0, AnomalyLikelihood.logScore(1.0), 1e-9);
        assertEquals(1.0, AnomalyLikelihood.logScore(0.0), 0.031); // ln(1e-10)/ln(1e-10) ≈ 1 (floor added)
        assertTrue(AnomalyLikelihood.logScore(1e-3) < AnomalyLikelihood.logScore(1e-4));
    }

    @Test
    void shouldScoreAHighLevelAboveALowOneAgainstTheSameHistory() {
        ScoringConfig config = ScoringConfig.defaults();
        SignalLevel state = new SignalLevel(config.shortWindow());
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            AnomalyLikelihood.absorb(state, 0.2 + 0.02 * rnd.nextGaussian(), config);
        }
        double usual = AnomalyLikelihood.score(state, 0.2, config);
        double unusual = AnomalyLikelihood.score(state, 0.35, config);
        double lower = AnomalyLikelihood.score(state, 0.05, config);
        assertTrue(usual < 0.05, "usual level scored " + usual);
        assertTrue(unusual > 0.9, "unusual level scored " + unusual);
        assertTrue(lower < usual, "a level below the usual one must not look anomalous, got " + lower);
    }
}
