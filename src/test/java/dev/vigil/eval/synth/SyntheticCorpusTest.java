package dev.vigil.eval.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.VigilException;
import dev.vigil.eval.AnomalyCatalog;
import dev.vigil.eval.AnomalyKind;
import dev.vigil.eval.CsvSeries;
import dev.vigil.eval.InjectedAnomaly;
import dev.vigil.eval.NabLabels;
import dev.vigil.eval.NabTimestamp;
import dev.vigil.eval.NabWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corpus generated from a seed, checked against what the generator promises. */
class SyntheticCorpusTest {
    private static final int SERIES = 14;
    private static final long SEED = 11;
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    private static final Pattern VALUE = Pattern.compile("-?\\d+(\\.\\d{1,3})?");
    private static SyntheticCorpus corpus;

    @TempDir
    Path tmp;

    @BeforeAll
    static void generate() {
        corpus = SyntheticCorpus.generate(SERIES, SEED);
    }

    @Test
    void shouldHoldEveryKindFilesWithoutAnomaliesAndFewThousandRowsEach() {
        assertEquals(EnumSet.allOf(AnomalyKind.class), corpus.kindCounts().keySet());
        assertEquals(SERIES, corpus.series().size());
        assertTrue(corpus.series().stream().anyMatch(s -> s.anomalies().isEmpty()));
        assertTrue(corpus.series().stream().anyMatch(s -> s.anomalies().size() == 2));
        for (SyntheticSeries s : corpus.series()) {
            assertTrue(s.size() >= CorpusPlanner.MIN_ROWS && s.size() <= CorpusPlanner.MAX_ROWS, s.relativePath());
        }
        Set<Integer> steps = corpus.series().stream().map(SyntheticSeries::stepSeconds)
                .collect(java.util.stream.Collectors.toSet());
        assertTrue(steps.size() >= 3, "steps " + steps);
    }

    @Test
    void shouldBeTheSameForASeedAndDifferForAnother() {
        SyntheticCorpus again = SyntheticCorpus.generate(SERIES, SEED);
        SyntheticCorpus other = SyntheticCorpus.generate(SERIES, SEED + 1);
        for (int i = 0; i < SERIES; i++) {
            assertArrayEquals(corpus.series().get(i).values(), again.series().get(i).values());
            assertEquals(corpus.series().get(i).anomalies(), again.series().get(i).anomalies());
        }
        assertFalse(java.util.Arrays.equals(corpus.series().get(0).values(), other.series().get(0).values()));
        SyntheticCorpus fewer = SyntheticCorpus.generate(5, SEED);
        assertArrayEquals(corpus.series().get(4).values(), fewer.series().get(4).values(),
                "a series does not depend on how many follow it");
    }

    @Test
    void shouldWriteRowsAsNabDoesAtARegularStep() {
        for (SyntheticSeries s : corpus.series()) {
            LocalDateTime previous = null;
            for (int i = 0; i < s.size(); i++) {
                assertTrue(TIMESTAMP.matcher(s.timestamps()[i]).matches(), s.timestamps()[i]);
                assertTrue(VALUE.matcher(s.values()[i]).matches(), s.relativePath() + " row " + i + ": " + s.values()[i]);
                LocalDateTime t = NabTimestamp.parse(s.timestamps()[i], "test");
                if (previous != null) {
                    assertEquals(Duration.ofSeconds(s.stepSeconds()), Duration.between(previous, t));
                }
                previous = t;
            }
        }
    }

    @Test
    void shouldCentreNabSizedWindowsOnOnsetsAfterWarmUpWithoutOverlap() {
        for (SyntheticSeries s : corpus.series()) {
            int half = ((int) (0.10 * s.size() / Math.max(1, s.anomalies().size()))) / 2;
            assertEquals(s.anomalies().size(), s.windows().size());
            int previousLast = -1;
            for (int k = 0; k < s.anomalies().size(); k++) {
                InjectedAnomaly a = s.anomalies().get(k);
                SyntheticSeries.Window w = s.windows().get(k);
                assertTrue(a.start() >= CorpusPlanner.FIRST_ANOMALY_ROW, s.relativePath());
                assertEquals(new SyntheticSeries.Window(a.start() - half, a.start() + half), w, s.relativePath());
                assertTrue(w.last() < s.size());
                assertTrue(w.first() > previousLast, s.relativePath() + ": windows overlap");
                assertTrue(a.end() <= w.last(), s.relativePath() + ": " + a + " ends after its window " + w);
                previousLast = w.last();
            }
            for (SyntheticSeries.Regime g : s.regimes()) {
                for (SyntheticSeries.Window w : s.windows()) {
                    assertTrue(g.last() < w.first() || g.first() > w.last(), s.relativePath() + ": regime in a window");
                }
            }
        }
    }

    @Test
    void shouldChangeTheSeriesOnlyFromEachOnsetOn() {
        for (SeriesPlan plan : CorpusPlanner.plan(SERIES, SEED)) {
            if (plan.anomalies().isEmpty()) {
                continue;
            }
            double[] with = SeriesRenderer.render(plan).values();
            double[] without = SeriesRenderer.render(plan.with(List.of(), plan.regimes())).values();
            int onset = plan.anomalies().get(0).start();
            for (int i = 0; i < onset; i++) {
                assertEquals(without[i], with[i], plan.relativePath() + " row " + i + " before the onset");
            }
            for (AnomalySpec a : plan.anomalies()) {
                boolean changed = false;
                for (int i = a.start(); i <= a.end(); i++) {
                    changed |= with[i] != without[i];
                }
                assertTrue(changed, plan.relativePath() + ": " + a.kind() + " changed nothing");
                checkKind(plan.relativePath(), a, with);
            }
        }
    }

