package dev.vigil.train;

import dev.vigil.BadConfigException;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.lstm.TrainingConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetrainClockTest {
    private static final long MINUTE = 60_000;
    private final RetrainConfig config = new RetrainConfig(500, 100, 250, true, 1, TrainingConfig.defaults());
    private final Detector detector = new Detector(DetectorConfig.defaults());
    private final DetectorState state = detector.newState();
    private long t;

    private static final String KEY = "sensor-1";

    /** Feeds n steady readings (the alert stays closed) and returns the state. */
    private DetectorState events(int n) {
        for (int i = 0; i < n; i++) {
            detector.step(null, state, new Event(t += MINUTE, new double[] {10 + (i % 2)}));
        }
        return state;
    }

    /** Feeds {@code quiet} events, none of which makes a training due, then one that makes {@code trigger} due. */
    private void assertDueAfter(RetrainClock clock, int quiet, int historySize, boolean hasModel,
                                RetrainClock.Trigger trigger) {
        for (int i = 0; i < quiet; i++) {
            assertNull(clock.due(KEY, events(1), historySize, hasModel), "not due at quiet event " + (i + 1));
        }
        assertEquals(trigger, clock.due(KEY, events(1), historySize, hasModel));
    }

    @Test
    void shouldTrainFirstWhenTheWindowHoldsEnoughReadings() {
        RetrainClock clock = new RetrainClock(config);
        for (int i = 1; i < 100; i++) {
            assertNull(clock.due(KEY, events(1), i, false));
        }
        assertEquals(RetrainClock.Trigger.FIRST, clock.due(KEY, events(1), 100, false));
    }

    @Test
    void shouldRetryAFailedFirstTrainingAfterHalfTheMinimumNotAtEveryEvent() {
        RetrainClock clock = new RetrainClock(config);
        state.schedule().attempted(t);
        assertDueAfter(clock, 49, 150, false, RetrainClock.Trigger.FIRST);
    }

    @Test
    void shouldRetrainEveryIntervalOnItsOwnGridOnceAModelExists() {
        RetrainClock clock = new RetrainClock(config);
        events(100);
        state.schedule().attempted(t);
        // the first retraining after a first model: at the key's next grid point at least half an interval on
        int first = 0;
        while (clock.due(KEY, events(1), 500, true) == null) {
            first++;
            assertTrue(first < 375, "due within one and a half intervals");
        }
        assertTrue(first + 1 >= 125, "not before half an interval, was " + (first + 1));
        assertEquals(0, (state.events() + clock.phase(KEY)) % 250, "on the key's grid");
        // then every interval
        for (int round = 0; round < 3; round++) {
            state.schedule().attempted(t);
            assertDueAfter(clock, 249, 500, true, RetrainClock.Trigger.INTERVAL);
        }
    }

    @Test
    void shouldSpreadTheGridsOfKeysNamedInSequenceOverTheInterval() {
        RetrainClock clock = new RetrainClock(config);
        int[] quarters = new int[4];
        for (int k = 0; k < 1000; k++) {
            long phase = clock.phase("sensor-" + k);
            assertTrue(phase >= 0 && phase < 250, "phase within the interval: " + phase);
            quarters[(int) (phase * 4 / 250)]++;
        }
        for (int q : quarters) {
            assertTrue(q > 200 && q < 300, "each quarter of the interval holds about a quarter of the keys: "
                    + java.util.Arrays.toString(quarters));
        }
        assertEquals(clock.phase("sensor-7"), new RetrainClock(config).phase("sensor-7"), "a key's phase is stable");
    }

    @Test
    void shouldTrainAKeysFirstModelAtItsOwnPhaseOfTheFirstSpread() {
        RetrainClock clock = new RetrainClock(config.withFirstSpreadEvents(80));
        int phase = clock.firstPhase(KEY);
        assertTrue(phase >= 0 && phase < 80, "phase within the spread: " + phase);
        for (int i = 1; i < 100 + phase; i++) {
            assertNull(clock.due(KEY, events(1), i, false), "not due with " + i + " readings");
        }
        assertEquals(RetrainClock.Trigger.FIRST, clock.due(KEY, events(1), 100 + phase, false));
    }

    @Test
    void shouldSpreadTheFirstTrainingsOfKeysNamedInSequenceOverTheSpread() {
        RetrainClock clock = new RetrainClock(config.withFirstSpreadEvents(200));
        int[] quarters = new int[4];
        for (int k = 0; k < 1000; k++) {
            int phase = clock.firstPhase("sensor-" + k);
            assertTrue(phase >= 0 && phase < 200, "phase within the spread: " + phase);
            quarters[phase * 4 / 200]++;
        }
        for (int q : quarters) {
            assertTrue(q > 200 && q < 300, "each quarter of the spread holds about a quarter of the keys: "
                    + java.util.Arrays.toString(quarters));
        }
        RetrainClock unspread = new RetrainClock(config);
        for (int k = 0; k < 100; k++) {
            assertEquals(0, unspread.firstPhase("sensor-" + k), "no spread: every key at minTrainPoints");
            assertEquals(0, new RetrainClock(config.withFirstSpreadEvents(1)).firstPhase("sensor-" + k));
        }
    }

    @Test
    void shouldRefuseAFirstSpreadPastTheHistory() {
        RetrainConfig spread = config.withFirstSpreadEvents(400);
        assertEquals(400, spread.firstSpreadEvents(), "minTrainPoints + spread may fill the window");
        BadConfigException e = assertThrows(BadConfigException.class, () -> config.withFirstSpreadEvents(401));
        assertTrue(e.getMessage().contains("retrain.firstSpreadEvents"), e.getMessage());
        assertThrows(BadConfigException.class, () -> config.withFirstSpreadEvents(-1));
    }

    @Test
    void shouldRetrainWhenTheModelIsOlderThanRetrainAfterInEventTime() {
        RetrainConfig hourly = new RetrainConfig(500, 100, 250, 60 * MINUTE, 0, true, 1, RetrainConfig.PER_KEY, 32,
                60_000, 1 << 20, 64, TrainingConfig.defaults());
        RetrainClock clock = new RetrainClock(hourly);
        state.schedule().attempted(t);
        assertNull(clock.due(KEY, state, 500, true));
        assertDueAfter(clock, 59, 500, true, RetrainClock.Trigger.AGE);
    }

    @Test
    void shouldNotRetrainInTheEventOfTheLastAttemptAtAnIntervalOfOne() {
        RetrainClock clock = new RetrainClock(new RetrainConfig(500, 100, 1, true, 1, TrainingConfig.defaults()));
        events(10);
        state.schedule().attempted(t);
        assertNull(clock.due(KEY, state, 500, true), "the attempt was made at this event");
        assertDueAfter(clock, 0, 500, true, RetrainClock.Trigger.INTERVAL);
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
            trigger = clock.due(KEY, state, 500, true);
        }
        assertEquals(RetrainClock.Trigger.DRIFT, trigger);
        assertEquals(20, open, "drift is declared after 20 consecutive events in alert");
    }
}
