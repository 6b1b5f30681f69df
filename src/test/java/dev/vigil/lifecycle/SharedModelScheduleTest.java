package dev.vigil.lifecycle;

import dev.vigil.train.RetrainClock.Trigger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedModelScheduleTest {
    @Test
    void shouldTrainTheSharedModelAboutOncePerRoundOfTheFleetsRequests() {
        SharedModelSchedule schedule = new SharedModelSchedule();
        for (int k = 0; k < 100; k++) {
            assertTrue(schedule.due("key-" + k, Trigger.FIRST), "a first model is always due");
        }
        schedule.started();
        int trainings = 0;
        for (int round = 0; round < 5; round++) {
            for (int k = 0; k < 100; k++) {
                if (schedule.due("key-" + k, Trigger.INTERVAL)) {
                    schedule.started();
                    trainings++;
                }
            }
        }
        assertEquals(5, trainings, "100 keys asking once each per interval: one training per interval");
    }
}
