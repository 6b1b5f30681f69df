package dev.vigil.score;

import dev.vigil.eval.synth.RandomDraws;
import dev.vigil.testutil.SyntheticSeries;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spike rule ({@link ScoringConfig#spikeRows()}): readings that jump out of their neighbours and straight back. */
class SpikeRuleTest {
    /** A daily-like cycle between about 5 and 15 with noise of 0.3: a trough at t = 75 + 100k, a crest at 25 + 100k. */
    private static double[] cycle() {
        return SyntheticSeries.seasonal(1100, 10, 5, 100, 0.3, 11);
    }

    /** Each alert opened by the spike rule: "t detail". */
    private static List<String> spikeOpenings(ScoringConfig config, double[] x) {
        Scorer scorer = new Scorer(config);
        ScoreState state = scorer.newState(1);
        List<String> out = new ArrayList<>();
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            if (o.transition() == AlertTransition.OPENED && o.reason() == AlertReason.SPIKE) {
                out.add(t + " " + o.detail());
            }
        }
        return out;
    }

    @Test
    void shouldFireOneEventAfterAReadingThatJumpedOutInsideTheRangeAndCameBack() {
        double[] x = SyntheticSeries.withSpike(cycle(), 975, 4);
        assertTrue(x[975] < 15 - 1, "the spike stays inside the range the cycle has covered: " + x[975]);
        assertEquals(List.of("976 a spike: 1 reading above the readings either side, standing out more than 2 times"
                + " as far as any before"), spikeOpenings(ScoringConfig.defaults(), x));
    }

    @Test
    void shouldFindARunOfTwoReadingsBelowTheirNeighbours() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.withSpike(cycle(), 925, -4), 926, -4);
        assertEquals(List.of("927 a spike: 2 readings below the readings either side, standing out more than 2 times"
                + " as far as any before"), spikeOpenings(ScoringConfig.defaults(), x));
        ScoringConfig oneRow = ScoringConfigs.withSpikes(ScoringConfig.defaults(), 1, 1.0);
        assertEquals(List.of(), spikeOpenings(oneRow, x), "spikeRows=1 looks for single readings only");
    }

    @Test
    void shouldNotFireOnAnExcursionTheKeyHasHadBefore() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.withSpike(cycle(), 475, 4), 975, 4);
        assertEquals(List.of(), spikeOpenings(ScoringConfig.defaults(), x), "the same excursion again is no spike");
        double[] twiceAndMore = SyntheticSeries.withSpike(SyntheticSeries.withSpike(cycle(), 475, 4), 975, 8.5);
        assertEquals(1, spikeOpenings(ScoringConfig.defaults(), twiceAndMore).size());
        ScoringConfig wide = ScoringConfigs.withSpikes(ScoringConfig.defaults(), 2, 1.5);
        assertEquals(List.of(), spikeOpenings(wide, twiceAndMore), "spikeMargin 1.5 asks for 2.5 times as far");
    }

    @Test
    void shouldJudgeNothingWhileTheKeysExcursionsAreLearntNorWhenOff() {
        double[] early = SyntheticSeries.withSpike(cycle(), 575, 4);
        assertEquals(List.of(), spikeOpenings(ScoringConfig.defaults(), early), "its 576th reading: still learning");
        double[] x = SyntheticSeries.withSpike(cycle(), 975, 4);
        assertEquals(List.of(), spikeOpenings(ScoringConfigs.withSpikes(ScoringConfig.defaults(), 0, 1.0), x));
    }

    @Test
    void shouldMeasureACountOnTheSquareRootScaleAndRestartWhenItStopsCounting() {
        Scorer scorer = new Scorer(ScoringConfig.defaults());
        ScoreState state = scorer.newState(1);
        java.util.Random rnd = new java.util.Random(3);
        for (int t = 0; t < 700; t++) {
            scorer.score(state, new double[] {100 + rnd.nextInt(21)}, null, Scorer.ESTABLISHED);
        }
        assertEquals(700 - Scorer.JUMP_SETTLE - 1, state.excursions().spikesSeen());
        assertTrue(state.excursions().spikeHigh()[0] < Math.sqrt(120) - Math.sqrt(100), "on the square-root scale: "
                + state.excursions().spikeHigh()[0]);
        scorer.score(state, new double[] {110.5}, null, Scorer.ESTABLISHED);
        assertEquals(0, state.excursions().spikesSeen(),
                "no longer a count: its excursions are learnt again on the reading scale");
        assertArrayEquals(new double[Scorer.SPIKE_WIDTHS], state.excursions().spikeHigh());
    }

    /**
     * Whether the spike rule opens an alert on an over-dispersed count (negative binomial, φ = 0.1, each reading
     * predicted at its rate) whose rate switches between a busy 1,000 and a quiet 20 every 50 readings, when two
     * readings of a busy spell are cut to a twentieth of its rate.
     */
    private static boolean catchesABusyCut(ScoringConfig config, long seed) {
        Scorer scorer = new Scorer(config);
        ScoreState state = scorer.newState(1);
        RandomDraws draws = new RandomDraws(seed);
        boolean caught = false;
        for (int t = 0; t < 1430; t++) {
            double rate = (t / 50) % 2 == 0 ? 1000 : 20;
            double x = t == 1425 || t == 1426 ? rate / 20 : draws.negativeBinomial(rate, 10);
            ScoreOutcome o = scorer.score(state, new double[] {x}, t == 0 ? null : new double[] {rate},
                    Scorer.ESTABLISHED);
            caught |= t > 1425 && o.transition() == AlertTransition.OPENED && o.reason() == AlertReason.SPIKE;
        }
        return caught;
    }

    @Test
    void shouldMeasureAnOverDispersedCountsExcursionsOnItsOwnScale() {
        ScoringConfig squareRoot = ScoringConfigs.with(ScoringConfig.defaults(), "countDispersionHalfLife", 0);
        int onItsScale = 0;
        int onTheSquareRoot = 0;
        for (long seed = 1; seed <= 10; seed++) {
            onItsScale += catchesABusyCut(ScoringConfig.defaults(), seed) ? 1 : 0;
            onTheSquareRoot += catchesABusyCut(squareRoot, seed) ? 1 : 0;
        }
        // on the square root a busy spell's noise is √(1 + φ·1000) ≈ 10 times a quiet one's and its bursts are the
        // largest excursions learnt; on the dispersion's scale noise is as wide at every rate
        assertTrue(onItsScale >= 8, "caught on the dispersion's scale in " + onItsScale + " of 10");
        assertTrue(onTheSquareRoot <= 3, "caught on the square-root scale in " + onTheSquareRoot + " of 10");
    }

    @Test
    void shouldCountASpikeAndARangeRecordAsOneKindOfAlert() {
        assertFalse(Scorer.opensAnew(AlertReason.SPIKE, AlertReason.RANGE));
        assertFalse(Scorer.opensAnew(AlertReason.RANGE, AlertReason.SPIKE));
        assertFalse(Scorer.opensAnew(AlertReason.SPIKE, AlertReason.SPIKE));
        assertTrue(Scorer.opensAnew(AlertReason.SPIKE, AlertReason.PREDICTION_ERROR), "a new fact in an incident");
        assertTrue(Scorer.opensAnew(AlertReason.SPIKE, AlertReason.STUCK_SENSOR));
        assertTrue(Scorer.opensAnew(AlertReason.STUCK_SENSOR, AlertReason.SPIKE));
        assertFalse(Scorer.opensAnew(AlertReason.PATTERN, AlertReason.SPIKE), "statistical signals repeat");
    }

    @Test
    void shouldKeepTheLearntExcursionsThroughTheCodecAndRefuseMoreThanTheReadings() {
        Scorer scorer = new Scorer(ScoringConfigs.withoutOptionalSections());
        ScoreState state = scorer.newState(1);
        double[] x = cycle();
        for (int t = 0; t < 700; t++) {
            scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]}, Scorer.ESTABLISHED);
        }
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, buf);
        assertEquals(0, buf.remaining());
        ScoreState back = ScoreStateCodec.read(java.nio.ByteBuffer.wrap(buf.array()));
        assertEquals(state, back);
        assertArrayEquals(new double[] {x[697], x[698]}, back.excursions().spikeBefore());
        assertTrue(back.excursions().spikeHigh()[0] > 0 && back.excursions().spikeHigh()[1] > 0);
        // the count of readings learnt is the section's last field, before the hour profile and two bytes (rhythm,
        // novelty)
        buf.putLong(buf.capacity() - 2 - 4 * Scorer.HOUR_BINS - 8, state.updates() + 1);
        assertEquals("score state has 701 excursions learnt of 700 readings", org.junit.jupiter.api.Assertions
                .assertThrows(dev.vigil.BadBytesException.class,
                        () -> ScoreStateCodec.read(java.nio.ByteBuffer.wrap(buf.array()))).getMessage());
    }
}
