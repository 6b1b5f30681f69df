package dev.vigil.train;

import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.detect.TrainingSchedule;
import dev.vigil.lstm.TrainingConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RetrainClockTest {
    private static final long MINUTE = 60_000;
    private final RetrainConfig config = new RetrainConfig(500, 100, 250, true, 1, TrainingConfig.defaults());
    private final Detector detector = new Detector(DetectorConfig.defaults());
    private final DetectorState state = detector.newState();
    private long t;

    /** Feeds n steady readings (the alert stays closed) and returns the schedule. */
    private TrainingSchedule events(int n) {
        for (int i = 0; i < n; i++) {
            detector.step(null, state, new Event(t += MINUTE, new double[] {10 + (i % 2)}));
        }
        return state.schedule();
    }

    @Test
    void shouldTrainFirstWhenTheWindowHoldsEnoughReadings() {
        RetrainClock clock = new RetrainClock(config);
        for (int i = 1; i < 100; i++) {
            assertNull(clock.due(events(1), i, false, t));
        }
        assertEquals(RetrainClock.Trigger.FIRST, clock.due(events(1), 100, false, t));
    }

    @Test
    void shouldRetryAFailedFirstTrainingAfterHalfTheMinimumNotAtEveryEvent() {
        RetrainClock clock = new RetrainClock(config);
        state.schedule().attempted(t);
        for (int i = 0; i < 49; i++) {
            assertNull(clock.due(events(1), 150, false, t));
        }
        assertEquals(RetrainClock.Trigger.FIRST, clock.due(events(1), 150, false, t));
    }

    @Test
    void shouldRetrainEveryIntervalOnceAModelExists() {
        RetrainClock clock = new RetrainClock(config);
        state.schedule().attempted(t);
        for (int i = 0; i < 249; i++) {
            assertNull(clock.due(events(1), 500, true, t));
        }
        assertEquals(RetrainClock.Trigger.INTERVAL, clock.due(events(1), 500, true, t));
    }

    @Test
    void shouldRetrainWhenTheModelIsOlderThanRetrainAfterInEventTime() {
        RetrainConfig hourly = new RetrainConfig(500, 100, 250, 60 * MINUTE, 0, true, 1, RetrainConfig.PER_KEY, 32,
                60_000, 1 << 20, 64, TrainingConfig.defaults());
        RetrainClock clock = new RetrainClock(hourly);
        state.schedule().attempted(t);
        assertNull(clock.due(state.schedule(), 500, true, t));
        for (int i = 0; i < 59; i++) {
            assertNull(clock.due(events(1), 500, true, t));
        }
        assertEquals(RetrainClock.Trigger.AGE, clock.due(events(1), 500, true, t));
    }

    @Test
    void shouldRetrainSoonerWhenTheAlertStaysOpenForDriftEvents() {
        RetrainConfig drift = new RetrainConfig(500, 100, 10_000, 0, 20, true, 1, RetrainConfig.PER_KEY, 32,
                60_000, 1 << 20, 64, TrainingConfig.defaults());
        RetrainClock clock = new RetrainClock(drift);
        events(200);
        state.schedule().attempted(t);
        // a level shift far outside the range seen keeps the alert open
        int open = 0;
        RetrainClock.Trigger trigger = null;
        for (int i = 0; i < 100 && trigger == null; i++) {
            detector.step(null, state, new Event(t += MINUTE, new double[] {1000 + 50 * (i % 3)}));
            open = state.score().alertOpen() ? open + 1 : 0;
            trigger = clock.due(state.schedule(), 500, true, t);
        }
        assertEquals(RetrainClock.Trigger.DRIFT, trigger);
        assertEquals(20, open, "drift is declared after 20 consecutive events in alert");
    }
}
