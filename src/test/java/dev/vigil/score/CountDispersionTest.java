package dev.vigil.score;

import dev.vigil.BadBytesException;
import dev.vigil.eval.synth.RandomDraws;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ScoringConfig#countDispersionHalfLife()}: a count key learns its over-dispersion from its misses, and a
 * shortfall below its centre weighs more by it, any other miss as on the square-root scale.
 */
class CountDispersionTest {
    private static final double RATE = 40;
    private final ScoringConfig on = ScoringConfig.defaults();
    private final ScoringConfig off = ScoringConfigs.with(on, "countDispersionHalfLife", 0);
    /** No rhythm state and no idle readings: the dispersion alone follows the score state's flags byte. */
    private final ScoringConfig bare = ScoringConfigs.with(on, "rhythmHalfLife", 0, "countIdleRuns", false,
            "noveltyWindow", 0);

    /**
     * Counts around {@link #RATE}, negative binomial with dispersion {@code phi} ({@code phi} 0: Poisson), each
     * predicted at the rate; returns the state after {@code n}.
     */
    private static ScoreState counted(Scorer scorer, double phi, int n) {
        ScoreState state = scorer.newState(1);
        RandomDraws draws = new RandomDraws(11);
        for (int t = 0; t < n; t++) {
            double x = phi == 0 ? draws.poisson(RATE) : draws.negativeBinomial(RATE, 1 / phi);
            scorer.score(state, new double[] {x}, t == 0 ? null : new double[] {RATE}, Scorer.ESTABLISHED);
        }
        return state;
    }

    /** The raw score of one more reading {@code x} predicted as {@code p}, on a copy of the state. */
    private static double rawOf(Scorer scorer, ScoreState state, double x, double p) {
        ScoreState copy = scorer.newState(1);
        copy.copyFrom(state);
        return scorer.score(copy, new double[] {x}, new double[] {p}, Scorer.ESTABLISHED).rawScore();
    }

    @Test
    void shouldLearnANegativeBinomialsDispersionAndNoneForPoissonCounts() {
        Scorer scorer = new Scorer(on);
        double bursty = counted(scorer, 0.5, 5000).dispersion().phi(0);
        assertTrue(bursty > 0.3 && bursty < 0.7, "phi 0.5 learnt as " + bursty + " (misses clipped at 4 sd)");
        double poisson = counted(scorer, 0, 5000).dispersion().phi(0);
        assertTrue(poisson < 0.02, "Poisson counts vary by their mean: " + poisson);
    }

    @Test
    void shouldWeighADropBelowTheCentreMoreAndAMissAboveItAsTheSquareRootDoes() {
        Scorer with = new Scorer(on);
        Scorer without = new Scorer(off);
        ScoreState a = counted(with, 0.5, 3000);
        ScoreState b = counted(without, 0.5, 3000);
        assertNull(b.dispersion(), "off: no dispersion kept");
        assertEquals(a.center()[0], b.center()[0], "the same readings, the same centre");
        // a quiet hour's count of 12, cut to 1: far below the centre, where a bursty count's noise is smallest
        double drop = rawOf(with, a, 1, 12);
        assertTrue(drop > rawOf(without, b, 1, 12) + 0.1, "the drop weighs more: " + drop);
        // a burst, a quiet hour's burst, and a miss just above the centre: the square-root scale's measure, to the bit
        assertEquals(rawOf(without, b, 130, 100), rawOf(with, a, 130, 100));
        assertEquals(rawOf(without, b, 20, 8), rawOf(with, a, 20, 8), "above its prediction, below the centre");
        assertEquals(rawOf(without, b, 52, 45), rawOf(with, a, 52, 45));
        // Poisson counts: no dispersion, no difference below the centre either
        ScoreState poisson = counted(with, 0, 3000);
        ScoreState plain = counted(without, 0, 3000);
        assertEquals(rawOf(without, plain, 1, 12), rawOf(with, poisson, 1, 12), 0.01);
    }

    @Test
    void shouldKeepItOnlyForKeysThatCount() {
        Scorer scorer = new Scorer(bare);
        ScoreState state = counted(scorer, 0.5, 200);
        assertNotNull(state.dispersion());
        int withIt = ScoreStateCodec.size(state);
        scorer.score(state, new double[] {40.5}, new double[] {RATE}, Scorer.ESTABLISHED);
        scorer.score(state, new double[] {41}, new double[] {RATE}, Scorer.ESTABLISHED);
        assertNull(state.dispersion(), "a channel that stops counting drops it by its next reading");
        assertEquals(CountDispersion.bytes(1), withIt - ScoreStateCodec.size(state));
    }

    @Test
    void shouldRoundTripTheDispersionAndLearnItAfreshFromAStateWrittenBeforeIt() {
        Scorer scorer = new Scorer(bare);
        ScoreState state = counted(scorer, 0.5, 500);
        ByteBuffer bytes = ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, bytes);
        assertEquals(0, bytes.remaining(), "size() counts every byte written");
        ScoreState back = ScoreStateCodec.read(bytes.flip());
        assertEquals(state, back, "the dispersion round-trips");
        assertEquals(state.dispersion().phi(0), back.dispersion().phi(0));

        // as a release before it wrote the state: the flags clear, the section absent (the novelty byte, 0, after them)
        byte[] written = bytes.array();
        int flags = written.length - 1 - CountDispersion.bytes(1) - 1;
        assertEquals(64 | 128, written[flags] & (64 | 128), "the dispersion and its spike scale follow the flags");
        byte[] before = java.util.Arrays.copyOf(written, flags + 2);
        before[flags] &= ~(64 | 128);
        before[flags + 1] = 0;
        ScoreState old = ScoreStateCodec.read(ByteBuffer.wrap(before));
        assertNull(old.dispersion());
        assertEquals(500 - Scorer.JUMP_SETTLE - 1, old.excursions().spikesSeen());
        scorer.score(old, new double[] {38}, new double[] {RATE}, Scorer.ESTABLISHED);
        assertNotNull(old.dispersion(), "learnt afresh from the key's next reading");
        assertEquals(1, old.excursions().spikesSeen(), "restarted: the spike rule learns again from this reading");

        // as a release that kept the dispersion but learnt the spike rule's excursions on the square-root scale
        byte[] squareRoot = written.clone();
        squareRoot[flags] &= ~128;
        ScoreState rooted = ScoreStateCodec.read(ByteBuffer.wrap(squareRoot));
        assertEquals(state.dispersion().phi(0), rooted.dispersion().phi(0));
        assertEquals(0, rooted.excursions().spikesSeen(), "its excursions were on another scale: learnt afresh");
        assertEquals(0.0, java.util.Arrays.stream(rooted.excursions().spikeHigh()).max().orElseThrow());
        byte[] scaleAlone = before.clone();
        scaleAlone[flags] |= (byte) 128;
        assertTrue(assertThrows(BadBytesException.class, () -> ScoreStateCodec.read(ByteBuffer.wrap(scaleAlone)))
                .getMessage().contains("a dispersion's scale without a dispersion"));

        // a negative squared level is impossible
        ByteBuffer bad = ByteBuffer.wrap(written.clone());
        bad.putFloat(written.length - 1 - Float.BYTES, -1f);
        assertTrue(assertThrows(BadBytesException.class, () -> ScoreStateCodec.read(bad.rewind())).getMessage()
                .contains("count dispersion"));
    }
}
