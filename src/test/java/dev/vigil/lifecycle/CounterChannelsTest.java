package dev.vigil.lifecycle;

import dev.vigil.BadConfigException;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.Event;
import dev.vigil.eval.SeriesReplay;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.TrainingConfig;
import dev.vigil.score.ScoringConfig;
import dev.vigil.testutil.SyntheticSeries;
import dev.vigil.train.RetrainConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counter channels ({@link DetectorConfig#counters()}): a cumulative total is scored by its increase. */
class CounterChannelsTest {
    private static final DetectorConfig DETECTOR = new DetectorConfig(new LstmConfig(1, 16, 1, 1.0, true),
            ScoringConfig.defaults());
    private static final RetrainConfig RETRAIN = new RetrainConfig(600, 300, 400, true, 7, TrainingConfig.defaults());

    /** A meter's consumption per reading: a daily cycle, never negative. */
    private static double[] consumption(int n) {
        double[] x = SyntheticSeries.seasonal(n, 2, 1.5, 288, 0.3, 41);
        for (int i = 0; i < n; i++) {
            x[i] = Math.max(0, x[i]);
        }
        return x;
    }

    /** The meter's running total, starting at {@code start}, one more reading than {@code used} (the first). */
    private static double[] totals(double start, double[] used) {
        double[] total = new double[used.length + 1];
        total[0] = start;
        for (int i = 0; i < used.length; i++) {
            total[i + 1] = total[i] + used[i];
        }
        return total;
    }

    private static List<DetectorResult> replay(DetectorConfig detector, List<Event> events) {
        List<DetectorResult> out = new ArrayList<>();
        new SeriesReplay(detector, RETRAIN).run("meter-1", events, out::add);
        return out;
    }

    @Test
    void shouldScoreACountersTotalsBitForBitAsItsIncreasesThroughTrainingsAndSwaps() {
        double[] total = totals(12_345.6, consumption(1_200));
        List<Event> totals = SyntheticSeries.events(total);
        // what a user who sends the increases would send: the same subtraction, from the second reading on
        List<Event> increases = new ArrayList<>();
        for (int i = 1; i < total.length; i++) {
            increases.add(Event.of(totals.get(i).timestamp(), total[i] - total[i - 1]));
        }
        List<DetectorResult> asCounter = replay(DETECTOR.withCounters(1), totals);
        List<DetectorResult> asIncreases = replay(DETECTOR, increases);

        assertEquals(total.length, asCounter.size(), "one result per event, the first reading's too");
        DetectorResult first = asCounter.get(0);
        assertTrue(first.accepted() && first.warmup());
        assertTrue(Double.isNaN(first.values()[0]), "the first reading has no increase");
        assertNull(first.prediction());
        assertEquals(0, first.anomalyScore());
        for (int i = 0; i < increases.size(); i++) {
            DetectorResult a = asCounter.get(i + 1);
            DetectorResult b = asIncreases.get(i);
            assertEquals(b.values()[0], a.values()[0], "row " + i);
            assertEquals(Double.doubleToRawLongBits(b.anomalyScore()), Double.doubleToRawLongBits(a.anomalyScore()),
                    "row " + i);
            assertArrayEquals(b.prediction(), a.prediction(), "row " + i);
            assertEquals(b.modelVersion(), a.modelVersion(), "row " + i);
        }
        assertTrue(asCounter.get(total.length - 1).modelVersion() >= 2, "trained and retrained on the increases");
    }

    @Test
    void shouldTakeAReadingBelowThePreviousAsARestartFromZero() {
        Detector detector = new Detector(DETECTOR.withCounters(1));
        DetectorState state = detector.newState();
        assertNull(detector.scoredEvent(state, Event.of(1_000, 500)));
        assertEquals(7.5, detector.scoredEvent(state, Event.of(2_000, 507.5)).values()[0]);
        assertEquals(0, detector.scoredEvent(state, Event.of(3_000, 507.5)).values()[0], "no consumption");
        assertEquals(3, detector.scoredEvent(state, Event.of(4_000, 3)).values()[0], "rebooted: counted from 0");
        assertEquals(4, detector.scoredEvent(state, Event.of(5_000, 7)).values()[0]);
    }

    @Test
    void shouldSpreadTheIncreaseOverAGap() {
        Detector detector = new Detector(DETECTOR.withCounters(1));
        DetectorState state = detector.newState();
        long step = SyntheticSeries.STEP_MS;
        double total = 1_000;
        for (int i = 0; i < 100; i++) {
            Event scored = detector.scoredEvent(state, Event.of(SyntheticSeries.START + i * step, total));
            if (scored != null) {
                detector.step(null, state, scored);
            }
            total += 10;
        }
        // back after twelve hours (144 intervals), its total 1,440 more: about 10 a usual interval, as before
        long back = SyntheticSeries.START + (99 + 144) * step;
        total += 1_430;
        Event afterGap = detector.scoredEvent(state, Event.of(back, total));
        assertEquals(10, afterGap.values()[0], "spread over the gap, a count kept whole");
        assertNull(detector.step(null, state, afterGap).prediction(), "not judged against the prediction before it");
        assertEquals(7, detector.scoredEvent(state, Event.of(back + step, total + 7)).values()[0], "then as ever");

        DetectorState fractional = detector.newState();
        for (int i = 0; i < 100; i++) {
            Event scored = detector.scoredEvent(fractional, Event.of(SyntheticSeries.START + i * step, 0.5 + 2.5 * i));
            if (scored != null) {
                detector.step(null, fractional, scored);
            }
        }
        assertEquals(2.5, detector.scoredEvent(fractional, Event.of(back, 0.5 + 2.5 * 99 + 360)).values()[0], 1e-9);
    }

    @Test
    void shouldScoreOtherChannelsAsReadAndKeepTheTotalsInTheStoredState() {
        DetectorConfig two = DETECTOR.withChannels(2).withCounters(0b10);
        Detector detector = new Detector(two);
        DetectorState state = detector.newState();
        Event first = Event.of(SyntheticSeries.START, 21.5, 1_000);
        assertNull(detector.scoredEvent(state, first));
        DetectorResult baseline = detector.baseline(state, first);
        assertEquals(21.5, baseline.values()[0], "a channel that is no counter shows its reading");
        assertTrue(Double.isNaN(baseline.values()[1]));
        assertFalse(detector.refusal(state, Event.of(SyntheticSeries.START, 21.6, 1_001)).isEmpty(),
                "the first reading's time counts: a second at the same time is late");

        DetectorState decoded = DetectorStateCodec.decode(DetectorStateCodec.encode(state));
        assertEquals(state.score(), decoded.score());
        Event next = Event.of(SyntheticSeries.START + 300_000, 21.7, 1_012.25);
        assertArrayEquals(new double[] {21.7, 12.25}, detector.scoredEvent(decoded, next).values());

        Detector plain = new Detector(DETECTOR.withChannels(2));
        DetectorState without = plain.newState();
        int before = DetectorStateCodec.encode(without).length;
        plain.step(null, without, first);
        assertNull(without.score().counterTotals());
        assertEquals(before, DetectorStateCodec.encode(plain.newState()).length);
        assertEquals(DetectorStateCodec.encode(decoded).length, DetectorStateCodec.encode(state).length);
    }

    @Test
    void shouldRefuseCountersTheDetectorDoesNotReadOrWithLateness() {
        BadConfigException beyond = assertThrows(BadConfigException.class, () -> DETECTOR.withCounters(0b10));
        assertTrue(beyond.getMessage().startsWith("counters name channels beyond"), beyond.getMessage());
        BadConfigException late = assertThrows(BadConfigException.class,
                () -> DETECTOR.withAllowedLatenessMs(60_000).withCounters(1));
        assertTrue(late.getMessage().startsWith("counters need allowedLatenessMs 0"), late.getMessage());
    }
}
