package dev.vigil.score;

import dev.vigil.BadBytesException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ScoringConfig#countAware()}: a count's prediction error on the square-root scale, and what a burst may add to
 * it ({@link ScoringConfig#countBurstCap()}).
 */
class CountNoiseTest {
    private final ScoringConfig aware = ScoringConfig.defaults();
    private final ScoringConfig plain = withCountAware(aware, false);

    static ScoringConfig withCountAware(ScoringConfig c, boolean countAware) {
        return ScoringConfigs.with(c, "countAware", countAware);
    }

    /** Poisson-like counts around a rate of 40, persistence prediction; returns the state after them. */
    private static ScoreState counted(Scorer scorer, int n) {
        ScoreState state = scorer.newState(1);
        Random random = new Random(7);
        double previous = 40;
        for (int t = 0; t < n; t++) {
            double x = Math.max(0, Math.round(40 + Math.sqrt(40) * random.nextGaussian()));
            scorer.score(state, new double[] {x}, t == 0 ? null : new double[] {previous}, Scorer.ESTABLISHED);
            previous = x;
        }
        return state;
    }

    /** The raw score of one more reading {@code x} predicted as {@code p}, on a copy of the state. */
    private static double rawOf(Scorer scorer, ScoreState state, double x, double p) {
        return outcomeOf(scorer, state, x, p).rawScore();
    }

    private static ScoreOutcome outcomeOf(Scorer scorer, ScoreState state, double x, double p) {
        ScoreState copy = scorer.newState(1);
        copy.copyFrom(state);
        return scorer.score(copy, new double[] {x}, new double[] {p}, Scorer.ESTABLISHED);
    }

    @Test
    void shouldWeighABurstLessAndADropMoreForACount() {
        Scorer withCounts = new Scorer(aware);
        Scorer without = new Scorer(plain);
        ScoreState a = counted(withCounts, 500);
        ScoreState b = counted(without, 500);
        assertTrue(a.counts()[0], "whole numbers >= 0 throughout");
        // the same miss of +30 at a level of 100 (a burst) and -30 towards 0 (a drop)
        assertTrue(rawOf(withCounts, a, 130, 100) < rawOf(without, b, 130, 100), "a burst high up weighs less");
        assertTrue(rawOf(withCounts, a, 5, 35) > rawOf(without, b, 5, 35), "a drop towards zero weighs more");
        // near the key's centre the two scales agree
        assertEquals(rawOf(without, b, 46, 34), rawOf(withCounts, a, 46, 34), 0.02);
    }

    @Test
    void shouldLetABurstAddNoMoreThanTheCapToTheErrorButADropItsWholeMiss() {
        double cap = aware.countBurstCap();
        Scorer capped = new Scorer(aware);
        Scorer uncapped = new Scorer(ScoringConfigs.withBurstCap(aware, 0));
        ScoreState state = counted(capped, 500);
        // a burst to five times the rate: many units above its prediction on the square-root scale
        ScoreOutcome burst = outcomeOf(capped, state, 200, 40);
        assertTrue(burst.scaledResidual()[0] > 2 * cap, "the scaled miss reported whole: " + burst.scaledResidual()[0]);
        assertEquals(cap / (1 + cap), burst.rawScore(), 1e-12, "but it adds the cap to the error, r/(1+r) of it");
        assertTrue(rawOf(uncapped, state, 200, 40) > burst.rawScore() + 0.1, "uncapped, all of it");
        // a miss below the cap, and a drop towards zero, count whole either way
        assertEquals(rawOf(uncapped, state, 46, 40), rawOf(capped, state, 46, 40));
        assertEquals(rawOf(uncapped, state, 0, 40), rawOf(capped, state, 0, 40));
        assertTrue(outcomeOf(capped, state, 0, 40).scaledResidual()[0] < -cap, "the drop is past the cap's size");
    }

    @Test
    void shouldNotCapAChannelThatIsNoCount() {
        Scorer capped = new Scorer(aware);
        Scorer uncapped = new Scorer(ScoringConfigs.withBurstCap(aware, 0));
        ScoreState state = counted(capped, 300);
        capped.score(state, new double[] {40.5}, new double[] {40}, Scorer.ESTABLISHED);
        assertFalse(state.counts()[0]);
        assertEquals(rawOf(uncapped, state, 200, 40), rawOf(capped, state, 200, 40));
        assertTrue(rawOf(capped, state, 200, 40) > 0.9, "a wild miss of a measurement is not capped");
    }

    @Test
    void shouldStopCountingAChannelAtItsFirstFractionalOrNegativeReadingForGood() {
        Scorer withCounts = new Scorer(aware);
        Scorer without = new Scorer(plain);
        ScoreState a = counted(withCounts, 300);
        ScoreState b = counted(without, 300);
        withCounts.score(a, new double[] {40.5}, new double[] {40}, Scorer.ESTABLISHED);
        without.score(b, new double[] {40.5}, new double[] {40}, Scorer.ESTABLISHED);
        assertFalse(a.counts()[0]);
        assertEquals(rawOf(without, b, 130, 100), rawOf(withCounts, a, 130, 100), "then measured as any reading");
        withCounts.score(a, new double[] {41}, new double[] {40.5}, Scorer.ESTABLISHED);
        assertFalse(a.counts()[0], "a later whole number does not make it a count again");
        ScoreState c = counted(withCounts, 10);
        withCounts.score(c, new double[] {-1}, new double[] {40}, Scorer.ESTABLISHED);
        assertFalse(c.counts()[0], "a negative reading is no count");
    }

    @Test
    void shouldKeepEachChannelsCountFlagThroughTheCodec() {
        Scorer scorer = new Scorer(ScoringConfigs.withoutOptionalSections());
        ScoreState state = scorer.newState(10);
        double[] x = new double[10];
        for (int t = 0; t < 50; t++) {
            for (int c = 0; c < x.length; c++) {
                x[c] = c == 3 || c == 9 ? t + 0.5 : t;
            }
            scorer.score(state, x, t == 0 ? null : x.clone(), Scorer.ESTABLISHED);
        }
        ByteBuffer buf = ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, buf);
        buf.flip();
        ScoreState back = ScoreStateCodec.read(buf);
        assertEquals(state, back);
        for (int c = 0; c < x.length; c++) {
            assertEquals(c != 3 && c != 9, back.counts()[c], "channel " + c);
        }
        byte[] bytes = buf.array();
        // then the means, the drift calibration, the run count, the jumps, the spike section, the hour profile, the
        // rhythm byte and the novelty byte
        int lastCountByte = bytes.length - (8 * x.length + 4 + 2 + 8 + 8 + 8 + 8) - (3 * 8 * x.length + 8)
                - (2 * Scorer.SPIKE_WIDTHS * 8 * x.length + 8) - 4 * Scorer.HOUR_BINS * x.length - 1 - 1 - 1;
        bytes[lastCountByte] |= (byte) 0x80;
        assertThrows(BadBytesException.class, () -> ScoreStateCodec.read(ByteBuffer.wrap(bytes)));
    }
}
