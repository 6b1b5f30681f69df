package dev.vigil.score;

import dev.vigil.BadBytesException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ScoringConfig#flatlineRuns()} on a machine that idles at a constant reading: a piece counter (a count of
 * about 30 a reading, which repeats by chance now and then while it works) that reads 0 for the last 96 readings of
 * every 288, as a five-minute counter from 08:00 does from 22:00 to 06:00; by default ({@link
 * ScoringConfig#countIdleRuns()}) a key that counts is judged so without the setting.
 */
class IdleReadingsTest {
    private static final int DAY = 288;
    private static final int IDLE = 96;
    /** The plain rule: neither setting (by default a count's idle runs are judged as {@code flatlineRuns} judges). */
    /**
     * The plain stuck-sensor rule; no count dispersion and no window novelty, so the idle readings end the state's
     * bytes but for the novelty section's one byte.
     */
    private static final ScoringConfig PLAIN = ScoringConfigs.with(ScoringConfig.defaults(), "countIdleRuns", false,
            "countDispersionHalfLife", 0, "noveltyWindow", 0);
    /** The novelty section of a state without window novelty: its window byte, 0. */
    private static final int NO_NOVELTY = 1;
    private static final ScoringConfig RUNS = ScoringConfigs.with(PLAIN, "flatlineRuns", true);
    private static final ScoringConfig DEFAULTS = ScoringConfig.defaults();

    /** {@code days} days of the counter; from {@code frozenAt} (-1: never) its reading stays put for {@code frozen}. */
    private static double[] counter(int days, int frozenAt, int frozen) {
        Random random = new Random(5);
        double[] x = new double[days * DAY];
        for (int t = 0; t < x.length; t++) {
            x[t] = t % DAY >= DAY - IDLE ? 0 : Math.max(1, Math.round(30 + 6 * random.nextGaussian()));
            if (frozenAt >= 0 && t > frozenAt && t < frozenAt + frozen) {
                x[t] = x[frozenAt];
            }
        }
        return x;
    }

    private static List<Integer> stuckOpenings(ScoringConfig config, ScoreState state, double[] x) {
        return StuckRuleTest.stuckOpenings(new Scorer(config), state, x);
    }

    @Test
    void shouldFlagEveryNightWithoutTheSettingAndOnlyTheFirstWithIt() {
        double[] x = counter(30, -1, 0);
        List<Integer> plain = stuckOpenings(PLAIN, new Scorer(PLAIN).newState(1), x);
        assertTrue(plain.size() >= 28, "the plain rule calls every idle night stuck: " + plain);
        List<Integer> runs = stuckOpenings(RUNS, new Scorer(RUNS).newState(1), x);
        // the chance repeats of the working hours are not the key's runs at 0: the nights are judged by the nights
        assertEquals(List.of(DAY - IDLE + PLAIN.flatlineEvents()), runs, "the first idle night only");
    }

    @Test
    void shouldJudgeACountersQuietNightsByItsOwnRunsByDefaultAndOtherSensorsByThePlainRule() {
        double[] x = counter(30, -1, 0);
        assertEquals(List.of(DAY - IDLE + PLAIN.flatlineEvents()),
                stuckOpenings(DEFAULTS, new Scorer(DEFAULTS).newState(1), x), "a count: the first idle night only");
        // the same machine as a meter that reads a fraction: not a count, so the plain rule, every night
        double[] meter = x.clone();
        for (int t = 0; t < meter.length; t++) {
            meter[t] = meter[t] / 4 + 1.5;
        }
        List<Integer> plain = stuckOpenings(DEFAULTS, new Scorer(DEFAULTS).newState(1), meter);
        assertTrue(plain.size() >= 28, "not a count: every idle night, as without the setting: " + plain);
        assertEquals(List.of(DAY - IDLE + PLAIN.flatlineEvents()),
                stuckOpenings(RUNS, new Scorer(RUNS).newState(1), meter), "flatlineRuns for every key");
        ScoringConfig notAware = ScoringConfigs.with(DEFAULTS, "countAware", false);
        assertTrue(stuckOpenings(notAware, new Scorer(notAware).newState(1), x).size() >= 28,
                "a count is only known as one with countAware");
    }

    /**
     * A temperature in whole degrees read every minute (a daily swing of 4 around 37 and noise of 0.2, as `synth`'s
     * quantised series): a degree is held up to about 45 readings on the slopes and longer at the day's extremes; from
     * {@code frozenAt} (-1: never) it stays put for {@code frozen}.
     */
    private static double[] wholeDegrees(int days, int frozenAt, int frozen) {
        Random random = new Random(8);
        int day = 1_440;
        double[] x = new double[days * day];
        for (int t = 0; t < x.length; t++) {
            x[t] = Math.round(37 + 4 * Math.sin(2 * Math.PI * t / day) + 0.2 * random.nextGaussian());
            if (frozenAt >= 0 && t > frozenAt && t < frozenAt + frozen) {
                x[t] = x[frozenAt];
            }
        }
        return x;
    }

    @Test
    void shouldLetASlowQuantisedSensorHoldItsStepsAndStillFlagAFreeze() {
        double[] x = wholeDegrees(10, -1, 0);
        List<Integer> plain = stuckOpenings(PLAIN, new Scorer(PLAIN).newState(1), x);
        ScoreState state = new Scorer(DEFAULTS).newState(1);
        List<Integer> habit = stuckOpenings(DEFAULTS, state, x);
        int longest = state.idle().longestQuiet();
        assertTrue(plain.size() >= 20, "the plain rule calls a step held long stuck, about twice a day: " + plain);
        assertTrue(habit.size() * 4 <= plain.size(), "the steps it holds are its habit: " + habit + " / " + plain);
        assertTrue(longest >= 30, "the longest step held without alarm: " + longest);

        int frozenAt = 8 * 1_440 + 300;
        // a freeze of 500 readings, three times the longest step it held (at a day's extreme)
        List<Integer> frozen = stuckOpenings(DEFAULTS, new Scorer(DEFAULTS).newState(1),
                wholeDegrees(10, frozenAt, 500));
        int at = frozen.stream().filter(t -> t > frozenAt).findFirst().orElse(-1);
        ScoreState frozenState = new Scorer(DEFAULTS).newState(1);
        double[] series = wholeDegrees(10, frozenAt, 500);
        String detail = null;
        Scorer scorer = new Scorer(DEFAULTS);
        for (int t = 0; t <= at; t++) {
            double[] before = t == 0 ? null : new double[] {series[t - 1]};
            ScoreOutcome o = scorer.score(frozenState, new double[] {series[t]}, before, Scorer.ESTABLISHED);
            detail = o.detail();
        }
        assertTrue(detail.startsWith("the same reading ") && detail.contains(", more than twice the longest this "
                + "sensor has held a working reading ("), detail);
        assertTrue(at > frozenAt && at <= frozenAt + 2 * longest + 10,
                "a freeze is flagged once past twice the key's habit: at " + (at - frozenAt) + ", longest " + longest);
    }

    @Test
    void shouldSayAnIdleSpellFlaggedIsLongerThanTheSensorsSpellsThere() {
        // twenty days of the nightly counter, then off for six days: an idle spell far beyond its nights
        double[] x = counter(27, -1, 0);
        java.util.Arrays.fill(x, 20 * DAY, 26 * DAY, 0);
        Scorer scorer = new Scorer(DEFAULTS);
        ScoreState state = scorer.newState(1);
        String detail = null;
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            if (t > 20 * DAY && o.reason() == AlertReason.STUCK_SENSOR) {
                detail = o.detail();
            }
        }
        assertNotNull(detail, "the shutdown is flagged");
        assertTrue(detail.endsWith(", longer than this sensor's idle spells at that reading"), detail);
    }

    @Test
    void shouldFlagAFreezeAtAWorkingReadingAndStayQuietTheNightAfter() {
        int frozenAt = 20 * DAY + 60;
        int frozen = 72;
        double[] x = counter(23, frozenAt, frozen);
        ScoreState state = new Scorer(RUNS).newState(1);
        List<Integer> at = stuckOpenings(RUNS, state, x);
        assertEquals(List.of(DAY - IDLE + PLAIN.flatlineEvents(), frozenAt + PLAIN.flatlineEvents()), at,
                "a run at a reading the key does not idle at is judged as by the plain rule");
        IdleReadings idle = state.idle();
        assertEquals(0.0, idle.reading(0, 0), "the nights since have made 0 the most recently used reading again");
        assertEquals(x[frozenAt], idle.reading(1, 0), "the freeze's reading kept beside it");
        int first = frozenAt;
        while (x[first - 1] == x[frozenAt]) {
            first--;
        }
        int last = frozenAt + frozen - 1;
        while (x[last + 1] == x[frozenAt]) {
            last++;
        }
        assertEquals(last - first, idle.repeats(1), "the freeze's repeats (a working count may repeat it by chance)");
        assertEquals(22 * (IDLE - 1), idle.repeats(0), "the repeats of every night that ended, the freeze's apart");
    }

    @Test
    void shouldRoundTripTheIdleReadingsAndDropThemWhenTurnedOff() {
        ScoreState state = new Scorer(RUNS).newState(1);
        double[] x = counter(5, -1, 0);
        stuckOpenings(RUNS, state, x);
        assertNotNull(state.idle());
        ByteBuffer bytes = ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, bytes);
        assertEquals(0, bytes.remaining(), "size() counts every byte written");
        ScoreState back = ScoreStateCodec.read(bytes.flip());
        assertEquals(state, back, "the idle readings round-trip");
        assertTrue(Double.isNaN(back.idle().reading(1, 0)), "an empty slot stays empty");

        stuckOpenings(PLAIN, back, new double[] {30});
        assertNull(back.idle(), "turned off, the idle readings are dropped at the key's next event");
        assertEquals(IdleReadings.bytes(1) + IdleReadings.RUN_RECORD_BYTES,
                ScoreStateCodec.size(state) - ScoreStateCodec.size(back));

        // the last slot's "following" count beyond its repeats is refused
        bytes.putLong(bytes.limit() - NO_NOVELTY - IdleReadings.RUN_RECORD_BYTES - Long.BYTES, Long.MAX_VALUE);
        assertTrue(assertThrows(BadBytesException.class, () -> ScoreStateCodec.read(bytes.rewind())).getMessage()
                .contains("at an idle reading"));
    }

    @Test
    void shouldRoundTripTheRunRecordAndReadAStateWithoutItAsNoHabit() {
        ScoringConfig noRhythm = ScoringConfigs.withoutOptionalSections();
        ScoreState state = new Scorer(noRhythm).newState(1);
        stuckOpenings(noRhythm, state, wholeDegrees(3, -1, 0));
        assertTrue(state.idle().longestQuiet() > 0);
        ByteBuffer bytes = ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, bytes);
        assertEquals(state, ScoreStateCodec.read(bytes.flip()), "the run record round-trips");

        // as the twenty-eighth session wrote it: the idle readings without the run record (flags bit 4 clear)
        byte[] written = bytes.array();
        int flags = written.length - NO_NOVELTY - IdleReadings.RUN_RECORD_BYTES - IdleReadings.bytes(1) - 1;
        assertEquals(4 | 16, written[flags], "the idle readings and their run record follow the flags");
        byte[] before = java.util.Arrays.copyOf(written, written.length - IdleReadings.RUN_RECORD_BYTES);
        before[flags] = 4;
        before[before.length - 1] = 0;
        ScoreState old = ScoreStateCodec.read(ByteBuffer.wrap(before));
        assertEquals(0, old.idle().longestQuiet(), "no habit learnt yet");
        assertEquals(state.idle().repeats(0), old.idle().repeats(0));

        written[written.length - NO_NOVELTY - 1] = 2;
        assertTrue(assertThrows(BadBytesException.class, () -> ScoreStateCodec.read(ByteBuffer.wrap(written)))
                .getMessage().contains("run record is impossible"));
        before[flags] = 16;
        assertTrue(assertThrows(BadBytesException.class, () -> ScoreStateCodec.read(ByteBuffer.wrap(before)))
                .getMessage().contains("a run record without idle readings"));
    }

    @Test
    void shouldStartAStateWrittenWithoutThemFromTheKeysRepeats() {
        ScoreState state = new Scorer(PLAIN).newState(1);
        stuckOpenings(PLAIN, state, counter(3, -1, 0));
        assertNull(state.idle());
        long repeats = state.repeats();
        long following = state.repeatsAfterRepeat();
        stuckOpenings(RUNS, state, new double[] {0});
        IdleReadings idle = state.idle();
        assertTrue(Double.isNaN(idle.reading(0, 0)), "the first slot matches any run, as every run was judged before");
        assertEquals(repeats, idle.repeats(0));
        assertEquals(following, idle.following(0));
    }
}
