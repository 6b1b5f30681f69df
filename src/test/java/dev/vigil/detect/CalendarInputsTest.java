package dev.vigil.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.BadConfigException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CalendarInputsTest {
    private static final double TOLERANCE = 1e-12;
    private static final long MINUTE = 60_000L;

    private static double[] inputs(String instant, int k) {
        double[] out = new double[1 + k];
        CalendarInputs.write(Instant.parse(instant).toEpochMilli(), k, 1, out, 1);
        return out;
    }

    @Test
    void shouldGiveTheDayPhaseAsSineAndCosineInUtc() {
        assertArrayEquals(new double[] {0, 0, 1}, inputs("2026-03-04T00:00:00Z", 2), TOLERANCE);
        assertArrayEquals(new double[] {0, 1, 0}, inputs("2026-03-04T06:00:00Z", 2), TOLERANCE);
        assertArrayEquals(new double[] {0, 0, -1}, inputs("2026-03-05T12:00:00Z", 2), TOLERANCE);
    }

    @Test
    void shouldGiveTheWeekPhaseWithMondayAtZero() {
        // 2026-03-02 is a Monday, 2026-03-05 12:00 half a week later
        double[] monday = inputs("2026-03-02T00:00:00Z", 4);
        assertEquals(0, monday[3], TOLERANCE);
        assertEquals(1, monday[4], TOLERANCE);
        double[] midweek = inputs("2026-03-05T12:00:00Z", 4);
        assertEquals(0, midweek[3], TOLERANCE);
        assertEquals(-1, midweek[4], TOLERANCE);
    }

    @Test
    void shouldGiveTheDaysHarmonicsBeforeTheWeek() {
        // 03:00 is an eighth of the day: harmonics j = 1..4 at j * 45 degrees; 2026-03-02 is a Monday
        double[] out = new double[1 + 10];
        CalendarInputs.write(Instant.parse("2026-03-02T03:00:00Z").toEpochMilli(), 10, 4, out, 1);
        double r = Math.sqrt(0.5);
        double week = 2 * Math.PI * 3 / (7 * 24);
        assertArrayEquals(new double[] {0, r, r, 1, 0, r, -r, 0, -1, Math.sin(week), Math.cos(week)}, out, TOLERANCE);
        double[] day = new double[8];
        CalendarInputs.write(Instant.parse("2026-03-02T06:00:00Z").toEpochMilli(), 8, 4, day, 0);
        assertArrayEquals(new double[] {1, 0, 0, -1, -1, 0, 0, 1}, day, TOLERANCE,
                "every six hours the fourth harmonic is back where it started");
    }

    @Test
    void shouldTellTheSettingFromTheContextSizeAndHarmonics() {
        assertEquals(CalendarInputs.DAY, CalendarInputs.ofSize(8, 4));
        assertEquals(CalendarInputs.WEEK, CalendarInputs.ofSize(10, 4));
        assertEquals(CalendarInputs.DAY, CalendarInputs.ofSize(4, 2), "two harmonics of the day");
        assertEquals(CalendarInputs.WEEK, CalendarInputs.ofSize(4, 1), "the day's phase and the week's");
        assertEquals(CalendarInputs.NONE, CalendarInputs.ofSize(0, 3));
        assertEquals(6, CalendarInputs.DAY.size(3));
        assertEquals(0, CalendarInputs.NONE.size(3));
        BadConfigException e = assertThrows(BadConfigException.class, () -> CalendarInputs.ofSize(2, 2));
        assertEquals("a model's context inputs must be 0, 4 or 6 calendar inputs with 2 harmonic(s) of the day, got 2",
                e.getMessage());
    }

    /** A week of five-minute readings from a Monday: {@code shape} of the minute of the day, plus noise. */
    private static double[][] week(java.util.function.IntToDoubleFunction shape, long seed, double[] wander) {
        java.util.Random random = new java.util.Random(seed);
        double[][] readings = new double[7 * 288][];
        double w = 0;
        for (int t = 0; t < readings.length; t++) {
            w = 0.95 * w + wander[0] * random.nextGaussian();
            readings[t] = new double[] {10 + w + random.nextGaussian() + shape.applyAsDouble(t % 288 * 5)};
        }
        return readings;
    }

    @Test
    void shouldGiveAWindowTheDaysHarmonicsOnlyWhenItKeepsASharperSchedule() {
        long[] times = times(Instant.parse("2026-03-02T00:00:00Z").toEpochMilli(), 7 * 288, 5 * MINUTE);
        double[] still = {0.2};
        assertEquals(4, CalendarInputs.harmonicsFor(week(m -> m % 360 < 30 ? 25 : 0, 1, still), times, 4),
                "a job every six hours for half an hour");
        assertEquals(4, CalendarInputs.harmonicsFor(week(m -> m < 60 ? 40 : 0, 2, still), times, 4),
                "a nightly backup");
        assertEquals(3, CalendarInputs.harmonicsFor(week(m -> m < 60 ? 40 : 0, 2, still), times, 3));
        assertEquals(1, CalendarInputs.harmonicsFor(week(m -> m % 360 < 30 ? 25 : 0, 1, still), times, 3),
                "four runs a day are the fourth harmonic's alone");
        assertEquals(1, CalendarInputs.harmonicsFor(week(m -> m % 360 < 30 ? 25 : 0, 1, still), times, 1));
        assertEquals(1, CalendarInputs.harmonicsFor(week(m -> 20 * Math.sin(2 * Math.PI * m / 1440), 3, still),
                times, 4), "a daily cycle");
        assertEquals(1, CalendarInputs.harmonicsFor(week(m -> m >= 480 && m < 1080 ? 30 : 0, 4, still), times, 4),
                "office hours");
        assertEquals(1, CalendarInputs.harmonicsFor(week(m -> 0, 5, new double[] {1.0}), times, 4),
                "a wander without a day");
        double[][] far = week(m -> m % 360 < 30 ? 25 : 0, 1, still);
        for (double[] reading : far) {
            reading[0] += 1e12;
        }
        assertEquals(4, CalendarInputs.harmonicsFor(far, times, 4), "the same job read far from zero");
        int threeDays = 3 * 288;
        assertEquals(1, CalendarInputs.harmonicsFor(java.util.Arrays.copyOf(week(m -> m % 360 < 30 ? 25 : 0, 1,
                still), threeDays), java.util.Arrays.copyOf(times, threeDays), 4), "three days are too few to tell");
    }

    @Test
    void shouldWriteNothingWithoutCalendarInputs() {
        assertArrayEquals(new double[] {0}, inputs("2026-03-04T06:00:00Z", 0));
    }

    @Test
    void shouldUseOnlyTheCyclesAWindowCoversTwice() {
        long start = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
        assertEquals(CalendarInputs.NONE, CalendarInputs.DAY.learnableFrom(times(start, 2000, MINUTE)),
                "2000 one-minute readings span 33 hours");
        assertEquals(CalendarInputs.DAY, CalendarInputs.DAY.learnableFrom(times(start, 2000, 5 * MINUTE)),
                "2000 five-minute readings span 6.9 days");
        assertEquals(CalendarInputs.DAY, CalendarInputs.WEEK.learnableFrom(times(start, 2000, 5 * MINUTE)),
                "6.9 days are not two weeks");
        assertEquals(CalendarInputs.WEEK, CalendarInputs.WEEK.learnableFrom(times(start, 2000, 60 * MINUTE)));
        assertEquals(CalendarInputs.DAY, CalendarInputs.DAY.learnableFrom(times(start, 2000, 60 * MINUTE)));
        assertEquals(CalendarInputs.NONE, CalendarInputs.NONE.learnableFrom(times(start, 2000, 60 * MINUTE)));
    }

    @Test
    void shouldAppendTheInputsToEveryReading() {
        long start = Instant.parse("2026-03-04T06:00:00Z").toEpochMilli();
        double[][] rows = CalendarInputs.rows(new double[][] {{3.5}, {4.5}},
                new long[] {start, start + 6 * 60 * MINUTE}, 2, 1);
        assertArrayEquals(new double[] {3.5, 1, 0}, rows[0], TOLERANCE);
        assertArrayEquals(new double[] {4.5, 0, -1}, rows[1], TOLERANCE);
    }

    @Test
    void shouldNameTheKeyOfAnUnknownSetting() {
        assertEquals(CalendarInputs.WEEK, CalendarInputs.parse("lstm.calendar", "week"));
        BadConfigException e = assertThrows(BadConfigException.class, () -> CalendarInputs.parse("lstm.calendar", "hourly"));
        assertEquals("lstm.calendar must be one of none, day, week, got 'hourly'", e.getMessage());
        assertThrows(BadConfigException.class, () -> CalendarInputs.ofSize(3, 1));
    }

    private static long[] times(long start, int n, long step) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = start + i * step;
        }
        return t;
    }
}