    @Test
    void shouldRaiseACountSpikePastEveryBurstOfTheCleanHead() {
        int spikes = 0;
        for (SeriesPlan plan : CorpusPlanner.plan(60, 1)) {
            for (AnomalySpec a : plan.anomalies()) {
                if (plan.base() != SeriesBase.COUNTS || a.kind() != AnomalyKind.SPIKE) {
                    continue;
                }
                double[] x = SeriesRenderer.render(plan).values();
                double[] clean = SeriesRenderer.render(plan.with(List.of(), List.of())).values();
                double highest = Arrays.stream(clean, 0, CorpusPlanner.FIRST_ANOMALY_ROW).max().orElseThrow();
                for (int i = a.start(); i <= a.end(); i++) {
                    assertTrue(x[i] > highest, plan.relativePath() + ": count spike row " + i + " is " + x[i]
                            + ", not past the head's highest count " + highest);
                }
                spikes++;
            }
        }
        assertTrue(spikes >= 2, "the corpus holds count spikes to check: " + spikes);
    }

    private static void checkKind(String path, AnomalySpec a, double[] x) {
        if (a.kind() == AnomalyKind.FROZEN) {
            for (int i = a.start(); i <= a.end(); i++) {
                assertEquals(x[a.start() - 1], x[i], path + ": frozen row " + i);
            }
        } else if (a.kind() == AnomalyKind.CONTEXTUAL) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < a.start(); i++) {
                lo = Math.min(lo, x[i]);
                hi = Math.max(hi, x[i]);
            }
            for (int i = a.start(); i <= a.end(); i++) {
                assertTrue(x[i] >= lo && x[i] <= hi, path + ": contextual row " + i + " left the range seen");
            }
        }
    }

    @Test
    void shouldWriteNabLayoutThatReadsBack() throws IOException {
        SyntheticCorpus small = SyntheticCorpus.generate(3, SEED);
        small.write(tmp);
        NabLabels labels = NabLabels.load(tmp.resolve("labels/combined_windows.json"));
        AnomalyCatalog catalog = AnomalyCatalog.load(tmp.resolve("labels/anomalies.json"));
        assertTrue(Files.isRegularFile(tmp.resolve("labels/combined_labels.json")));
        assertTrue(Files.isRegularFile(tmp.resolve("labels/series.json")));
        for (SyntheticSeries s : small.series()) {
            List<String> lines = Files.readAllLines(tmp.resolve("data").resolve(s.relativePath()));
            assertEquals("timestamp,value", lines.get(0));
            assertEquals(s.size() + 1, lines.size());
            assertEquals(s.timestamps()[7] + "," + s.values()[7], lines.get(8));
            CsvSeries read = CsvSeries.read(tmp.resolve("data").resolve(s.relativePath()), s.relativePath());
            assertArrayEquals(s.values(), read.values());
            assertEquals(s.anomalies(), catalog.anomaliesOf(s.relativePath()));
            List<NabWindow> windows = labels.windowsFor(s.relativePath());
            assertEquals(s.windows().size(), windows.size());
            for (int k = 0; k < windows.size(); k++) {
                assertEquals(NabTimestamp.parse(s.timestamps()[s.windows().get(k).first()], "t"), windows.get(k).start());
                assertEquals(NabTimestamp.parse(s.timestamps()[s.windows().get(k).last()], "t"), windows.get(k).end());
            }
        }
        VigilException e = assertThrows(VigilException.class, () -> small.write(tmp));
        assertEquals(tmp.resolve("data") + " already holds files: write a synthetic corpus to an empty folder",
                e.getMessage());
    }

    @Test
    void shouldTurnTheWeekWhereTheDailyPatternIsQuiet() {
        // a weekend's smaller pattern begins and ends at the pattern's own night (a peaked day's flat part, a sine's
        // zero), not at midnight whatever the hour of its peak: a step there would be no habit of any sensor
        int turns = 0;
        for (SeriesPlan p : CorpusPlanner.plan(60, 1)) {
            if (p.shape() == DailyShape.NONE || p.weekendFactor() == 1.0) {
                continue;
            }
            double oneStep = p.stepSeconds() / 86_400.0;
            for (int i = 1; i < p.rows(); i++) {
                if (p.weekFactor(i) != p.weekFactor(i - 1)) {
                    double intoDay = p.patternPosition(i) - Math.floor(p.patternPosition(i));
                    assertTrue(intoDay < oneStep + 1e-9, p.relativePath() + " row " + i + ": the week turns "
                            + intoDay + " days into the pattern's day");
                    turns++;
                }
            }
        }
        assertTrue(turns >= 20, "the corpus's weekly series turn the week often: " + turns);
    }

    @Test
    void shouldRejectASeriesCountOutOfRange() {
        assertEquals("series must be in [1, 10000], got 0",
                assertThrows(VigilException.class, () -> SyntheticCorpus.generate(0, 1)).getMessage());
    }
}
