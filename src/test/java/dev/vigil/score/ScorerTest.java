package dev.vigil.score;

import dev.vigil.testutil.SyntheticSeries;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScorerTest {
    private static final double SCALE_INVARIANCE_TOLERANCE = 1e-9;

    private final ScoringConfig config = ScoringConfig.defaults();
    private final Scorer scorer = new Scorer(config);

    /** Scores a series with a persistence prediction (the previous reading). */
    private double[] scoreAll(double[] x, ScoreState state) {
        return scoreAll(scorer, x, state);
    }

    /** {@code s}'s scores of a series with a persistence prediction (the previous reading), {@code state} scored on. */
    static double[] scoreAll(Scorer s, double[] x, ScoreState state) {
        double[] scores = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            double[] prediction = t == 0 ? null : new double[] {x[t - 1]};
            scores[t] = s.score(state, new double[] {x[t]}, prediction, Scorer.ESTABLISHED).anomalyScore();
        }
        return scores;
    }

    @Test
    void shouldReportZeroThroughoutWarmup() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.seasonal(400, 10, 2, 50, 0.3, 1), 50, 100);
        double[] scores = scoreAll(x, scorer.newState(1));
        for (int t = 0; t < config.warmupEvents(); t++) {
            assertEquals(0.0, scores[t], "event " + t);
        }
    }

    @Test
    void shouldScoreOneWhenAReadingLeavesTheRangeSeenSoFar() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.seasonal(600, 10, 2, 50, 0.3, 1), 500, 50);
        double[] scores = scoreAll(x, scorer.newState(1));
        assertEquals(1.0, scores[500]);
        double before = 0;
        for (int t = config.warmupEvents() + 50; t < 500; t++) {
            before = Math.max(before, scores[t]);
        }
        assertTrue(before < config.alertThreshold(), "quiet part peaked at " + before);
    }

    @Test
    void shouldOpenOneAlertAndReportRepeatsAtTheRepeatLevel() {
        double[] x = SyntheticSeries.withLevelShift(SyntheticSeries.seasonal(900, 10, 2, 50, 0.3, 3), 600, 40);
        ScoreState state = scorer.newState(1);
        int opened = 0;
        int atThresholdAfterOpen = 0;
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            if (o.transition() == AlertTransition.OPENED) {
                opened++;
                assertEquals(600, t);
            } else if (o.alertOpen() && o.anomalyScore() >= config.alertThreshold()) {
                atThresholdAfterOpen++;
            }
        }
        assertEquals(1, opened);
        assertEquals(0, atThresholdAfterOpen);
    }

    @Test
    void shouldCloseTheAlertAfterTheQuietPeriod() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.seasonal(800, 10, 2, 50, 0.3, 5), 500, 60);
        ScoreState state = scorer.newState(1);
        int openedAt = -1;
        int closedAt = -1;
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            if (o.transition() == AlertTransition.OPENED) {
                openedAt = t;
            } else if (o.transition() == AlertTransition.CLOSED) {
                closedAt = t;
            }
        }
        assertEquals(500, openedAt);
        assertTrue(closedAt > openedAt + config.quietEvents() - 1, "closed at " + closedAt);
        assertFalse(state.alertOpen());
    }

    @Test
    void shouldGiveTheSameScoresWhateverTheUnitsOfTheSensor() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.seasonal(700, 10, 2, 50, 0.3, 9), 650, 8);
        double[] big = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            big[t] = x[t] * 1e6;
        }
        assertArrayEquals(scoreAll(x, scorer.newState(1)), scoreAll(big, scorer.newState(1)), SCALE_INVARIANCE_TOLERANCE);
    }

    @Test
    void shouldNameTheChannelThatMissedMostFirst() {
        ScoreState state = scorer.newState(3);
        double[] reading = {1, 1, 1};
        for (int t = 0; t < 50; t++) {
            double wobble = (t % 2 == 0 ? 0.1 : -0.1);
            reading = new double[] {1 + wobble, 2 + wobble, 3 + wobble};
            scorer.score(state, reading, new double[] {1, 2, 3}, Scorer.ESTABLISHED);
        }
        ScoreOutcome o = scorer.score(state, new double[] {1, 5, 3.5}, new double[] {1, 2, 3}, Scorer.ESTABLISHED);
        assertArrayEquals(new int[] {1, 2, 0}, o.topChannels());
    }

    @Test
    void shouldRoundTripTheStateThroughItsCodec() {
        ScoreState state = scorer.newState(2);
        for (int t = 0; t < 700; t++) {
            scorer.score(state, new double[] {Math.sin(t), 100 + t}, t == 0 ? null : new double[] {0, 100 + t},
                    Scorer.ESTABLISHED);
        }
        assertTrue(scorer.asksForJump(state), "the jumps are learnt: the codec carries them");
        Excursions learnt = state.excursions();
        assertTrue(learnt.jumpLow()[0] < 0 && learnt.jumpHigh()[0] > 0 && learnt.jumpHigh()[1] > 0);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, buf);
        assertEquals(buf.capacity(), buf.position());
        buf.flip();
        assertEquals(state, ScoreStateCodec.read(buf));
    }

    @Test
    void shouldSayWhichRuleOpenedAnAlertAndWhyItClosed() {
        double[] spike = SyntheticSeries.withSpike(SyntheticSeries.seasonal(800, 10, 2, 50, 0.3, 5), 500, 60);
        List<String> first = transitions(spike).subList(0, 2);
        assertTrue(first.get(0).matches("OPENED RANGE a reading of [0-9.]+ outside the range of the 500 readings so far"
                + " \\([0-9.]+ to"
                + " [0-9.]+\\)"), first.get(0));
        assertEquals("CLOSED CALM " + config.quietEvents() + " calm events in a row", first.get(1));
        double[] stuck = SyntheticSeries.seasonal(900, 10, 2, 50, 0.3, 11);
        for (int t = 600; t < 700; t++) {
            stuck[t] = stuck[599];
        }
        assertEquals("OPENED STUCK_SENSOR the same reading " + config.flatlineEvents() + " times in a row",
                transitions(stuck).get(0));
        // readings inside the range all along, predictions good until 600 and off by two from then on: the prediction
        // errors, not the range, open the alert
        double[] x = SyntheticSeries.seasonal(900, 10, 5, 50, 0.1, 13);
        ScoreState state = scorer.newState(1);
        String opened = null;
        for (int t = 0; t < x.length && opened == null; t++) {
            double[] prediction = t == 0 ? null : new double[] {x[t] + (t >= 600 ? 2.0 : 0.02 * Math.sin(t))};
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, prediction, Scorer.ESTABLISHED);
            if (o.transition() == AlertTransition.OPENED) {
                opened = t + " " + o.reason() + " " + o.detail();
            }
        }
        assertNotNull(opened);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("60\\d PREDICTION_ERROR a reading of ([0-9.]+)"
                + " where ([0-9.]+) was predicted: prediction error far above usual for this sensor \\(likelihood"
                + " score \\d\\.\\d{3}\\)").matcher(opened);
        assertTrue(m.matches(), opened);
        assertEquals(2.0, Double.parseDouble(m.group(2)) - Double.parseDouble(m.group(1)), 0.01,
                "the prediction was off by two: " + opened);
    }

    @Test
    void shouldWriteReadingsInDetailsWithFourSignificantDigits() {
        assertEquals("11.6", Scorer.digits(11.6));
        assertEquals("0.01346", Scorer.digits(0.013456));
        assertEquals("142300", Scorer.digits(142_345));
        assertEquals("-3.5", Scorer.digits(-3.5));
        assertEquals("0", Scorer.digits(0));
        assertEquals("NaN", Scorer.digits(Double.NaN));
    }

    @Test
    void shouldOpenAnAlertOfItsOwnWhenTheSensorFreezesDuringAnotherOne() {
        // predictions off by two from 600 open a prediction-error alert; from 620 the sensor repeats its reading,
        // inside the range, while the errors keep the alert open: the stuck-sensor rule opens an alert of its own
        double[] x = SyntheticSeries.seasonal(900, 10, 5, 50, 0.1, 13);
        for (int t = 620; t < 700; t++) {
            x[t] = x[619];
        }
        ScoreState state = scorer.newState(1);
        List<String> opened = new java.util.ArrayList<>();
        for (int t = 0; t < 700; t++) {
            double[] prediction = t == 0 ? null : new double[] {x[t] + (t >= 600 ? 2.0 : 0.02 * Math.sin(t))};
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, prediction, Scorer.ESTABLISHED);
            if (o.transition() == AlertTransition.OPENED) {
                opened.add(o.reason() + (o.reason() == AlertReason.STUCK_SENSOR ? " at " + t : ""));
            } else if (t >= 610) {
                assertTrue(o.alertOpen(), "open at " + t);
                assertTrue(o.anomalyScore() < config.alertThreshold(), "crossing at " + t + ": " + o.anomalyScore());
            }
        }
        assertEquals(List.of("PREDICTION_ERROR", "STUCK_SENSOR at " + (619 + config.flatlineEvents())), opened);
        assertEquals(AlertReason.STUCK_SENSOR, state.openReason());
        assertEquals(2, state.alertsOpened());
    }

    @Test
    void shouldKeepWhatOpenedTheAlertThroughTheCodec() {
        double[] x = SyntheticSeries.withSpike(SyntheticSeries.seasonal(600, 10, 2, 50, 0.3, 5), 500, 60);
        ScoreState state = scorer.newState(1);
        scoreAll(java.util.Arrays.copyOf(x, 510), state);
        assertEquals(AlertReason.RANGE, state.openReason());
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(ScoreStateCodec.size(state));
        ScoreStateCodec.write(state, buf);
        buf.flip();
        ScoreState read = ScoreStateCodec.read(buf.duplicate());
        assertEquals(state, read);
        assertEquals(AlertReason.RANGE, read.openReason());
        // the alert byte follows channels, window, four rows of d doubles, the error ring (floats), updates and the
        // error scalars
        int alertByte = 2 + 8 * 4 + 4 * config.shortWindow() + 8 + 2 + 8 + 8 + 8;
        assertEquals(2, buf.get(alertByte));
        buf.put(alertByte, (byte) 1); // as every state written before the opener was kept
        ScoreState old = ScoreStateCodec.read(buf.duplicate());
        assertTrue(old.alertOpen());
        assertEquals(null, old.openReason());
        buf.put(alertByte, (byte) 9);
        assertEquals("score state's alert byte is 9; must be 0..8", org.junit.jupiter.api.Assertions.assertThrows(
                dev.vigil.BadBytesException.class, () -> ScoreStateCodec.read(buf.duplicate())).getMessage());
    }

    private List<String> transitions(double[] x) {
        ScoreState state = scorer.newState(1);
        List<String> out = new java.util.ArrayList<>();
        for (int t = 0; t < x.length; t++) {
            ScoreOutcome o = scorer.score(state, new double[] {x[t]}, t == 0 ? null : new double[] {x[t - 1]},
                    Scorer.ESTABLISHED);
            if (o.transition() != AlertTransition.NONE) {
                out.add(o.transition() + " " + o.reason() + " " + o.detail());
            }
        }
        return out;
    }
}
