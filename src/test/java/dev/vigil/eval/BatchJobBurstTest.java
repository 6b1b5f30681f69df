package dev.vigil.eval;

import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Event;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.score.ScoringConfig;
import dev.vigil.score.ScoringConfigs;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code scoring.burstByHour}: a nightly batch job, a burst at the same hour every night, is the network's miss at
 * both its edges every night; scored against the long run alone it opens a prediction-error alert every few nights,
 * expected at its hour it opens none, and a night the job runs three hours late still alerts (seed 1: 13 alerts in 29
 * nights without the setting, none with it, and the late night's at 02:00, when the midnight burst's absence is no
 * longer its hour's).
 */
class BatchJobBurstTest {
    private static final long START = Instant.parse("2021-02-01T00:00:00Z").toEpochMilli();
    private static final long STEP_MS = 300_000L;
    private static final int DAY = 288;
    private static final int HOUR = 12;
    /** The night the job runs at 03:00 instead of midnight. */
    private static final int LATE_NIGHT = 36;

    /** A level of 10 (noise sd 1, a slow wander) that jumps by 40 from 00:00 to 01:00 every night; 40 days. */
    private static List<Event> nightlyJob() {
        Random random = new Random(103);
        List<Event> events = new ArrayList<>();
        double wander = 0;
        for (int t = 0; t < 40 * DAY; t++) {
            int day = t / DAY;
            int at = t % DAY;
            wander = 0.95 * wander + 0.2 * random.nextGaussian();
            int start = day == LATE_NIGHT ? 3 * HOUR : 0;
            double x = 10 + wander + random.nextGaussian() + (at >= start && at < start + HOUR ? 40 : 0);
            events.add(new Event(START + t * STEP_MS, new double[] {x}));
        }
        return events;
    }

    private static List<DetectorResult> replay(boolean burstByHour) {
        return JobReplays.replay(new DetectorConfig(LstmConfig.defaults(),
                ScoringConfigs.with(ScoringConfig.defaults(), "burstByHour", burstByHour)), "backup", nightlyJob());
    }

    @Test
    void shouldExpectTheNightlyJobAtItsHourAndAlertWhenItRunsAtAnother() {
        List<DetectorResult> plain = replay(false);
        List<DetectorResult> expected = replay(true);
        int from = 7 * DAY;
        int to = LATE_NIGHT * DAY;
        assertTrue(JobReplays.errorAlerts(plain, from, to) >= 5, "scored against the long run alone, the job alerts every few"
                + " nights: " + JobReplays.errorAlerts(plain, from, to));
        assertEquals(0, JobReplays.errorAlerts(expected, from, to), "expected at its hour, no night's job alerts");
        int late = LATE_NIGHT * DAY;
        assertTrue(JobReplays.errorAlerts(expected, late, late + 4 * HOUR) >= 1, "the night the job runs at 03:00 alerts");
    }
}
