package dev.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.Normalisation;
import dev.vigil.lstm.TrainingInfo;
import dev.vigil.score.RhythmState;
import dev.vigil.score.ScoreState;
import dev.vigil.score.Scorer;
import dev.vigil.score.ScoringConfig;
import dev.vigil.score.ScoringConfigs;
import dev.vigil.stream.VigilJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /sensors/{key}}: what the body says about a key's calendar and rhythm, from its state. */
class SensorJsonTest {
    /** Monday 4 January 2021, 00:00 UTC. */
    private static final long MONDAY = Instant.parse("2021-01-04T00:00:00Z").toEpochMilli();
    private static final long STEP_MS = 300_000L;
    private static final int DAY = 288;

    private static ServedTopology topology(ScoringConfig scoring) {
        TopologyConfig topology = new TopologyConfig("rooms", "rooms-events", null, List.of(), "ts", 0, 65_536,
                "rooms-scores", "rooms-alerts", "rooms-dlq", "rooms-models", Map.of());
        return new ServedTopology(topology, new DetectorConfig(LstmConfig.defaults(), scoring), null);
    }

    /** Two weeks of a daily cycle (persistence predictions), scored with {@code scoring}. */
    private static DetectorState twoWeeks(ServedTopology t) {
        Detector detector = new Detector(t.detector());
        DetectorState state = detector.newState();
        Random random = new Random(4);
        for (int i = 0; i < 14 * DAY; i++) {
            double x = 20 + 5 * Math.sin(2 * Math.PI * (i % DAY) / DAY) + 0.3 * random.nextGaussian();
            detector.step(null, state, new Event(MONDAY + i * STEP_MS, new double[] {x}));
        }
        return state;
    }

    @Test
    void shouldShowTheRhythmSignalsStateWhileItIsOn() {
        ServedTopology t = topology(ScoringConfig.defaults());
        DetectorState state = twoWeeks(t);
        JsonNode n = SensorJson.state(t, "room-1", "here:8080", 3, state);
        assertEquals("here:8080", n.get("instance").asText());
        assertEquals(3, n.get("partition").asInt(), "the partition holding the key");
        ScoreState score = state.score();
        RhythmState r = score.rhythm();
        double followed = r.follow()[0] / r.swing()[0];
        assertEquals(followed, n.get("rhythmFollowed").asDouble(), 0.0);
        assertTrue(n.get("rhythmJudged").asBoolean(), "a daily cycle of 10 where the noise is 0.3 is judged: " + n);
        assertTrue(followed > 0.8, "an ordinary day follows its rhythm: " + followed);
        JsonNode weekends = n.get("usualOnWeekends");
        assertEquals(Scorer.HOUR_BINS, weekends.size(), n.toString());
        for (int b = 0; b < Scorer.HOUR_BINS; b++) {
            assertEquals(score.center()[0] + r.weekend()[b], weekends.get(b).asDouble(), 0.0);
        }
        assertEquals(2 * 2 * DAY, n.get("weekendReadings").asLong());
        JsonNode rhythmDay = n.get("rhythmUsualByTimeOfDay");
        assertEquals(Scorer.RHYTHM_BINS, rhythmDay.size(), n.toString());
        for (int b = 0; b < Scorer.RHYTHM_BINS; b++) {
            assertEquals(score.center()[0] + r.weekday()[b], rhythmDay.get(b).asDouble(), 0.0);
        }
    }

    /** Two weeks of the daily cycle in whole numbers, with a burst to 100 every 0.7 days when {@code bursts}. */
    private static DetectorState twoWeeksWhole(ServedTopology t, boolean bursts) {
        Detector detector = new Detector(t.detector());
        DetectorState state = detector.newState();
        Random random = new Random(4);
        for (int i = 0; i < 14 * DAY; i++) {
            double x = Math.rint(20 + 5 * Math.sin(2 * Math.PI * (i % DAY) / DAY) + 0.3 * random.nextGaussian());
            if (bursts && i % (7 * DAY / 10) == DAY / 3) {
                x = 100;
            }
            detector.step(null, state, new Event(MONDAY + i * STEP_MS, new double[] {x}));
        }
        return state;
    }

