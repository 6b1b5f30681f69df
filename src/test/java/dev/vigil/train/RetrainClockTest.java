package dev.vigil.train;

import dev.vigil.lstm.TrainingConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetrainClockTest {
    private final RetrainConfig config = new RetrainConfig(500, 100, 250, true, 1, TrainingConfig.defaults());

    @Test
    void shouldTrainFirstWhenTheWindowHoldsEnoughReadings() {
        RetrainClock clock = new RetrainClock(config);
        for (int i = 1; i < 100; i++) {
            clock.onEvent();
            assertFalse(clock.due(i, false));
        }
        clock.onEvent();
        assertTrue(clock.due(100, false));
    }

    @Test
    void shouldRetryAFailedFirstTrainingAfterHalfTheMinimumNotAtEveryEvent() {
        RetrainClock clock = new RetrainClock(config);
        clock.onAttempt();
        for (int i = 0; i < 49; i++) {
            clock.onEvent();
            assertFalse(clock.due(150, false));
        }
        clock.onEvent();
        assertTrue(clock.due(150, false));
    }

    @Test
    void shouldRetrainEveryIntervalOnceAModelExists() {
        RetrainClock clock = new RetrainClock(config);
        clock.onAttempt();
        for (int i = 0; i < 249; i++) {
            clock.onEvent();
            assertFalse(clock.due(500, true));
        }
        clock.onEvent();
        assertTrue(clock.due(500, true));
    }
}
