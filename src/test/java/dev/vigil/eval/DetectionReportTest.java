package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.VigilException;
import dev.vigil.score.AlertReason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-kind counting on hand-made scored series whose answer is known row by row. */
class DetectionReportTest {
    /** 2000 rows: NAB's probation is 300 rows. */
    private static final int ROWS = 2000;
    private static final int PROBATION = 300;
    private static final double THRESHOLD = 0.5;
    private static final int WINDOW_FIRST = 1000;
    private static final int WINDOW_LAST = 1100;
    private static final int ONSET = 1050;
    /** Rows counted for false alarms: non-probationary rows outside the one window. */
    private static final int QUIET_ROWS = ROWS - PROBATION - (WINDOW_LAST - WINDOW_FIRST + 1);

    private static double[] scores(int... aboveRows) {
        double[] s = new double[ROWS];
        for (int r : aboveRows) {
            s[r] = 0.9;
        }
        return s;
    }

    private static ScoredSeries series(String path, double[] scores) {
        return new ScoredSeries(path, SyntheticNab.timestamps(ROWS), scores);
    }

    private static NabLabels oneWindow(String... paths) {
        Map<String, List<NabWindow>> windows = new java.util.LinkedHashMap<>();
        for (String p : paths) {
            windows.put(p, List.of(SyntheticNab.window(WINDOW_FIRST, WINDOW_LAST)));
        }
        return NabLabels.of(windows);
    }

    private static AnomalyCatalog spikeAtOnset(String... paths) {
        Map<String, List<InjectedAnomaly>> byPath = new java.util.LinkedHashMap<>();
        for (String p : paths) {
            byPath.put(p, List.of(new InjectedAnomaly(AnomalyKind.SPIKE, ONSET, ONSET, "")));
        }
        return AnomalyCatalog.of(byPath);
    }

    private static DetectionReport count(double[] scores) {
        return DetectionReport.count(List.of(series("c/a.csv", scores)), oneWindow("c/a.csv"), spikeAtOnset("c/a.csv"),
                THRESHOLD);
    }

    @Test
    void shouldCatchACrossingAfterTheOnsetWithItsDelayInRows() {
        DetectionTally t = count(scores(ONSET + 7, ONSET + 20)).byKind().get(AnomalyKind.SPIKE);
        assertEquals(1, t.anomalies());
        assertEquals(1, t.caught());
        assertEquals(List.of(7), t.delays());
        assertEquals(7.0, t.medianDelay());
        assertEquals(0, t.falseAlarms());
        assertEquals(QUIET_ROWS, t.events());
    }

    @Test
    void shouldTellEachAnomalysOutcomeWithItsFirstCrossingOpenerAndPeak() {
        double[] caughtScores = scores(ONSET + 7, ONSET + 20);
        caughtScores[ONSET + 3] = 0.3;
        caughtScores[ONSET + 20] = 0.95;
        caughtScores[WINDOW_LAST + 1] = 0.99; // after the window: not the anomaly's
        AlertReason[] openedBy = new AlertReason[ROWS];
        openedBy[ONSET + 7] = AlertReason.PATTERN;
        double[] missedScores = scores(ONSET - 1);
        missedScores[ONSET + 40] = 0.42;
        Map<String, List<InjectedAnomaly>> byPath = new java.util.LinkedHashMap<>();
        byPath.put("c/a.csv", List.of(new InjectedAnomaly(AnomalyKind.SPIKE, ONSET, ONSET, "x3, \"sharp\"")));
        byPath.put("c/b.csv", List.of(new InjectedAnomaly(AnomalyKind.DRIFT, ONSET, ONSET + 30, "")));
        DetectionReport r = DetectionReport.count(List.of(
                new ScoredSeries("c/a.csv", SyntheticNab.timestamps(ROWS), caughtScores, openedBy),
                series("c/b.csv", missedScores)), oneWindow("c/a.csv", "c/b.csv"), AnomalyCatalog.of(byPath),
                THRESHOLD);

        assertEquals(2, r.outcomes().size());
        AnomalyOutcome caught = r.outcomes().get(0);
        assertEquals("c/a.csv", caught.file());
        assertTrue(caught.caught());
        assertEquals(7, caught.delay());
        assertEquals(AlertReason.PATTERN, caught.openedBy());
        assertEquals(0.95, caught.peak(), 0.0, "the highest score from the onset to the window's end");
        assertEquals(WINDOW_LAST, caught.windowLast());
        assertEquals("c/a.csv,spike,1050,1050,1100,true,7,pattern,0.9500,\"x3, \"\"sharp\"\"\"", caught.csvLine());
        AnomalyOutcome missed = r.outcomes().get(1);
        assertEquals("c/b.csv", missed.file());
        assertTrue(!missed.caught());
        assertEquals(-1, missed.delay());
        assertEquals(null, missed.openedBy());
        assertEquals(0.42, missed.peak(), 0.0, "a crossing before the onset is not the anomaly's peak");
        assertEquals("c/b.csv,drift,1050,1080,1100,false,,,0.4200,\"\"", missed.csvLine());
        assertEquals(r.total().caught(), r.outcomes().stream().filter(AnomalyOutcome::caught).count());
        assertEquals(List.of(caught, missed, caught, missed), r.plus(r).outcomes(), "pooled: one after the other");
    }

