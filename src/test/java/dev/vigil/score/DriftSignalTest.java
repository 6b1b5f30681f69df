package dev.vigil.score;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ScoringConfig#driftHalfLife()}: a slow change that persistence follows step by step. */
class DriftSignalTest {

    static ScoringConfig withDrift(int halfLife) {
        return ScoringConfigs.with(ScoringConfig.defaults(), "driftHalfLife", halfLife);
    }

    /**
     * Noise around 50 (sd 1, fractional) for 3,000 events, then a ramp of +0.01 per event to +1.5, held: each step
     * is a hundredth of the noise, and the new level lies well inside the range the noise has already reached.
     */
    private static double[] series() {
        Random random = new Random(11);
        double[] x = new double[3300];
        for (int t = 0; t < x.length; t++) {
            double ramp = t < 3000 ? 0 : Math.min(1.5, 0.01 * (t - 3000));
            x[t] = 50 + ramp + random.nextGaussian();
        }
        return x;
    }

    /** Scores every reading with persistence (the previous reading as the prediction). */
    private static ScoreOutcome[] run(ScoringConfig config, double[] x) {
        Scorer scorer = new Scorer(config);
        ScoreState state = scorer.newState(1);
        ScoreOutcome[] out = new ScoreOutcome[x.length];
        for (int t = 0; t < x.length; t++) {
            out[t] = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
        }
        return out;
    }

    @Test
    void shouldOpenADriftAlertOnASlowRampThatThePredictionErrorMisses() {
        double[] x = series();
        ScoreOutcome[] on = run(withDrift(60), x);
        ScoreOutcome[] off = run(withDrift(0), x);
        for (int t = 0; t < 3000; t++) {
            assertTrue(on[t].reason() != AlertReason.DRIFT, "a drift alert on stationary noise at event " + t);
        }
        int openedOn = firstOpened(on);
        int openedOff = firstOpened(off);
        assertTrue(openedOn > 3000, "the ramp opens an alert");
        assertEquals(AlertReason.DRIFT, on[openedOn].reason());
        assertTrue(on[openedOn].detail().contains("drift score"), on[openedOn].detail());
        assertTrue(openedOff < 0 || openedOff > openedOn, "without the drift signal the ramp is seen later, if at all: "
                + openedOff + " against " + openedOn);
    }

    private static int firstOpened(ScoreOutcome[] out) {
        for (int t = 3000; t < out.length; t++) {
            if (out[t].transition() == AlertTransition.OPENED) {
                return t;
            }
        }
        return -1;
    }

    @Test
    void shouldKeepTheDriftStateThroughTheCodec() {
        Scorer scorer = new Scorer(withDrift(60));
        ScoreState state = scorer.newState(2);
        double[] x = series();
        for (int t = 0; t < 400; t++) {
            scorer.score(state, new double[] {x[t], -x[t]}, t == 0 ? null : new double[] {x[t - 1], -x[t - 1]},
                    Scorer.ESTABLISHED);
        }
        assertTrue(state.drift().levelUpdates() > 0);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, buf);
        assertEquals(buf.capacity(), buf.position());
        buf.flip();
        assertEquals(state, ScoreStateCodec.read(buf));
    }
}