    @Test
    void shouldShowWhetherTheRhythmJudgesAKeyThatCounts() {
        ServedTopology t = topology(ScoringConfig.defaults());
        DetectorState gauge = twoWeeksWhole(t, false);
        assertTrue(gauge.score().counts()[0], "whole readings >= 0 count");
        JsonNode n = SensorJson.state(t, "room-1", "here:8080", 3, gauge);
        assertTrue(n.get("rhythmJudged").asBoolean(), "a gauge read in whole numbers is judged: " + n);
        n = SensorJson.state(t, "room-1", "here:8080", 3, twoWeeksWhole(t, true));
        assertFalse(n.get("rhythmJudged").asBoolean(), "a count that bursts past twice its centre is not: " + n);
    }

    @Test
    void shouldShowTheOverDispersionACountKeyHasLearnt() {
        ServedTopology t = topology(ScoringConfig.defaults());
        JsonNode steady = SensorJson.state(t, "door-1", "here:8080", 3, twoWeeksOfVisits(t, 0));
        JsonNode bursty = SensorJson.state(t, "door-1", "here:8080", 3, twoWeeksOfVisits(t, 0.5));
        double quiet = steady.get("countDispersion").asDouble();
        double loud = bursty.get("countDispersion").asDouble();
        assertTrue(quiet < 0.05 && loud > 0.1, "a rate that wanders widens the misses: " + quiet + ", " + loud);
        ServedTopology off = topology(ScoringConfigs.with(ScoringConfig.defaults(), "countDispersionHalfLife", 0));
        assertTrue(SensorJson.state(off, "door-1", "here:8080", 3, twoWeeksOfVisits(off, 0.5))
                .get("countDispersion").isNull(), "none kept while the setting is off");
    }

    /** Visits counted per step around a daily rate of 20, the rate log-normal with this spread from step to step. */
    private static DetectorState twoWeeksOfVisits(ServedTopology t, double spread) {
        Detector detector = new Detector(t.detector());
        DetectorState state = detector.newState();
        Random random = new Random(5);
        for (int i = 0; i < 14 * DAY; i++) {
            double rate = 20 * (1 + 0.25 * Math.sin(2 * Math.PI * (i % DAY) / DAY));
            double x = Math.rint(rate * Math.exp(spread * random.nextGaussian() - spread * spread / 2));
            detector.step(null, state, new Event(MONDAY + i * STEP_MS, new double[] {x}));
        }
        return state;
    }

    @Test
    void shouldShowWhetherTheRhythmJudgesEachChannel() {
        TopologyConfig topology = new TopologyConfig("rooms", "rooms-events", null, List.of("temp", "visits"), "ts",
                0, 65_536, "rooms-scores", "rooms-alerts", "rooms-dlq", "rooms-models", Map.of());
        ServedTopology t = new ServedTopology(topology,
                new DetectorConfig(LstmConfig.defaults(), ScoringConfig.defaults()).withChannels(2), null);
        Detector detector = new Detector(t.detector());
        DetectorState state = detector.newState();
        Random random = new Random(4);
        for (int i = 0; i < 14 * DAY; i++) {
            double cycle = 5 * Math.sin(2 * Math.PI * (i % DAY) / DAY);
            double visits = i % (7 * DAY / 10) == DAY / 3 ? 100 : Math.rint(20 + cycle + 0.3 * random.nextGaussian());
            detector.step(null, state, new Event(MONDAY + i * STEP_MS, new double[] {20 + cycle, visits}));
        }
        JsonNode judged = SensorJson.state(t, "room-1", "here:8080", 3, state).get("rhythmJudged");
        assertTrue(judged.get("temp").asBoolean(), judged.toString());
        assertFalse(judged.get("visits").asBoolean(), judged.toString());
    }

