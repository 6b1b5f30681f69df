package dev.vigil.score;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.vigil.score.FiveMinuteSeries.DAY;
import static dev.vigil.score.FiveMinuteSeries.firstOpened;
import static dev.vigil.score.FiveMinuteSeries.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ScoringConfig#driftByHour()}: a day that breaks the key's daily pattern while staying inside its range. */
class DriftByHourTest {
    /** The defaults without the rhythm signal, which would name a late day's alert before the drift signal does. */
    private static final ScoringConfig BASE = ScoringConfigs.withoutOptionalSections();

    /** The day whose cycle runs half a day late: its peak where the trough should be, every reading in range. */
    private static final int BROKEN_DAY = 17;

    /** A daily cycle of amplitude 10 around 50 (peak at 06:00 UTC), noise sd 0.5, for twenty days; day 17 runs late. */
    private static double[] series() {
        Random random = new Random(5);
        double[] x = new double[20 * DAY];
        for (int t = 0; t < x.length; t++) {
            double phase = t / DAY == BROKEN_DAY ? 0.5 : 0;
            double cycle = 10 * Math.sin(2 * Math.PI * ((double) (t % DAY) / DAY + phase));
            x[t] = 50 + cycle + 0.5 * random.nextGaussian();
        }
        return x;
    }

    @Test
    void shouldOpenADriftAlertOnADayThatBreaksTheDailyPatternInsideTheRange() {
        double[] x = series();
        Scorer on = new Scorer(BASE);
        ScoreOutcome[] byHour = run(on, on.newState(1), x, true);
        Scorer off = new Scorer(ScoringConfigs.withDriftByHour(BASE, false));
        ScoreOutcome[] byCentre = run(off, off.newState(1), x, true);
        for (int t = 3 * DAY; t < BROKEN_DAY * DAY; t++) {
            assertNotEquals(AlertReason.DRIFT, byHour[t].reason(), "a drift alert on an ordinary day, event " + t);
        }
        int opened = firstOpened(byHour, BROKEN_DAY * DAY, (BROKEN_DAY + 1) * DAY);
        assertTrue(opened >= 0, "the late day opens an alert");
        assertEquals(AlertReason.DRIFT, byHour[opened].reason());
        assertTrue(byHour[opened].detail().matches("the recent level [0-9.]+ (above|below) usual for this sensor at"
                + " this time of day \\(drift score 0\\.[5-9][0-9]{2}\\)"), byHour[opened].detail());
        assertTrue(opened < BROKEN_DAY * DAY + DAY / 3, "within the first third of the late day: " + opened);
        assertEquals(-1, firstOpened(byCentre, BROKEN_DAY * DAY, (BROKEN_DAY + 1) * DAY),
                "measured against the centre the late day is no drift: its mean is the usual one");
    }

    @Test
    void shouldLearnTheUsualDeviationOfEachPartOfTheDay() {
        Scorer scorer = new Scorer(BASE);
        ScoreState state = scorer.newState(1);
        run(scorer, state, java.util.Arrays.copyOf(series(), BROKEN_DAY * DAY), true);
        float[] hours = state.hourMean();
        // the bins of 04:00-06:00 and 16:00-18:00 UTC: near the cycle's peak (+9.7 on average) and trough
        assertTrue(hours[2] > 8 && hours[2] < 11, "the peak's bin: " + hours[2]);
        assertTrue(hours[8] < -8 && hours[8] > -11, "the trough's bin: " + hours[8]);
    }

    @Test
    void shouldKeepTheProfileThroughTheCodecAndRefuseANonFiniteOne() {
        Scorer scorer = new Scorer(BASE);
        ScoreState state = scorer.newState(1);
        run(scorer, state, java.util.Arrays.copyOf(series(), 4 * DAY), true);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, buf);
        assertEquals(0, buf.remaining());
        ScoreState back = ScoreStateCodec.read(java.nio.ByteBuffer.wrap(buf.array()));
        assertArrayEquals(state.hourMean(), back.hourMean());
        assertEquals(state, back);
        // the profile is the section's last field, before the rhythm byte and the novelty byte
        buf.putFloat(buf.capacity() - 2 - 4, Float.NaN);
        assertEquals("score state's time-of-day profile holds NaN", org.junit.jupiter.api.Assertions.assertThrows(
                dev.vigil.BadBytesException.class, () -> ScoreStateCodec.read(java.nio.ByteBuffer.wrap(buf.array())))
                .getMessage());
    }

    @Test
    void shouldScoreAsWithoutTheProfileWhenReadingsHaveNoEventTime() {
        double[] x = series();
        Scorer on = new Scorer(BASE);
        ScoreState untimed = on.newState(1);
        ScoreOutcome[] a = run(on, untimed, x, false);
        Scorer off = new Scorer(ScoringConfigs.withDriftByHour(BASE, false));
        ScoreState timedOff = off.newState(1);
        ScoreOutcome[] b = run(off, timedOff, x, true);
        for (int t = 0; t < x.length; t++) {
            assertEquals(a[t].anomalyScore(), b[t].anomalyScore(), "event " + t);
        }
        assertArrayEquals(new float[Scorer.HOUR_BINS], untimed.hourMean(), "nothing learnt without event times");
        assertArrayEquals(new float[Scorer.HOUR_BINS], timedOff.hourMean(), "nothing learnt with the setting off");
        assertEquals(untimed, timedOff);
    }
}
