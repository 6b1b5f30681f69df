package dev.vigil.score;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static dev.vigil.score.FiveMinuteSeries.DAY;
import static dev.vigil.score.FiveMinuteSeries.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ScoringConfig#burstByHour()}: what it keeps and how it is stored (with persistence predictions; what it does
 * to a nightly batch job's alerts under the network is {@code dev.vigil.eval.BatchJobBurstTest}).
 */
class BurstByHourTest {
    /** A night the job runs at 03:00 instead of midnight. */
    private static final int LATE_NIGHT = 25;
    private static final int HOUR = 12;
    private static final ScoringConfig ON = ScoringConfigs.with(ScoringConfig.defaults(), "burstByHour", true);

    /** A level of 10 (a wander of sd about 1, noise sd 0.1), +40 from 00:00 to 01:00 every night, for 30 days. */
    private static double[] nightlyJob() {
        Random random = new Random(8);
        double[] x = new double[30 * DAY];
        double wander = 0;
        for (int t = 0; t < x.length; t++) {
            int day = t / DAY;
            int at = t % DAY;
            wander = 0.95 * wander + 0.3 * random.nextGaussian();
            int start = day == LATE_NIGHT ? 3 * HOUR : 0;
            x[t] = 10 + wander + 0.1 * random.nextGaussian() + (at >= start && at < start + HOUR ? 40 : 0);
        }
        return x;
    }

    @Test
    void shouldScoreUntimedReadingsAsWithoutIt() {
        double[] x = nightlyJob();
        Scorer off = new Scorer(ScoringConfig.defaults());
        Scorer on = new Scorer(ON);
        ScoreOutcome[] plain = run(off, off.newState(1), x, false);
        ScoreOutcome[] untimed = run(on, on.newState(1), x, false);
        for (int t = 0; t < x.length; t++) {
            assertEquals(plain[t].anomalyScore(), untimed[t].anomalyScore(), 0.0, "event " + t);
        }
    }

    @Test
    void shouldRoundTripTheBurstsAndDropThemWhenTurnedOff() {
        Scorer on = new Scorer(ON);
        ScoreState state = on.newState(1);
        run(on, state, nightlyJob(), true);
        BurstState b = state.burst();
        assertNotNull(b);
        assertEquals(Scorer.BURST_MEMORY_DAYS, b.days()[0], "midnight seen on every day, counted up to the memory");
        for (int h = 2; h < BurstState.BINS; h++) {
            // the job's edges fall in the hours from 00:00 and from 01:00
            assertTrue(Math.min(b.mean()[0], b.mean()[1]) > b.mean()[h], "hour " + h + " bursts as the job's hours");
        }
        ByteBuffer bytes = ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, bytes);
        assertEquals(0, bytes.remaining(), "size() counts every byte written");
        ScoreState back = ScoreStateCodec.read(bytes.flip());
        assertEquals(state, back, "the bursts round-trip");
        assertArrayEquals(b.mean(), back.burst().mean());

        Scorer off = new Scorer(ScoringConfig.defaults());
        off.score(back, new double[] {10}, new double[] {10}, 30L * DAY * FiveMinuteSeries.STEP_MS,
                FiveMinuteSeries.START + 30L * DAY * FiveMinuteSeries.STEP_MS);
        assertNull(back.burst(), "turned off, the bursts are dropped at the key's next event");
        assertEquals(BurstState.BYTES, ScoreStateCodec.size(state) - ScoreStateCodec.size(back),
                "a state without them writes only the flags byte it always had");
    }
}