    @Test
    void shouldCatchAtTheWindowsLastRowButNotAfterIt() {
        assertEquals(1, count(scores(WINDOW_LAST)).total().caught());
        DetectionReport late = count(scores(WINDOW_LAST + 1));
        assertEquals(0, late.total().caught());
        assertEquals(1, late.total().falseAlarms(), "a crossing after the window is a false alarm");
    }

    @Test
    void shouldNeitherCatchNorCountAFalseAlarmForACrossingInTheWindowBeforeTheOnset() {
        DetectionReport r = count(scores(WINDOW_FIRST, ONSET - 1));
        assertEquals(0, r.total().caught());
        assertEquals(0, r.total().falseAlarms());
        assertTrue(Double.isNaN(r.total().medianDelay()));
    }

    @Test
    void shouldCountOneFalseAlarmPerRisingEdgeOutsideWindowsAfterProbation() {
        // rows 500-502: one excursion; 600: another; 100: in probation; the window's excursion running past its end
        // (1095-1105) is no new edge outside
        DetectionReport r = count(scores(100, 500, 501, 502, 600, 1095, 1096, 1097, 1098, 1099, 1100, 1101, 1102,
                1103, 1104, 1105));
        assertEquals(2, r.total().falseAlarms());
        assertEquals(QUIET_ROWS, r.total().events());
        assertEquals(10_000.0 * 2 / QUIET_ROWS, r.total().falseAlarmsPer10k(), 1e-12);
        assertEquals(1, r.total().caught());
        assertEquals(List.of(1095 - ONSET), r.total().delays());
        assertEquals(new DetectionTally(0, 0, List.of(), 1, PROBATION), r.settling(),
                "the edge at 100 is a settling alarm, counted apart over the probationary rows");
    }

    @Test
    void shouldCountSettlingAlarmsOnProbationaryRowsOutsideWindowsAndPoolThem() {
        // rows 0-1: an edge on the first row; 150-160: one excursion; 299: the probation's last row; 300: the first
        // row counted as usual
        DetectionReport r = count(scores(0, 1, 150, 155, 160, 299, 300));
        assertEquals(5, r.settling().falseAlarms(), "0 (with 1, one run), 150, 155, 160 and 299: " + r.settling());
        assertEquals(PROBATION, r.settling().events());
        assertEquals(0, r.total().falseAlarms(), "300 follows 299's excursion: no new edge");
        DetectionReport quiet = count(scores(ONSET));
        assertEquals(new DetectionTally(0, 0, List.of(), 0, PROBATION), quiet.settling());
        assertEquals(new DetectionTally(0, 0, List.of(), 5, 2L * PROBATION), r.plus(quiet).settling());
        assertEquals(10_000.0 * 5 / PROBATION, r.settling().falseAlarmsPer10k(), 1e-12);
        assertEquals(List.of(0, 150, 155, 160, 299), r.settlingRows().stream().map(FalseAlarm::row).toList(),
                "each listed apart from the false alarms");
        assertEquals(5, r.plus(quiet).settlingRows().size());
        assertEquals(5, r.settlingOpenerUnknown(), "scores without openers");
    }

