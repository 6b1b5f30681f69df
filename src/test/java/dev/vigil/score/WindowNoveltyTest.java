package dev.vigil.score;

import dev.vigil.BadBytesException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowNoveltyTest {
    /** The defaults with the window novelty on: windows of 6 readings, as ARTime takes them. */
    private static final ScoringConfig ON = ScoringConfigs.with(ScoringConfig.defaults(), "noveltyWindow", 6);
    /** The window novelty alone: the pattern table off. */
    private static final ScoringConfig NOVELTY = ScoringConfigs.with(ON, "patternBins", 0);

    /** Feeds one reading into the novelty state and the range, as the scorer does; returns the raw novelty. */
    private static double feed(NoveltyState n, ScoreState state, double x) {
        double raw = WindowNovelty.observe(n, state, new double[] {x}, 0.98);
        OnlineNormaliser.update(state, new double[] {x}, ScoringConfig.defaults());
        return raw;
    }

    /** A daily-like cycle of 48 readings: a slow rise and a sharp fall, with a little noise. */
    private static double cycle(int t, Random rnd) {
        int phase = t % 48;
        return (phase < 36 ? phase / 36.0 : (48 - phase) / 12.0) * 10 + 0.05 * rnd.nextGaussian();
    }

    @Test
    void shouldLearnACyclesWindowsAndFindAWindowOfANewShapeNovel() {
        ScoreState state = new ScoreState(1, 10);
        NoveltyState n = new NoveltyState(1, 6, 128, 20);
        Random rnd = new Random(3);
        int novel = 0;
        for (int t = 0; t < 2400; t++) {
            double raw = feed(n, state, cycle(t, rnd));
            novel += t >= 1200 ? (int) raw : 0;
        }
        assertTrue(n.categories() < 128, "a cycle's windows take few categories: " + n.categories());
        assertTrue(novel <= 12, "once learnt, the cycle's windows are seldom new: " + novel + " in 1200");
        // the same readings' range, in another shape: a sawtooth of period 6 across the whole range
        double newShape = 0;
        for (int t = 0; t < 6; t++) {
            newShape += feed(n, state, t % 2 == 0 ? 0.5 : 9.5);
        }
        assertTrue(newShape >= 3, "a zigzag inside the range is a shape never seen: " + newShape + " of 6 novel");
    }

    @Test
    void shouldKeepAtMostItsCapacityReplacingTheCategoryMatchedLeastRecently() {
        ScoreState state = new ScoreState(1, 10);
        // windows of one reading in the range [0, 10]: a category is a level, 5 (the first, before the range) its first
        NoveltyState n = new NoveltyState(1, 1, 3, 20);
        feed(n, state, 0);
        assertEquals(1.0, feed(n, state, 10), "the first window, at the middle of a range not yet known");
        assertEquals(1.0, feed(n, state, 0));
        assertEquals(1.0, feed(n, state, 10));
        assertEquals(3, n.categories(), "5, 0 and 10: full");
        assertEquals(0.0, feed(n, state, 0), "0 known, and now matched after 10");
        assertEquals(0.0, feed(n, state, 5), "5 known, and now matched last");
        assertEquals(1.0, feed(n, state, 2.5), "new: in place of 10, matched least recently");
        assertEquals(3, n.categories(), "held at its capacity");
        assertEquals(1.0, feed(n, state, 10), "10 was forgotten; in place of 0");
        assertEquals(0.0, feed(n, state, 5), "5 kept");
        assertEquals(1.0, feed(n, state, 0), "0 was forgotten");
    }

    @Test
    void shouldOpenAPatternAlertOnANewShapeInsideTheRangeAndStayQuietOnTheUsualOne() {
        Random rnd = new Random(7);
        double[] x = new double[3000];
        for (int t = 0; t < x.length; t++) {
            // from 2500 on, the cycle falls slowly and rises sharply: its mirror image, every reading in range
            x[t] = cycle(t < 2500 ? t : 48 - t % 48, rnd);
        }
        Scorer scorer = new Scorer(NOVELTY);
        ScoreState state = scorer.newState(1);
        AlertReason first = null;
        int at = -1;
        for (int t = 0; t < x.length && first == null; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            if (o.transition() == AlertTransition.OPENED) {
                first = o.reason();
                at = t;
            }
        }
        assertEquals(AlertReason.PATTERN, first);
        assertTrue(at >= 2500 && at < 2548, "within the first changed cycle: " + at);
        Scorer off = new Scorer(ScoringConfigs.with(NOVELTY, "noveltyWindow", 0));
        ScoreState plain = off.newState(1);
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = off.score(plain, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            assertTrue(t < 2500 || o.transition() != AlertTransition.OPENED, "without it, no alert at " + t);
        }
    }

    @Test
    void shouldNotJudgeTheShapesOfABurstyCountButKeepLearningThem() {
        Random rnd = new Random(11);
        double[] x = new double[3000];
        for (int t = 0; t < x.length; t++) {
            // whole counts on the cycle, a burst of five times the rate now and then; from 2500 the mirrored cycle
            double rate = 2 + 3 * cycle(t < 2500 ? t : 48 - t % 48, rnd);
            x[t] = Math.round(rate * (t % 211 == 0 ? 5 : 1));
        }
        Scorer scorer = new Scorer(NOVELTY);
        ScoreState state = scorer.newState(1);
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            assertEquals(0.0, o.patternScore(), "a bursty count's new shape at " + t);
        }
        assertTrue(DailySignals.burstyCount(state, 0), "a count past twice its centre");
        assertTrue(state.novelty().categories() > 1, "its windows still learnt: " + state.novelty().categories());
    }

    @Test
    void shouldJudgeANoisyKeyAgainstItsOwnShareOfNewWindowsOnceSettled() {
        // noise of a tenth of the swing: most windows are new, before the key settles and after
        double[] x = dev.vigil.testutil.SyntheticSeries.seasonal(1500, 50, 10, 60, 1.0, 4);
        Scorer scorer = new Scorer(NOVELTY);
        ScoreState state = scorer.newState(1);
        double peak = 0;
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            assertTrue(o.transition() != AlertTransition.OPENED || o.reason() != AlertReason.PATTERN,
                    "a pattern alert at " + t);
            peak = t > WindowNovelty.SETTLE ? Math.max(peak, o.patternScore()) : peak;
        }
        assertTrue(state.novelty().level().longMean() > 0.2, "often new: " + state.novelty().level().longMean());
        assertTrue(peak < 0.5, "the novelty's peak once settled: " + peak);
    }

    @Test
    void shouldRoundTripTheNoveltyStateAndStartAfreshWhenItsSettingsChange() {
        Scorer scorer = new Scorer(ON);
        ScoreState state = scorer.newState(2);
        Random rnd = new Random(11);
        for (int t = 0; t < 700; t++) {
            double[] x = {cycle(t, rnd), rnd.nextGaussian()};
            scorer.score(state, x, t == 0 ? null : x.clone(), Scorer.ESTABLISHED);
        }
        NoveltyState n = state.novelty();
        assertNotNull(n);
        assertEquals(ON.noveltyCategories(), n.categories(), "noise fills every category");
        ByteBuffer buf = ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, buf);
        assertEquals(0, buf.remaining(), "size() counts every byte written");
        ScoreState back = ScoreStateCodec.read(buf.flip());
        assertEquals(state, back, "the novelty state round-trips");

        Scorer fewer = new Scorer(ScoringConfigs.with(ON, "noveltyCategories", 16));
        fewer.score(back, new double[] {5, 0}, new double[] {5, 0}, Scorer.ESTABLISHED);
        assertEquals(16, back.novelty().capacity(), "other settings: started afresh");
        assertEquals(1, back.novelty().readings);
        Scorer off = new Scorer(ScoringConfig.defaults());
        off.score(back, new double[] {5, 0}, new double[] {5, 0}, Scorer.ESTABLISHED);
        assertNull(back.novelty(), "turned off (the default), the novelty state is dropped");
        assertEquals(1, NoveltyStateCodec.size(null), "a state without one writes one byte for it");

        // more categories than the state holds are refused
        byte[] bytes = buf.array();
        int categoriesAt = bytes.length - NoveltyStateCodec.size(n) + 1 + 2;
        ByteBuffer.wrap(bytes).putShort(categoriesAt, (short) (n.capacity() + 1));
        assertTrue(assertThrows(BadBytesException.class, () -> ScoreStateCodec.read(ByteBuffer.wrap(bytes)))
                .getMessage().contains("window novelty is impossible"));
        // so is a capacity beyond the setting's range, before anything of that size is made
        ByteBuffer.wrap(bytes).putShort(categoriesAt - 2, (short) (ScoringConfig.MAX_NOVELTY_CATEGORIES + 1))
                .putShort(categoriesAt, (short) 0);
        assertTrue(assertThrows(BadBytesException.class, () -> ScoreStateCodec.read(ByteBuffer.wrap(bytes)))
                .getMessage().contains("capacity " + (ScoringConfig.MAX_NOVELTY_CATEGORIES + 1)));
    }
}
