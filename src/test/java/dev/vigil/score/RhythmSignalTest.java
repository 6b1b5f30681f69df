package dev.vigil.score;

import dev.vigil.BadConfigException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static dev.vigil.score.FiveMinuteSeries.DAY;
import static dev.vigil.score.FiveMinuteSeries.START;
import static dev.vigil.score.FiveMinuteSeries.STEP_MS;
import static dev.vigil.score.FiveMinuteSeries.firstOpened;
import static dev.vigil.score.FiveMinuteSeries.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ScoringConfig#rhythmHalfLife()}: a day that stops following the key's daily rhythm inside its range. */
class RhythmSignalTest {
    /** Thursday 18 March: from 04:00 for ten hours the readings stay at the cycle's mean, the 06:00 peak missing. */
    private static final int FLAT_DAY = 17;
    private static final int FLAT_FROM = FLAT_DAY * DAY + 48;
    private static final int FLAT_TO = FLAT_FROM + 120;
    private static final ScoringConfig ON = ScoringConfig.defaults();
    private static final ScoringConfig OFF = ScoringConfigs.with(ScoringConfig.defaults(), "rhythmHalfLife", 0);

    /** A daily cycle of amplitude 10 around 50 (peak at 06:00 UTC), noise sd 0.5, for twenty days; day 17 flattens. */
    private static double[] flattened() {
        Random random = new Random(5);
        double[] x = new double[20 * DAY];
        for (int t = 0; t < x.length; t++) {
            double cycle = t >= FLAT_FROM && t < FLAT_TO ? 0 : 10 * Math.sin(2 * Math.PI * (t % DAY) / DAY);
            x[t] = 50 + cycle + 0.5 * random.nextGaussian();
        }
        return x;
    }

    /** Four weeks of a working rhythm: the daily cycle on weekdays, a flat lower level on Saturdays and Sundays. */
    private static double[] workingWeeks() {
        Random random = new Random(9);
        double[] x = new double[28 * DAY];
        for (int t = 0; t < x.length; t++) {
            boolean weekend = (t / DAY) % 7 >= 5;
            x[t] = (weekend ? 45 : 50 + 10 * Math.sin(2 * Math.PI * (t % DAY) / DAY)) + 0.5 * random.nextGaussian();
        }
        return x;
    }

    @Test
    void shouldOpenARhythmAlertOnADayThatLosesItsPeakInsideTheRange() {
        double[] x = flattened();
        Scorer on = new Scorer(ON);
        ScoreOutcome[] rhythm = run(on, on.newState(1), x, true);
        for (int t = 3 * DAY; t < FLAT_FROM; t++) {
            assertNotEquals(AlertReason.RHYTHM, rhythm[t].reason(), "a rhythm alert on an ordinary day, event " + t);
        }
        int opened = firstOpened(rhythm, FLAT_FROM, FLAT_TO);
        assertTrue(opened >= 0, "the flat stretch opens an alert");
        assertEquals(AlertReason.RHYTHM, rhythm[opened].reason());
        assertTrue(rhythm[opened].detail().matches("the recent readings follow -?[0-9]+% of this sensor's usual daily"
                + " swing of [0-9.]+ \\(rhythm score 0\\.[5-9][0-9]{2}\\)"), rhythm[opened].detail());
        Scorer off = new Scorer(OFF);
        ScoreOutcome[] without = run(off, off.newState(1), x, true);
        for (int t = 0; t < x.length; t++) {
            assertNotEquals(AlertReason.RHYTHM, without[t].reason(), "no rhythm alert with the signal off");
        }
    }

    @Test
    void shouldJudgeWeekendsAgainstTheKeysOwnWeekendsNotFlagThem() {
        Scorer on = new Scorer(ON);
        ScoreState state = on.newState(1);
        ScoreOutcome[] out = run(on, state, workingWeeks(), true);
        for (int t = 0; t < out.length; t++) {
            assertNotEquals(AlertReason.RHYTHM, out[t].reason(), "a weekend is this key's habit, event " + t);
        }
        RhythmState r = state.rhythm();
        assertEquals(8 * DAY, r.weekendReadings(), "four weekends learnt");
        double usual = 45 - state.center()[0];
        for (int b = 0; b < Scorer.HOUR_BINS; b++) {
            assertEquals(usual, r.weekend()[b], 1.0, "the weekend profile's bin " + b + ": flat at 45");
        }
    }