    @Test
    void shouldChargeAFilesFalseAlarmsToEachKindItHoldsAndToItsCategory() {
        Map<String, List<NabWindow>> windows = Map.of(
                "x/two.csv", List.of(SyntheticNab.window(800, 900), SyntheticNab.window(1500, 1600)),
                "y/none.csv", List.of());
        AnomalyCatalog catalog = AnomalyCatalog.of(Map.of(
                "x/two.csv", List.of(new InjectedAnomaly(AnomalyKind.FROZEN, 850, 880, ""),
                        new InjectedAnomaly(AnomalyKind.DRIFT, 1550, 1580, "")),
                "y/none.csv", List.of()));
        DetectionReport r = DetectionReport.count(List.of(
                series("x/two.csv", scores(400, 860, 1700)), series("y/none.csv", scores(1000, 1200, 1201))),
                NabLabels.of(windows), catalog, THRESHOLD);
        int twoRows = ROWS - PROBATION - 2 * 101;
        assertEquals(new DetectionTally(1, 1, List.of(10), 2, twoRows), r.byKind().get(AnomalyKind.FROZEN));
        assertEquals(new DetectionTally(1, 0, List.of(), 2, twoRows), r.byKind().get(AnomalyKind.DRIFT));
        assertEquals(List.of(AnomalyKind.DRIFT, AnomalyKind.FROZEN), r.kinds());
        assertEquals(new DetectionTally(0, 0, List.of(), 2, ROWS - PROBATION), r.byCategory().get("y"));
        assertEquals(new DetectionTally(2, 1, List.of(10), 4, twoRows + ROWS - PROBATION), r.total());
    }

    @Test
    void shouldPoolTwoReportsByAddingEveryCount() {
        DetectionReport one = count(scores(ONSET + 3, 500));
        DetectionReport two = count(scores(ONSET + 9));
        DetectionReport pooled = one.plus(two);
        assertEquals(new DetectionTally(2, 2, List.of(3, 9), 1, 2L * QUIET_ROWS), pooled.total());
        assertEquals(6.0, pooled.byKind().get(AnomalyKind.SPIKE).medianDelay());
        assertEquals(0.5 * 10_000 / QUIET_ROWS, pooled.total().falseAlarmsPer10k(), 1e-12);
    }

    @Test
    void shouldCountFalseAlarmsAndCatchesByWhatOpenedTheAlertOnTheirRow() {
        // edges at 500 (a range record opened it), 600 (a drift alert), 700 (the opener not reported); 800-801 is one
        // excursion whose second row's opener does not count; the window's crossing at the onset is no false alarm
        double[] s = scores(500, 600, 700, 800, 801, ONSET);
        AlertReason[] openedBy = new AlertReason[ROWS];
        openedBy[500] = AlertReason.RANGE;
        openedBy[600] = AlertReason.DRIFT;
        openedBy[800] = AlertReason.RANGE;
        openedBy[801] = AlertReason.SPIKE;
        openedBy[ONSET] = AlertReason.SPIKE;
        DetectionReport r = DetectionReport.count(List.of(new ScoredSeries("c/a.csv", SyntheticNab.timestamps(ROWS), s,
                openedBy)), oneWindow("c/a.csv"), spikeAtOnset("c/a.csv"), THRESHOLD);
        assertEquals(4, r.total().falseAlarms());
        assertEquals(Map.of(AlertReason.RANGE, 2L, AlertReason.DRIFT, 1L), r.falseAlarmsByOpener());
        assertEquals(1, r.falseAlarmsOpenerUnknown());
        assertEquals(List.of(AlertReason.RANGE, AlertReason.DRIFT), List.copyOf(r.falseAlarmsByOpener().keySet()),
                "in the reasons' order");
        assertEquals(Map.of(AnomalyKind.SPIKE, Map.of(AlertReason.SPIKE, 1L)), r.caughtByOpener(),
                "the spike caught at its onset by what opened the alert there");
        DetectionReport pooled = r.plus(r).plus(count(scores(500, ONSET)));
        assertEquals(Map.of(AlertReason.RANGE, 4L, AlertReason.DRIFT, 2L), pooled.falseAlarmsByOpener());
        assertEquals(3, pooled.falseAlarmsOpenerUnknown(), "two not reported, one from scores without openers");
        assertEquals(Map.of(AnomalyKind.SPIKE, Map.of(AlertReason.SPIKE, 2L)), pooled.caughtByOpener(),
                "a catch whose opener is not known is in none");
        assertEquals(3, pooled.byKind().get(AnomalyKind.SPIKE).caught());
    }

