package dev.vigil.score;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatternSurpriseTest {
    private static final int BINS = 8;

    /** Feeds one reading through the range and the pattern table as the scorer does; returns the raw surprise. */
    private static double feed(ScoreState state, PatternTable table, double x) {
        double s = PatternSurprise.observe(table, state, new double[] {x});
        OnlineNormaliser.update(state, new double[] {x}, ScoringConfig.defaults());
        return s;
    }

    /** Readings 0 and 8 set the range to [0, 8]: one unit per bin. */
    private static void spanZeroToEight(ScoreState state, PatternTable table) {
        feed(state, table, 0);
        feed(state, table, 8);
    }

    /** A sawtooth 0, 1, ..., 7, 0, 1, ... spans the range in steps of one bin. */
    private static double sawtooth(int t) {
        return t % 8 + 0.5;
    }

    @Test
    void shouldFindAnInRangeBreakOfAStrictHabitFullySurprisingAndItsUsualContinuationNot() {
        ScoreState state = new ScoreState(1, 10);
        PatternTable table = new PatternTable(1, BINS, 2);
        spanZeroToEight(state, table);
        for (int t = 0; t < 400; t++) {
            feed(state, table, sawtooth(t));
        }
        double usual = feed(state, table, sawtooth(400));
        double broken = feed(state, table, sawtooth(400) + 3);
        assertTrue(usual < 0.05, "the habitual continuation scored " + usual);
        // p = (1 + 1) / (50 + 1 + 1) / 9 unseen symbols = 0.0043: -ln p / ln 1000 = 0.79
        assertTrue(broken > 0.75, "a never-seen continuation of a context seen 50 times, always followed alike, scored "
                + broken);
    }

    @Test
    void shouldNotRaiseThePatternScoreOnNoiseThatVisitsEveryBin() {
        Scorer scorer = new Scorer(ScoringConfig.defaults());
        ScoreState state = scorer.newState(1);
        Random rnd = new Random(11);
        double previous = rnd.nextDouble();
        double peak = 0;
        for (int t = 0; t < 5000; t++) {
            double x = rnd.nextDouble();
            ScoreOutcome o = scorer.score(state, new double[] {x}, new double[] {previous}, Scorer.ESTABLISHED);
            previous = x;
            if (t > 500) {
                peak = Math.max(peak, o.patternScore());
            }
        }
        assertTrue(peak < ScoringConfig.defaults().alertThreshold(), "uniform noise peaked at " + peak);
    }

    @Test
    void shouldScoreNothingUntilAContextHasBeenSeenOften() {
        ScoreState state = new ScoreState(1, 10);
        PatternTable table = new PatternTable(1, BINS, 2);
        spanZeroToEight(state, table);
        for (int t = 0; t < 8 * (PatternSurprise.MIN_CONTEXT - 1); t++) {
            assertEquals(0.0, feed(state, table, sawtooth(t)), "event " + t);
        }
    }

    @Test
    void shouldHalveAFullContextSoCountsStayBytesAndOldHabitsFade() {
        ScoreState state = new ScoreState(1, 10);
        PatternTable table = new PatternTable(1, BINS, 2);
        spanZeroToEight(state, table);
        for (int t = 0; t < 1000; t++) {
            feed(state, table, t % 2 == 0 ? 1.5 : 6.5);
        }
        int max = 0;
        for (byte b : table.counts()) {
            max = Math.max(max, Byte.toUnsignedInt(b));
        }
        assertTrue(max <= 255 && max > 127, "largest count " + max);
    }

    @Test
    void shouldOpenAPatternAlertWhenARisingSawtoothTurnsIntoAFallingOneThatPersistenceScoringMisses() {
        ScoringConfig on = ScoringConfig.defaults();
        ScoringConfig off = ScoringConfigs.with(on, "patternBins", 0);
        double[] x = new double[1200];
        for (int t = 0; t < x.length; t++) {
            // up one bin a step, then back to the bottom; from t = 1000 down one bin a step, then back to the top:
            // the same readings and the same persistence errors (1 each step, 7 at each wrap), in reverse order
            x[t] = t < 1000 ? sawtooth(t) : 7.5 - t % 8;
        }
        assertEquals(AlertReason.PATTERN, firstAlert(new Scorer(on), x, 1000));
        assertEquals(null, firstAlert(new Scorer(off), x, 1000));
        // the window novelty alone sees it too: a falling window is a shape the key has never shown
        Scorer novelty = new Scorer(ScoringConfigs.with(off, "noveltyWindow", 6));
        assertEquals(AlertReason.PATTERN, firstAlert(novelty, x, 1000));
    }

    @Test
    void shouldRoundTripSparseAndDensePatternTablesThroughTheCodec() {
        Scorer scorer = new Scorer(ScoringConfig.defaults());
        for (boolean noisy : new boolean[] {false, true}) {
            ScoreState state = scorer.newState(2);
            Random rnd = new Random(5);
            for (int t = 0; t < 3000; t++) {
                double[] x = noisy ? new double[] {rnd.nextDouble(), rnd.nextGaussian()}
                        : new double[] {sawtooth(t), t % 3};
                scorer.score(state, x, t == 0 ? null : x.clone(), Scorer.ESTABLISHED);
            }
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(ScoreStateCodec.size(state));
            ScoreStateCodec.write(state, buf);
            assertEquals(buf.capacity(), buf.position(), "size() is exact");
            buf.flip();
            assertEquals(state, ScoreStateCodec.read(buf));
        }
    }

    /** The reason of the first alert opened at or after {@code from}, or null. */
    private static AlertReason firstAlert(Scorer scorer, double[] x, int from) {
        ScoreState state = scorer.newState(1);
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            if (t >= from && o.transition() == AlertTransition.OPENED) {
                return o.reason();
            }
        }
        return null;
    }
}
