package dev.vigil.eval;

import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Event;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.score.AlertTransition;
import dev.vigil.score.ScoringConfig;
import dev.vigil.score.ScoringConfigs;
import dev.vigil.train.RetrainConfig;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code scoring.timeZone}: a sensor whose daily cycle follows local time keeps its place in the calendar when the
 * clocks change. Read in UTC, the cycle moves an hour earlier on 28 March 2021 (Berlin's change to summer time),
 * and the network, which learnt the cycle's phase from its calendar inputs, misses for days; read in Europe/Berlin
 * nothing moves.
 */
class TimeZoneCalendarTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final long START = Instant.parse("2021-02-01T00:00:00Z").toEpochMilli();
    private static final long CHANGE = Instant.parse("2021-03-28T01:00:00Z").toEpochMilli();
    private static final long DAY_MS = 86_400_000L;
    private static final long STEP_MS = 300_000L;

    /** 50 ± 20 over the local day (peak at 15:00 Berlin time), noise sd 2, a slow wander of sd about 1; 68 days. */
    private static List<Event> localCycle() {
        Random random = new Random(11);
        List<Event> events = new ArrayList<>();
        double wander = 0;
        for (long t = START; t < START + 68 * DAY_MS; t += STEP_MS) {
            ZonedDateTime local = Instant.ofEpochMilli(t).atZone(BERLIN);
            double hour = local.getHour() + local.getMinute() / 60.0;
            wander = 0.95 * wander + 0.3 * random.nextGaussian();
            double x = 50 + 20 * Math.sin(2 * Math.PI * (hour - 9) / 24) + 2 * random.nextGaussian() + wander;
            events.add(new Event(t, new double[] {x}));
        }
        return events;
    }

    /** Alerts opened from the change to three days after it, replayed with the calendar of {@code zone}. */
    private static int alertsAfterTheChange(String zone, long seed) {
        DetectorConfig detector = new DetectorConfig(LstmConfig.defaults(),
                ScoringConfigs.with(ScoringConfig.defaults(), "timeZone", zone));
        RetrainConfig d = RetrainConfig.defaults();
        RetrainConfig retrain = new RetrainConfig(d.historySize(), d.minTrainPoints(), d.retrainInterval(),
                d.requireImprovement(), seed, d.training());
        List<DetectorResult> out = new ArrayList<>();
        new SeriesReplay(detector, retrain).run("room", localCycle(), out::add);
        int opened = 0;
        for (DetectorResult r : out) {
            if (r.timestamp() >= CHANGE && r.timestamp() < CHANGE + 3 * DAY_MS
                    && r.transition() == AlertTransition.OPENED) {
                opened++;
            }
        }
        return opened;
    }

    @Test
    void shouldRaiseNoAlertWhenTheClocksChangeOnASensorReadInItsOwnTimeZone() {
        int utc = 0;
        for (long seed = 1; seed <= 2; seed++) {
            utc += alertsAfterTheChange("UTC", seed);
            assertEquals(0, alertsAfterTheChange("Europe/Berlin", seed), "alerts after the change, seed " + seed);
        }
        // the same sensor read in UTC: the change moves the cycle, and the test would pass without the setting
        assertTrue(utc > 0, "read in UTC, the change to summer time opened no alert");
    }
}
