package dev.vigil.score;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

import static dev.vigil.score.FiveMinuteSeries.DAY;
import static dev.vigil.score.FiveMinuteSeries.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sensor's scores do not depend on its units: the same readings in degrees Celsius, Fahrenheit, kelvin or millidegrees
 * score the same, event for event, with every signal of the defaults and with the rhythm signal on. Every measure
 * the scorer takes is relative to the key's own centre, scale or range; a constant in raw units would break this.
 * (A count, whole numbers of zero or more, is measured on the square-root scale: a count converted to a rate that is
 * not whole any more is scored as a measurement, not as a count. That is by design and not tested here.)
 */
class UnitInvarianceTest {
    /** Scores differ by the rounding of the converted readings (and of the float32 profiles), far below an alert. */
    private static final double TOLERANCE = 1e-5;

    /**
     * Sixteen days of a room temperature: a daily cycle of ±3 around 21 (peak at 15:00 UTC), weekly warmer weekends,
     * noise; on day 10 a spike, on day 12 a drop of 2 for half a day, on day 13 the sensor freezes for 80 readings,
     * on day 15 the afternoon peak does not come.
     */
    private static double[] celsius() {
        Random random = new Random(17);
        double[] x = new double[16 * DAY];
        double wander = 0;
        for (int t = 0; t < x.length; t++) {
            int day = t / DAY;
            int at = t % DAY;
            wander = 0.98 * wander + 0.05 * random.nextGaussian();
            double cycle = 3 * Math.sin(2 * Math.PI * (at - 108) / DAY);
            if (day == 15 && at >= 120 && at < 240) {
                cycle = 0;
            }
            x[t] = 21 + cycle + (day % 7 >= 5 ? 0.8 : 0) + wander + 0.15 * random.nextGaussian();
            if (t == 10 * DAY + 100) {
                x[t] += 9;
            }
            if (day == 12 && at >= 60 && at < 204) {
                x[t] -= 2;
            }
            if (day == 13 && at >= 30 && at < 110) {
                x[t] = x[13 * DAY + 29];
            }
        }
        return x;
    }

    private static double[] convert(double[] x, DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            y[t] = f.applyAsDouble(x[t]);
        }
        return y;
    }

    private static void assertSameScores(ScoringConfig config, DoubleUnaryOperator toOtherUnits) {
        Scorer scorer = new Scorer(config);
        double[] x = celsius();
        ScoreOutcome[] here = run(scorer, scorer.newState(1), x, true);
        ScoreOutcome[] there = run(scorer, scorer.newState(1), convert(x, toOtherUnits), true);
        Set<AlertReason> reasons = EnumSet.noneOf(AlertReason.class);
        for (int t = 0; t < x.length; t++) {
            assertEquals(here[t].anomalyScore(), there[t].anomalyScore(), TOLERANCE, "anomaly score, event " + t);
            assertEquals(here[t].likelihoodScore(), there[t].likelihoodScore(), TOLERANCE, "likelihood, event " + t);
            assertEquals(here[t].patternScore(), there[t].patternScore(), TOLERANCE, "pattern score, event " + t);
            assertEquals(here[t].transition(), there[t].transition(), "alert transition, event " + t);
            assertEquals(here[t].reason(), there[t].reason(), "alert reason, event " + t);
            if (here[t].transition() == AlertTransition.OPENED) {
                reasons.add(here[t].reason());
            }
        }
        // the comparison is of a series that alerts, for more than one reason
        assertTrue(reasons.size() >= 3, "alert reasons seen: " + reasons);
    }

    @Test
    void shouldScoreTheSameInFahrenheitAsInCelsius() {
        assertSameScores(ScoringConfig.defaults(), c -> c * 1.8 + 32);
    }

    @Test
    void shouldScoreTheSameInKelvin() {
        assertSameScores(ScoringConfig.defaults(), c -> c + 273.15);
    }

    @Test
    void shouldScoreTheSameInMillidegrees() {
        assertSameScores(ScoringConfig.defaults(), c -> c * 1000);
    }

    @Test
    void shouldScoreTheSameInFahrenheitWithTheRhythmSignalOn() {
        assertSameScores(ScoringConfigs.with(ScoringConfig.defaults(), "rhythmHalfLife", 120), c -> c * 1.8 + 32);
    }
}
