package dev.vigil.eval;

import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.Event;
import dev.vigil.lstm.TrainingConfig;
import dev.vigil.testutil.SyntheticSeries;
import dev.vigil.train.RetrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vigil evaluate} in shared scope, and in per-key scope with cold start: the files are one fleet,
 * interleaved row by row through one lifecycle (with cold start, later files may join later).
 */
class CorpusEvaluatorTest {
    private static final DateTimeFormatter NAB = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final List<String> FILES = List.of("fleet/meter-a.csv", "fleet/meter-b.csv", "fleet/meter-c.csv");

    @TempDir
    Path tmp;

    private static RetrainConfig shared() {
        TrainingConfig t = TrainingConfig.defaults();
        return new RetrainConfig(200, 64, 150, 0, 0, false, 3, RetrainConfig.SHARED, 32, 60_000, 1 << 20, 16,
                new TrainingConfig(4, t.batchSize(), 16, t.learningRate(), t.clipNorm(), t.validationFraction(),
                        t.patience()));
    }

    /** Writes the three files under {@code data}; their events by file. */
    private static Map<String, List<Event>> writeFiles(Path data) throws IOException {
        Map<String, List<Event>> byFile = new HashMap<>();
        for (int f = 0; f < FILES.size(); f++) {
            // files of different lengths: the longest file's last rows come alone
            double[] x = SyntheticSeries.seasonal(400 + 50 * f, 10 + 10 * f, 1 + f, 24, 0.2, f);
            List<Event> events = SyntheticSeries.events(x);
            byFile.put(FILES.get(f), events);
            StringBuilder csv = new StringBuilder("timestamp,value\n");
            for (Event e : events) {
                csv.append(NAB.format(Instant.ofEpochMilli(e.timestamp()))).append(',').append(e.values()[0]).append('\n');
            }
            Files.createDirectories(data.resolve(FILES.get(f)).getParent());
            Files.writeString(data.resolve(FILES.get(f)), csv);
        }
        return byFile;
    }

    /** The files' events interleaved by row, the k-th file (path order) joining {@code stagger} * k rows late. */
    private static List<SeriesReplay.KeyedEvent> interleave(Map<String, List<Event>> byFile, int stagger) {
        List<SeriesReplay.KeyedEvent> out = new ArrayList<>();
        for (int t = 0; t < 500 + stagger * FILES.size(); t++) {
            for (int k = 0; k < FILES.size(); k++) {
                int i = t - stagger * k;
                List<Event> events = byFile.get(FILES.get(k));
                if (i >= 0 && i < events.size()) {
                    out.add(new SeriesReplay.KeyedEvent(FILES.get(k), events.get(i)));
                }
            }
        }
        return out;
    }

    @Test
    void shouldReplayColdStartAsAFleetWhoseFilesJoinWithTheStagger() throws IOException {
        Path data = tmp.resolve("data");
        Map<String, List<Event>> byFile = writeFiles(data);
        TrainingConfig t = TrainingConfig.defaults();
        RetrainConfig none = new RetrainConfig(200, 150, 150, 0, 0, false, 3, RetrainConfig.PER_KEY, 32, 60_000,
                1 << 20, 16, new TrainingConfig(4, t.batchSize(), 16, t.learningRate(), t.clipNorm(),
                t.validationFraction(), t.patience()));
        RetrainConfig cold = none.withColdStart(RetrainConfig.SHARED);
        DetectorConfig detector = DetectorConfig.defaults();
        Map<String, double[]> perFile = new HashMap<>();
        for (CorpusEvaluator.FileResult r : new CorpusEvaluator(detector, none, 2)
                .evaluate(data, tmp.resolve("none"), "vigil", null, new EvaluationProgress())) {
            perFile.put(r.scored().relativePath(), r.scored().scores());
        }
        for (RetrainConfig retrain : List.of(none, cold)) {
            Map<String, List<Double>> fleet = new HashMap<>();
            new SeriesReplay(detector, retrain).run(interleave(byFile, 200),
                    (key, r) -> fleet.computeIfAbsent(key, k -> new ArrayList<>()).add(r.anomalyScore()));
            if (retrain == none) {
                for (String file : FILES) {
                    assertArrayEquals(perFile.get(file), fleet.get(file).stream().mapToDouble(Double::doubleValue)
                            .toArray(), 0.0, file + ": per-key keys are independent, the fleet order changes nothing");
                }
                continue;
            }
            List<CorpusEvaluator.FileResult> results = new CorpusEvaluator(detector, cold, 2, 200)
                    .evaluate(data, tmp.resolve("cold"), "vigil", null, new EvaluationProgress());
            boolean changed = false;
            for (CorpusEvaluator.FileResult r : results) {
                double[] want = fleet.get(r.scored().relativePath()).stream().mapToDouble(Double::doubleValue)
                        .toArray();
                assertArrayEquals(want, r.scored().scores(), 0.0, r.scored().relativePath());
                changed |= !java.util.Arrays.equals(want, perFile.get(r.scored().relativePath()));
            }
            assertTrue(changed, "a late file's cold-start rows were scored by the shared model");
        }
    }

    @Test
    void shouldReplayTheFilesAsOneFleetInSharedScope() throws IOException {
        Path data = tmp.resolve("data");
        List<SeriesReplay.KeyedEvent> interleaved = new ArrayList<>();
        Map<String, List<Event>> byFile = writeFiles(data);
        for (int i = 0; i < 500; i++) {
            for (String file : FILES) {
                if (i < byFile.get(file).size()) {
                    interleaved.add(new SeriesReplay.KeyedEvent(file, byFile.get(file).get(i)));
                }
            }
        }
        Map<String, List<Double>> expected = new HashMap<>();
        DetectorConfig detector = DetectorConfig.defaults().withKeyNormalised(true);
        SeriesReplay.Stats stats = new SeriesReplay(detector, shared()).run(interleaved,
                (key, r) -> expected.computeIfAbsent(key, k -> new ArrayList<>()).add(r.anomalyScore()));
        for (int threads : new int[] {1, 2}) {
            List<CorpusEvaluator.FileResult> results = new CorpusEvaluator(DetectorConfig.defaults(), shared(), threads)
                    .evaluate(data, tmp.resolve("out-" + threads), "vigil", null, new EvaluationProgress());
            assertEquals(FILES.size(), results.size());
            int trainings = 0;
            for (CorpusEvaluator.FileResult r : results) {
                double[] want = expected.get(r.scored().relativePath()).stream().mapToDouble(Double::doubleValue).toArray();
                assertArrayEquals(want, r.scored().scores(), 0.0, r.scored().relativePath());
                trainings += r.stats().trainings();
            }
            assertEquals(stats.trainings(), trainings, "the fleet's trainings counted once");
        }
        assertTrue(stats.modelsAccepted() >= 1, "a shared model was trained: " + stats);
    }
}
