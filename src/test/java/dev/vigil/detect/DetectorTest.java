package dev.vigil.detect;

import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.Normalisation;
import dev.vigil.lstm.TrainingInfo;
import dev.vigil.score.ScoringConfig;
import dev.vigil.score.ScoringConfigs;
import dev.vigil.testutil.SyntheticSeries;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectorTest {
    private static final DetectorConfig CONFIG = new DetectorConfig(
            new LstmConfig(1, 8, 2, 1.0, true), ScoringConfig.defaults());

    private static LstmModel model(long version) {
        LstmModel m = LstmModel.initialise(CONFIG.lstm(), new Normalisation(new double[] {10}, new double[] {2}), 11);
        return m.withInfo(new TrainingInfo("k", version, 11, 0, 0, 0, 0));
    }

    /** A key's state after 300 events on persistence, then re-warmed onto {@code next} over their history. */
    private static DetectorState swappedAt300(Detector detector, List<Event> events, LstmModel next) {
        HistoryWindow history = new HistoryWindow(300, 1);
        DetectorState state = detector.newState();
        for (Event e : events.subList(0, 300)) {
            detector.step(null, state, e);
            history.append(e.timestamp(), e.values());
        }
        detector.rewarm(next, state, history);
        return state;
    }

    private static List<Event> events() {
        return SyntheticSeries.events(SyntheticSeries.withSpike(SyntheticSeries.seasonal(500, 10, 2, 40, 0.2, 3), 400, 30));
    }

    @Test
    void shouldNotJudgeAReadingAfterAGapAgainstThePredictionMadeBeforeIt() {
        // a daily cycle of five-minute readings; the sensor is away for twelve hours, back at the other end of its day
        double[] x = SyntheticSeries.seasonal(2_000, 10, 4, 288, 0.1, 5);
        List<Event> events = SyntheticSeries.events(x);
        for (ScoringConfig scoring : List.of(ScoringConfig.defaults(), ScoringConfigs.with(ScoringConfig.defaults(),
                "gapFactor", 0.0))) {
            Detector detector = new Detector(new DetectorConfig(CONFIG.lstm(), scoring));
            DetectorState state = detector.newState();
            for (Event e : events.subList(0, 1_000)) {
                detector.step(null, state, e);
            }
            Event back = events.get(1_144);
            DetectorResult r = detector.step(null, state, back);
            DetectorResult next = detector.step(null, state, events.get(1_145));
            assertNotNull(next.prediction(), "the reading after it is judged again");
            if (scoring.gapFactor() == 0) {
                assertEquals(x[999], r.prediction()[0], "without the setting: judged against the reading before");
                assertTrue(r.rawScore() > 0.3, "a large miss: " + r.rawScore());
            } else {
                assertNull(r.prediction(), "12 hours after the last of readings 5 minutes apart: after a gap");
                assertNull(r.residual());
                assertEquals(0, r.rawScore());
                assertTrue(r.accepted() && !r.outsideRange(), "the rules still judge it");
            }
        }
        // a reading five times the mean interval late is no gap
        Detector detector = new Detector(CONFIG);
        DetectorState state = detector.newState();
        for (Event e : events.subList(0, 1_000)) {
            detector.step(null, state, e);
        }
        assertNotNull(detector.step(null, state, events.get(1_004)).prediction());
    }

    @Test
    void shouldDateTheKeysAgeFromItsFirstAcceptedEvent() {
        Detector detector = new Detector(CONFIG);
        DetectorState state = detector.newState();
        assertEquals(DetectorState.NO_TIMESTAMP, state.firstTimestamp());
        assertFalse(detector.step(null, state, new Event(SyntheticSeries.START, new double[] {Double.NaN})).accepted());
        assertEquals(DetectorState.NO_TIMESTAMP, state.firstTimestamp(), "a refused event does not start the clock");
        List<Event> events = events();
        for (Event e : events) {
            detector.step(null, state, e);
        }
        assertEquals(events.get(0).timestamp(), state.firstTimestamp());
        assertEquals(499 * SyntheticSeries.STEP_MS, state.ageAt(state.lastTimestamp()));
        assertEquals(events.get(0).timestamp(), DetectorStateCodec.decode(DetectorStateCodec.encode(state))
                .firstTimestamp(), "kept with the state");
    }

    @Test
    void shouldCatchAFirstDaySpikeButNotTheFirstDayGoingOn() {
        // a quantised daily cycle, five minutes a reading, from midnight's low (6.5): after the warm-up (120 readings,
        // ten hours) the afternoon steps up to 14.5, past the morning's range [6.5, 13.5] by 1 (14% of it); at halves,
        // which the range rule judges by its tolerance alone (readings in whole units pass it by one unit more)
        double[] day = new double[288 * 2];
        for (int t = 0; t < day.length; t++) {
            day[t] = Math.rint(10 - 4 * Math.cos(2 * Math.PI * t / 288)) + 0.5;
        }
        // the young range alone: these steps are persistence misses of under recordMiss scales, which hides them too
        ScoringConfig d = ScoringConfigs.with(ScoringConfig.defaults(), "recordMiss", 0.0);
        assertEquals(List.of(), rangeOpenings(d, day), "a young range lets the day go on");
        ScoringConfig off = ScoringConfigs.withRange(d, d.spatialTolerance(), 0);
        assertEquals(1, rangeOpenings(off, day).size(), "without it, the first afternoon alerts");
        // a spike on the first afternoon is caught; so is a reading 15% past the range on the second
        assertEquals(List.of(200), rangeOpenings(d, SyntheticSeries.withSpike(day, 200, 12)));
        double[] second = day.clone();
        second[288 + 200] = 14.5 + 0.15 * 8;
        assertEquals(List.of(288 + 200), rangeOpenings(d, second));
    }

    /** Events at which the range rule opened an alert, with a persistence prediction. */
    private static List<Integer> rangeOpenings(ScoringConfig scoring, double[] x) {
        Detector detector = new Detector(new DetectorConfig(CONFIG.lstm(), scoring));
        DetectorState state = detector.newState();
        List<Integer> at = new ArrayList<>();
        List<Event> events = SyntheticSeries.events(x);
        for (int t = 0; t < events.size(); t++) {
            DetectorResult r = detector.step(null, state, events.get(t));
            if (r.transition() == dev.vigil.score.AlertTransition.OPENED
                    && r.alertReason() == dev.vigil.score.AlertReason.RANGE) {
                at.add(t);
            }
        }
        return at;
    }

    @Test
    void shouldRefuseBadEventsAndLeaveTheStateAsItWas() {
        Detector detector = new Detector(CONFIG);
        DetectorState state = detector.newState();
        LstmModel model = model(1);
        for (Event e : events().subList(0, 200)) {
            detector.step(model, state, e);
        }
        byte[] before = DetectorStateCodec.encode(state);
        long last = state.lastTimestamp();
        List<Event> bad = List.of(
                new Event(last + 1, new double[] {Double.NaN}),
                new Event(last + 1, new double[] {Double.POSITIVE_INFINITY}),
                new Event(last + 1, new double[] {1, 2}),
                new Event(last, new double[] {10}),
                new Event(last - 5000, new double[] {10}),
                new Event(DetectorState.NO_TIMESTAMP, new double[] {10}));
        for (Event e : bad) {
            DetectorResult r = detector.step(model, state, e);
            assertFalse(r.accepted());
            assertNotNull(r.refusal());
            assertEquals(detector.refusal(state, e).orElseThrow(), r.refusal(), "refusal() says what step() refuses");
            assertArrayEquals(before, DetectorStateCodec.encode(state), "state changed by " + r.refusal());
        }
    }

    @Test
    void shouldGiveTheSameBitsWhenTheStateIsPersistedBetweenEvents() {
        Detector inMemory = new Detector(CONFIG);
        Detector persisted = new Detector(CONFIG);
        DetectorState a = inMemory.newState();
        byte[] b = DetectorStateCodec.encode(persisted.newState());
        LstmModel model = model(1);
        for (Event e : events()) {
            DetectorResult ra = inMemory.step(model, a, e);
            DetectorState sb = DetectorStateCodec.decode(b);
            DetectorResult rb = persisted.step(model, sb, e);
            b = DetectorStateCodec.encode(sb);
            assertEquals(Double.doubleToRawLongBits(ra.anomalyScore()), Double.doubleToRawLongBits(rb.anomalyScore()));
            assertArrayEquals(ra.prediction(), rb.prediction());
        }
        assertArrayEquals(DetectorStateCodec.encode(a), b);
    }

    @Test
    void shouldScoreLateEventsWithinTheAllowedLatenessAndRefuseOlderOnes() {
        Detector detector = new Detector(CONFIG.withAllowedLatenessMs(60_000));
        DetectorState state = detector.newState();
        assertTrue(detector.step(null, state, Event.of(1_000_000, 10)).accepted());
        assertTrue(detector.step(null, state, Event.of(960_000, 11)).accepted());
        assertEquals(1_000_000, state.lastTimestamp(), "the latest event time stays the high-water mark");
        DetectorResult tooLate = detector.step(null, state, Event.of(939_999, 12));
        assertFalse(tooLate.accepted());
        assertEquals(Refusal.Kind.LATE, tooLate.refusal().kind());
        assertTrue(tooLate.refusal().detail().contains("allowed lateness"), tooLate.refusal().detail());
    }

    @Test
    void shouldPredictWithPersistenceUntilTheKeyHasAModel() {
        Detector detector = new Detector(CONFIG);
        DetectorState state = detector.newState();
        List<Event> events = events();
        assertNull(detector.step(null, state, events.get(0)).prediction());
        DetectorResult second = detector.step(null, state, events.get(1));
        assertArrayEquals(events.get(0).values(), second.prediction());
        assertEquals(DetectorState.NO_MODEL, second.modelVersion());
        assertTrue(second.warmup());
    }

    @Test
    void shouldRewarmTheHiddenStateFromHistoryOnAModelSwap() {
        Detector detector = new Detector(CONFIG);
        List<Event> events = events();
        LstmModel next = model(2);
        DetectorState swapped = swappedAt300(detector, events, next);
        // the same model run from the start over the same readings, in the frame it is put in force in (no shift
        // for the key's level moving meanwhile: the history is what it was trained on), reaches the same hidden state
        DetectorState fresh = detector.newState();
        for (Event e : events.subList(0, 300)) {
            detector.step(next, fresh, e);
            java.util.Arrays.fill(fresh.modelCentre(), Double.NaN);
        }
        assertEquals(2, swapped.modelVersion());
        assertArrayEquals(fresh.lstm().h(1), swapped.lstm().h(1));
        assertArrayEquals(fresh.prediction(), swapped.prediction());
        DetectorResult after = detector.step(next, swapped, events.get(300));
        assertEquals(2, after.modelVersion());
    }

    @Test
    void shouldPredictInTheFrameOfTheKeysLevelWhenTheModelWasPutInForce() {
        Detector detector = new Detector(CONFIG);
        List<Event> events = events();
        LstmModel next = model(2);
        DetectorState a = swappedAt300(detector, events, next);
        assertArrayEquals(a.score().center(), a.modelCentre(), "put in force at the key's level now");
        DetectorState b = DetectorStateCodec.decode(DetectorStateCodec.encode(a));
        // b's level has moved by 7 since the swap (its running centre with it); its readings are a's, 7 higher
        double moved = 7.0;
        b.score().center()[0] += moved;
        for (Event e : events.subList(300, 400)) {
            detector.step(next, a, e);
            detector.step(next, b, new Event(e.timestamp(), new double[] {e.values()[0] + moved}));
            assertEquals(a.prediction()[0] + moved, b.prediction()[0], 1e-9,
                    "the model reads b less, and predicts b plus, how far its centre moved since the swap");
        }
        assertEquals(a.modelCentre()[0], b.modelCentre()[0]);
    }

    @Test
    void shouldRebuildTheErrorBaselineFromTheNewModelsOwnErrorsOnASwap() {
        Detector detector = new Detector(CONFIG);
        List<Event> events = events();
        HistoryWindow history = new HistoryWindow(250, 1);
        DetectorState state = detector.newState();
        for (Event e : events.subList(0, 300)) {
            detector.step(null, state, e);
            history.append(e.timestamp(), e.values());
        }
        assertEquals(299, state.score().error().levelUpdates());
        double persistenceMean = state.score().error().longMean();
        detector.rewarm(model(2), state, history);
        // one level per history reading that had a prediction before it: the baseline now describes the new model
        assertEquals(249, state.score().error().levelUpdates());
        assertTrue(state.score().error().longMean() != persistenceMean);
        assertEquals(300, state.score().updates(), "the normaliser is kept");
    }

    @Test
    void shouldReportNoModelOnceTheKeysModelIsWithdrawn() {
        Detector detector = new Detector(CONFIG);
        DetectorState state = detector.newState();
        List<Event> events = events();
        detector.step(model(3), state, events.get(0));
        assertEquals(3, state.modelVersion());
        DetectorResult withdrawn = detector.step(null, state, events.get(1));
        assertEquals(DetectorState.NO_MODEL, withdrawn.modelVersion());
        DetectorResult next = detector.step(null, state, events.get(2));
        assertArrayEquals(events.get(1).values(), next.prediction(), "persistence predicts once the model is gone");
    }

    @Test
    void shouldResetAKeyWhoseHiddenStateTurnsNonFinite() {
        Detector detector = new Detector(CONFIG);
        DetectorState state = detector.newState();
        LstmModel model = model(1);
        List<Event> events = events();
        detector.step(model, state, events.get(0));
        state.lstm().c(0)[0] = Float.NaN;
        DetectorResult r = detector.step(model, state, events.get(1));
        assertTrue(r.stateReset());
        assertTrue(state.lstm().isFinite());
        assertEquals(1, state.resets());
        assertTrue(Double.isFinite(state.prediction()[0]));
    }

    @Test
    void shouldScoreTheInjectedSpikeHighestAfterWarmup() {
        Detector detector = new Detector(CONFIG);
        DetectorState state = detector.newState();
        List<DetectorResult> results = new ArrayList<>();
        for (Event e : events()) {
            results.add(detector.step(null, state, e));
        }
        int argmax = 0;
        for (int t = 0; t < results.size(); t++) {
            if (results.get(t).anomalyScore() > results.get(argmax).anomalyScore()) {
                argmax = t;
            }
        }
        assertEquals(400, argmax);
    }
}