    @Test
    void shouldLeaveReadingsWithoutAnEventTimeAsTheSignalOffScoresThem() {
        double[] x = flattened();
        Scorer on = new Scorer(ON);
        ScoreState state = on.newState(1);
        ScoreOutcome[] untimed = run(on, state, x, false);
        Scorer off = new Scorer(OFF);
        ScoreOutcome[] plain = run(off, off.newState(1), x, false);
        for (int t = 0; t < x.length; t++) {
            assertEquals(plain[t].anomalyScore(), untimed[t].anomalyScore(), "event " + t);
        }
        assertArrayEquals(new float[1], state.rhythm().swing(), "nothing learnt without a time of day");
    }

    @Test
    void shouldRefuseANegativeHalfLife() {
        BadConfigException e = assertThrows(BadConfigException.class, () -> ScoringConfigs.with(
                ScoringConfig.defaults(), "rhythmHalfLife", -1));
        assertTrue(e.getMessage().contains("rhythmHalfLife"), e.getMessage());
    }

    @Test
    void shouldStoreTheRhythmStateOnlyWhileTheSignalIsOn() {
        Scorer on = new Scorer(ON);
        ScoreState state = on.newState(1);
        run(on, state, java.util.Arrays.copyOf(workingWeeks(), 10 * DAY), true);
        assertTrue(state.rhythm().level().levelUpdates() > Scorer.RHYTHM_SETTLE, "learnt and scoring");
        ByteBuffer bytes = ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, bytes);
        assertEquals(0, bytes.remaining(), "size() counts every byte written");
        ScoreState back = ScoreStateCodec.read(bytes.flip());
        assertEquals(state, back, "the rhythm state round-trips");
        assertEquals(state.rhythm(), back.rhythm());