    @Test
    void shouldShowTheReadingsAKeyIdlesAtWithFlatlineRuns() {
        ServedTopology t = topology(ScoringConfigs.with(ScoringConfig.defaults(), "flatlineRuns", true));
        Detector detector = new Detector(t.detector());
        DetectorState state = detector.newState();
        Random random = new Random(6);
        for (int i = 0; i < 3 * DAY; i++) {
            // a meter at exactly 1.5 from 22:00 to 06:00, working readings around 40 otherwise
            double x = i % DAY < DAY / 4 || i % DAY >= DAY * 11 / 12 ? 1.5 : 40 + random.nextGaussian();
            detector.step(null, state, new Event(MONDAY + i * STEP_MS, new double[] {x}));
        }
        JsonNode n = SensorJson.state(t, "meter-1", "here:8080", 3, state);
        assertEquals(1, n.get("idleReadings").size(), n.toString());
        assertEquals(1.5, n.get("idleReadings").get(0).asDouble(), 0.0);
        assertEquals(state.score().idle().longestQuiet(), n.get("longestQuietRun").asInt(), n.toString());
    }

    @Test
    void shouldShowACounterKeysTotalAndItsIncreaseAsTheValue() {
        TopologyConfig topology = new TopologyConfig("meters", "meter-events", null, List.of(), "ts", 0, 65_536,
                "meter-scores", "meter-alerts", "meter-dlq", "meter-models", Map.of(), 0, 0, List.of("value"));
        ServedTopology t = new ServedTopology(topology,
                new DetectorConfig(LstmConfig.defaults(), ScoringConfig.defaults()).withCounters(1), null);
        Detector detector = new Detector(t.detector());
        DetectorState state = detector.newState();
        assertTrue(SensorJson.state(t, "meter-1", "here:8080", 3, state).get("counterTotals").isNull());
        for (int i = 0; i < 3; i++) {
            Event e = new Event(MONDAY + i * STEP_MS, new double[] {1_000 + 2.5 * i});
            Event scored = detector.scoredEvent(state, e);
            if (scored != null) {
                detector.step(null, state, scored);
            }
        }
        JsonNode n = SensorJson.state(t, "meter-1", "here:8080", 3, state);
        assertEquals(1_005.0, n.get("counterTotals").asDouble(), 0.0);
        assertEquals(2.5, n.get("value").asDouble(), 0.0);
        assertEquals(2, n.get("events").asLong(), "the first reading is not scored");
    }

    @Test
    void shouldShowNoRhythmWhileItIsOffAndTheCalendarsZone() {
        ServedTopology t = topology(ScoringConfigs.with(ScoringConfig.defaults(), "timeZone", "Europe/Berlin",
                "rhythmHalfLife", 0));
        JsonNode n = SensorJson.state(t, "room-1", "here:8080", 3, twoWeeks(t));
        assertTrue(n.get("rhythmFollowed").isNull(), n.toString());
        assertTrue(n.get("rhythmJudged").isNull(), n.toString());
        assertTrue(n.get("usualOnWeekends").isNull(), n.toString());
        assertTrue(n.get("rhythmUsualByTimeOfDay").isNull(), n.toString());
        assertTrue(n.get("weekendReadings").isNull(), n.toString());
        assertTrue(n.get("idleReadings").isNull(), "flatlineRuns off: " + n);
        assertTrue(n.get("longestQuietRun").isNull(), n.toString());
        assertEquals("Europe/Berlin", n.get("timeZone").asText());
        // January: Berlin is an hour ahead of UTC
        assertEquals(3_600_000L, n.get("timeZoneOffsetMs").asLong());
        assertEquals(Scorer.HOUR_BINS, n.get("usualByTimeOfDay").size());
    }