    @Test
    void shouldListEachFalseAlarmWithItsRowScoreAndOpener() {
        // rising edges outside the window after probation: 500 (a range record), 800-801 (one excursion); 200 lies in
        // probation (a settling alarm, a range record too), the onset in the window
        double[] s = scores(200, 500, 800, 801, ONSET);
        s[800] = 0.6;
        AlertReason[] openedBy = new AlertReason[ROWS];
        openedBy[200] = AlertReason.RANGE;
        openedBy[500] = AlertReason.RANGE;
        String[] stamps = SyntheticNab.timestamps(ROWS);
        DetectionReport r = DetectionReport.count(List.of(new ScoredSeries("c/a.csv", stamps, s, openedBy)),
                oneWindow("c/a.csv"), spikeAtOnset("c/a.csv"), THRESHOLD);
        assertEquals(List.of(new FalseAlarm("c/a.csv", 500, stamps[500], 0.9, AlertReason.RANGE),
                new FalseAlarm("c/a.csv", 800, stamps[800], 0.6, null)), r.falseAlarmRows());
        assertEquals(r.total().falseAlarms(), r.falseAlarmRows().size());
        assertEquals("c/a.csv,500,2020-01-21 20:00:00,0.9000,range", r.falseAlarmRows().get(0).csvLine());
        assertEquals(4, r.plus(r).falseAlarmRows().size(), "pooled: one list after the other");
        assertEquals(List.of(new FalseAlarm("c/a.csv", 200, stamps[200], 0.9, AlertReason.RANGE)), r.settlingRows());
        assertEquals(Map.of(AlertReason.RANGE, 2L), r.plus(r).settlingByOpener());
    }

    @Test
    void shouldTakeTheMedianDelayOfOddAndEvenCounts() {
        assertEquals(4.0, new DetectionTally(3, 3, List.of(9, 1, 4), 0, 1).medianDelay());
        assertEquals(2.5, new DetectionTally(4, 4, List.of(9, 1, 4, 0), 0, 1).medianDelay());
        assertEquals(0.75, new DetectionTally(4, 3, List.of(9, 1, 4), 0, 1).caughtShare());
        assertTrue(Double.isNaN(DetectionTally.EMPTY.caughtShare()));
        assertTrue(Double.isNaN(DetectionTally.EMPTY.falseAlarmsPer10k()));
        assertTrue(Double.isNaN(DetectionTally.EMPTY.per10k(3)));
        assertEquals(1.5, new DetectionTally(0, 0, List.of(), 4, 20_000).per10k(3));
    }

    @Test
    void shouldRejectAnAnomalyOutsideEveryWindow() {
        AnomalyCatalog catalog = AnomalyCatalog.of(Map.of("c/a.csv",
                List.of(new InjectedAnomaly(AnomalyKind.DIP, 1200, 1201, ""))));
        VigilException e = assertThrows(VigilException.class, () -> DetectionReport.count(
                List.of(series("c/a.csv", scores())), oneWindow("c/a.csv"), catalog, THRESHOLD));
        assertEquals("c/a.csv: the dip anomaly at row 1200 lies in no labelled window of the file", e.getMessage());
    }

    @Test
    void shouldRejectAFileTheCatalogDoesNotList() {
        VigilException e = assertThrows(VigilException.class, () -> DetectionReport.count(
                List.of(series("c/b.csv", scores())), oneWindow("c/b.csv"), spikeAtOnset("c/a.csv"), THRESHOLD));
        assertEquals("no entry for 'c/b.csv' in the anomalies file", e.getMessage());
    }
}