        Scorer off = new Scorer(OFF);
        off.score(back, new double[] {50}, new double[] {50}, 10 * DAY * STEP_MS, START + 10 * DAY * STEP_MS);
        assertNull(back.rhythm(), "the signal turned off drops its state");
        assertEquals(ScoreStateCodec.size(state) - ScoreStateCodec.size(back), Float.BYTES * (2 + Scorer.HOUR_BINS
                + Scorer.RHYTHM_BINS) + 8 + Float.BYTES + 2 + 8 + 8 + 8, "a state without one writes only the rhythm"
                + " byte");
    }

    @Test
    void shouldBeOnByDefault() {
        assertEquals(120, ScoringConfig.defaults().rhythmHalfLife());
    }

    /**
     * A key with no daily rhythm, noise around 50, has an incident: eight hours at 65 on its eighth day. The drift's
     * time-of-day profile learns the incident as if it were the time of day's; the rhythm's own profile moves by at
     * most a scale a reading, so it keeps no daily swing to judge and the days after raise no rhythm alert.
     */
    @Test
    void shouldNotLearnADailyRhythmFromAnIncident() {
        Random random = new Random(11);
        int from = 7 * DAY + 96;
        int to = from + 96;
        Scorer on = new Scorer(ON);
        ScoreState state = on.newState(1);
        double bent = 0;
        for (int t = 0; t < 14 * DAY; t++) {
            double x = (t >= from && t < to ? 65 : 50) + random.nextGaussian();
            ScoreOutcome o = on.score(state, new double[] {x}, new double[] {x}, t * STEP_MS, START + t * STEP_MS);
            if (t >= to) {
                assertNotEquals(AlertReason.RHYTHM, o.reason(), "a rhythm alert after the incident, event " + t);
            }
            if (t == to) {
                for (int b = 0; b < Scorer.HOUR_BINS; b++) {
                    bent = Math.max(bent, Math.abs(state.hourMean()[b]) / OnlineNormaliser.unit(state, 0));
                }
            }
            double swing = DailySignals.weekdaySwing(state.rhythm(), 0) / OnlineNormaliser.unit(state, 0);
            assertTrue(swing < Scorer.RHYTHM_MIN_SWING, "the rhythm's profile learnt a daily swing of " + swing
                    + " scales, event " + t);
        }
        assertTrue(bent > 1, "the drift's profile learnt the incident: " + bent);
    }

    @Test
    void shouldJudgeTheRhythmOfAGaugeReadInWholeNumbers() {
        double[] x = flattened();
        double[] whole = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            whole[t] = Math.rint(x[t]);
        }
        Scorer on = new Scorer(ON);
        ScoreState state = on.newState(1);
        ScoreOutcome[] out = run(on, state, whole, true);
        assertTrue(state.counts()[0], "whole readings >= 0 count");
        int opened = firstRhythmOpened(out);
        assertTrue(opened >= FLAT_FROM && opened < FLAT_TO + 60, "a gauge's lost peak opens a rhythm alert: " + opened);
    }

    /** The first event whose alert a rhythm opened, -1 if none. */
    private static int firstRhythmOpened(ScoreOutcome[] out) {
        for (int t = 0; t < out.length; t++) {
            if (out[t].transition() == AlertTransition.OPENED && out[t].reason() == AlertReason.RHYTHM) {
                return t;
            }
        }
        return -1;
    }

    /** The flattened day's readings in whole numbers with a burst to three times the level every 0.7 days. */
    private static double[] burstyCount(double offset) {
        double[] x = flattened();
        for (int t = 0; t < x.length; t++) {
            x[t] = Math.rint(x[t]) + offset;
            if (t % (7 * DAY / 10) == DAY / 3) {
                x[t] = 150 + offset;
            }
        }
        return x;
    }

    @Test
    void shouldNotJudgeTheRhythmOfACountWithBursts() {
        Scorer on = new Scorer(ON);
        ScoreState state = on.newState(1);
        ScoreOutcome[] out = run(on, state, burstyCount(0), true);
        assertTrue(state.counts()[0], "whole readings >= 0 count");
        for (int t = 0; t < out.length; t++) {
            assertNotEquals(AlertReason.RHYTHM, out[t].reason(), "a bursty count's rhythm is not judged, event " + t);
        }
        int opened = firstRhythmOpened(run(on, on.newState(1), burstyCount(0.25), true));
        assertTrue(opened >= FLAT_FROM && opened < FLAT_TO + 60, "the same readings off the whole numbers are judged: "
                + opened);
    }

    /** A state written before the rhythm kept a weekday profile starts it from the drift's time-of-day profile. */
    @Test
    void shouldStartTheWeekdayProfileOfAnOlderStateFromTheTimeOfDayProfile() {
        Scorer on = new Scorer(ScoringConfigs.with(ON, "noveltyWindow", 0));
        ScoreState state = on.newState(1);
        run(on, state, java.util.Arrays.copyOf(workingWeeks(), 10 * DAY), true);
        ByteBuffer bytes = ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, bytes);
        byte[] current = bytes.array();
        int profile = Float.BYTES * Scorer.RHYTHM_BINS;
        // the flags, the rhythm state and its weekday profile, then the novelty byte of a state without window novelty
        int flagsAt = current.length - (Float.BYTES * (2 + Scorer.HOUR_BINS) + 8 + Float.BYTES + 2 + 8 + 8 + 8)
                - profile - 1 - 1;
        assertEquals(1 | 32, current[flagsAt], "a rhythm state and its weekday profile, nothing after them");
        byte[] older = java.util.Arrays.copyOf(current, current.length - profile);
        older[older.length - 1] = 0;
        older[flagsAt] = 1;
        ScoreState back = ScoreStateCodec.read(ByteBuffer.wrap(older));
        for (int j = 0; j < Scorer.RHYTHM_BINS; j++) {
            assertEquals((state.hourMean()[2 * j] + state.hourMean()[2 * j + 1]) / 2, back.rhythm().weekday()[j],
                    1e-6, "bin " + j);
        }
        older[flagsAt] = 32;
        assertThrows(dev.vigil.BadBytesException.class, () -> ScoreStateCodec.read(ByteBuffer.wrap(older)),
                "a rhythm profile without a rhythm state");
    }
}