    /**
     * {@code DELETE ?wait=}: a key counts as forgotten and back afresh when its answer is of a new state, even one that
     * has scored more events than the forgotten one did; the same state, however far it went on, never counts.
     */
    @Test
    void shouldTellAStateBegunAfreshFromTheSameStateGoneOn() {
        ServedTopology t = topology(ScoringConfig.defaults());
        Detector detector = new Detector(t.detector());
        DetectorState old = detector.newState();
        for (int i = 0; i < 100; i++) {
            detector.step(null, old, new Event(MONDAY + i * STEP_MS, new double[] {20 + i % 7}));
        }
        JsonNode before = SensorJson.state(t, "room-1", "here:8080", 0, old);
        for (int i = 100; i < 400; i++) {
            detector.step(null, old, new Event(MONDAY + i * STEP_MS, new double[] {20 + i % 7}));
        }
        assertFalse(SensorHandler.backAfresh(before, SensorJson.state(t, "room-1", "here:8080", 0, old)),
                "the same state, 300 events on");
        DetectorState fresh = detector.newState();
        for (int i = 500; i < 520; i++) {
            detector.step(null, fresh, new Event(MONDAY + i * STEP_MS, new double[] {20 + i % 7}));
        }
        assertTrue(SensorHandler.backAfresh(before, SensorJson.state(t, "room-1", "here:8080", 0, fresh)),
                "a new state with fewer events");
        for (int i = 520; i < 800; i++) {
            detector.step(null, fresh, new Event(MONDAY + i * STEP_MS, new double[] {20 + i % 7}));
        }
        assertTrue(SensorHandler.backAfresh(before, SensorJson.state(t, "room-1", "here:8080", 0, fresh)),
                "a new state that has scored more events than the forgotten one");
    }

    /** The stored model as a lookup reports it: whose it is, what it was trained on, its losses (NaN: null). */
    @Test
    void shouldDescribeTheStoredModelOwnOrShared() {
        LstmConfig shape = new LstmConfig(1, 8, 1, 1.0, true);
        LstmModel untrained = LstmModel.initialise(shape, new Normalisation(new double[] {20}, new double[] {2}), 3);
        ObjectNode own = VigilJson.MAPPER.createObjectNode();
        SensorJson.model(own, "room-1", untrained.withInfo(new TrainingInfo("room-1", 4, 9, 12, 0.021, 0.034, 1700)));
        assertEquals("{\"model\":{\"version\":4,\"shared\":false,\"readings\":1700,\"epochs\":12,"
                + "\"trainLoss\":0.021,\"validationLoss\":0.034,\"calendar\":\"none\",\"dayHarmonics\":null}}",
                own.toString());
        ObjectNode timed = VigilJson.MAPPER.createObjectNode();
        SensorJson.model(timed, "job-1", LstmModel.initialise(new LstmConfig(1, 8, 1, 1.0, true, 8, 4),
                new Normalisation(new double[] {20}, new double[] {2}), 3).withInfo(new TrainingInfo("job-1", 2, 9,
                12, 0.02, 0.03, 2000)));
        assertEquals("day", timed.get("model").get("calendar").asText(), timed.toString());
        assertEquals(4, timed.get("model").get("dayHarmonics").asInt(), "a model that times a schedule");
        ObjectNode shared = VigilJson.MAPPER.createObjectNode();
        SensorJson.model(shared, "room-1", untrained.withInfo(new TrainingInfo("shared", 2, 9, 0, Double.NaN,
                Double.NaN, 5000)));
        assertTrue(shared.get("model").get("shared").asBoolean(), shared.toString());
        assertTrue(shared.get("model").get("validationLoss").isNull(), "an untrained loss is null: " + shared);
        ObjectNode none = VigilJson.MAPPER.createObjectNode();
        SensorJson.model(none, "room-1", null);
        assertEquals("{\"model\":null}", none.toString());
    }
}
