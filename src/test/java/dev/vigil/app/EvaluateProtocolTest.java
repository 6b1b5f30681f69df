package dev.vigil.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil evaluate --seeds / --fold / --anomalies} end to end on a tiny corpus written by the test. */
class EvaluateProtocolTest {
    private static final Pattern ONE_RUN = Pattern.compile(
            "nab standard=(-?\\d+\\.\\d) low_fp=(-?\\d+\\.\\d) low_fn=(-?\\d+\\.\\d)");
    private static final Pattern SEED_RUN = Pattern.compile("seed (\\d+): " + ONE_RUN.pattern());
    private static final Pattern SPREAD = Pattern.compile("nab seeds=(\\d+)"
            + " standard=(-?[\\d.]+) standard_min=(-?[\\d.]+) standard_max=(-?[\\d.]+)"
            + " low_fp=(-?[\\d.]+) low_fp_min=(-?[\\d.]+) low_fp_max=(-?[\\d.]+)"
            + " low_fn=(-?[\\d.]+) low_fn_min=(-?[\\d.]+) low_fn_max=(-?[\\d.]+)");
    private static final Pattern LEAVE_ONE_OUT = Pattern.compile("leave one file out runs=1: standard from"
            + " (-?[\\d.]+) \\(without c[12]/f[13]\\.csv\\) to (-?[\\d.]+) \\(without c[12]/f[13]\\.csv\\); each: .*");
    private static final Pattern PROFILE_COUNTS = Pattern.compile("standard +threshold=\\S+ raw=\\S+ tp=(\\d+) fn=(\\d+)");

    @TempDir
    Path tmp;

    @BeforeEach
    void corpus() throws IOException {
        TinyCorpus.write(tmp);
    }

    private CommandRun evaluate(String out, String... extra) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--data", tmp.resolve("data").toString(),
                "--labels", tmp.resolve("labels/combined_windows.json").toString(),
                "--out", tmp.resolve(out).toString(), "--threads", "2"));
        args.addAll(TinyCorpus.FAST);
        args.addAll(Arrays.asList(extra));
        return CommandRun.of(args.toArray(String[]::new));
    }

    private Path result(String out, String file) {
        String[] parts = file.split("/");
        return tmp.resolve(out).resolve("vigil").resolve(parts[0]).resolve("vigil_" + parts[1]);
    }

    @Test
    void shouldRunOncePerSeedAndEndWithTheMeanMinAndMaxOfEachProfile() throws IOException {
        CommandRun r = evaluate("out", "--seeds", "1-2");
        assertEquals(0, r.code(), r.err());
        List<double[]> perSeed = new ArrayList<>();
        for (String line : r.lines()) {
            Matcher m = SEED_RUN.matcher(line);
            if (m.matches()) {
                perSeed.add(new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4))});
            }
        }
        assertEquals(2, perSeed.size(), r.out());
        Matcher last = SPREAD.matcher(r.last());
        assertTrue(last.matches(), r.last());
        assertEquals("2", last.group(1));
        for (int p = 0; p < 3; p++) {
            double a = perSeed.get(0)[p];
            double b = perSeed.get(1)[p];
            assertEquals((a + b) / 2, Double.parseDouble(last.group(2 + 3 * p)), 0.051, "mean of profile " + p);
            assertEquals(Math.min(a, b), Double.parseDouble(last.group(3 + 3 * p)), 1e-9, "min of profile " + p);
            assertEquals(Math.max(a, b), Double.parseDouble(last.group(4 + 3 * p)), 1e-9, "max of profile " + p);
        }
        boolean differ = false;
        for (String f : TinyCorpus.FILES) {
            assertTrue(Files.isRegularFile(result("out/seed-1", f)), f);
            differ |= !Arrays.equals(Files.readAllBytes(result("out/seed-1", f)),
                    Files.readAllBytes(result("out/seed-2", f)));
        }
        assertTrue(differ, "the seed must reach the trainer: two seeds gave identical results");
        assertFalse(Files.exists(tmp.resolve("out/vigil")));
        assertTrue(r.out().contains("\ndetection anomalies=6 caught="), "3 spikes pooled over 2 seeds:\n" + r.out());
    }

    @Test
    void shouldPrintTodaysOutputForOneSeed() throws IOException {
        CommandRun seeds = evaluate("one", "--seeds", "7");
        CommandRun set = evaluate("set", "--set", "retrain.seed=7");
        assertEquals(0, seeds.code(), seeds.err());
        assertTrue(ONE_RUN.matcher(seeds.last()).matches(), seeds.last());
        assertEquals(set.last(), seeds.last());
        for (String f : TinyCorpus.FILES) {
            assertArrayEquals(Files.readAllBytes(result("set", f)), Files.readAllBytes(result("one", f)), f);
        }
    }

    @Test
    void shouldReplayAndScoreOnlyTheFoldsFiles() throws IOException {
        CommandRun a = evaluate("a", "--fold", "a");
        assertEquals(0, a.code(), a.err());
        assertTrue(Files.isRegularFile(result("a", "c1/f1.csv")));
        assertTrue(Files.isRegularFile(result("a", "c2/f3.csv")));
        assertFalse(Files.exists(result("a", "c1/f2.csv")));
        assertFalse(Files.exists(result("a", "c2/f4.csv")));
        assertEquals(2, windowsScored(a), "fold a holds two windows");
        assertTrue(a.out().contains("replayed 2 files, 800 rows"), a.out());

        Path folds = tmp.resolve("elsewhere.json");
        Files.writeString(folds, "{\"x\": [\"c2/f4.csv\", \"c1/f2.csv\"]}");
        CommandRun x = evaluate("x", "--fold", "x", "--folds", folds.toString());
        assertEquals(0, x.code(), x.err());
        assertEquals(1, windowsScored(x), "fold x holds one window");
        assertTrue(ONE_RUN.matcher(x.last()).matches(), x.last());
    }

    @Test
    void shouldScoreTheFoldWithEachFileLeftOutAsIfThatFileHadNotBeenReplayed() throws IOException {
        Path folds = tmp.resolve("folds.json");
        Files.writeString(folds, "{\"pair\": [\"c1/f1.csv\", \"c2/f3.csv\"], \"f3\": [\"c2/f3.csv\"]}");
        CommandRun pair = evaluate("pair", "--fold", "pair", "--folds", folds.toString(), "--seeds", "3");
        CommandRun alone = evaluate("alone", "--fold", "f3", "--folds", folds.toString(), "--seeds", "3");
        assertEquals(0, pair.code(), pair.err());
        assertEquals(0, alone.code(), alone.err());
        List<String> rows = Files.readAllLines(tmp.resolve("pair/leave-one-out.csv"));
        assertEquals(List.of("file", "runs", "standard", "standard_min", "standard_max", "low_fp", "low_fn"),
                List.of(rows.get(0).split(",")));
        assertEquals(3, rows.size(), "one row a file left out: " + rows);
        String[] withoutF1 = rows.get(1).split(",");
        assertEquals("c1/f1.csv", withoutF1[0]);
        assertEquals("1", withoutF1[1]);
        Matcher m = ONE_RUN.matcher(alone.last());
        assertTrue(m.matches(), alone.last());
        // the fold without f1 is f3 alone, each file being replayed on its own
        assertEquals(Double.parseDouble(m.group(1)), Double.parseDouble(withoutF1[2]), 0.051);
        assertEquals(Double.parseDouble(m.group(2)), Double.parseDouble(withoutF1[5]), 0.051);
        assertEquals(Double.parseDouble(m.group(3)), Double.parseDouble(withoutF1[6]), 0.051);
        Matcher line = Arrays.stream(pair.lines()).map(LEAVE_ONE_OUT::matcher).filter(Matcher::matches)
                .findFirst().orElseThrow(() -> new AssertionError("no leave-one-out line:\n" + pair.out()));
        double low = Math.min(Double.parseDouble(withoutF1[2]), Double.parseDouble(rows.get(2).split(",")[2]));
        assertEquals(low, Double.parseDouble(line.group(1)), 0.051);
        assertTrue(ONE_RUN.matcher(pair.last()).matches(), "the NAB line stays last: " + pair.last());
    }

    private static int windowsScored(CommandRun r) {
        Matcher m = PROFILE_COUNTS.matcher(r.out());
        assertTrue(m.find(), r.out());
        return Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2));
    }

    @Test
    void shouldPrintThePerKindTableBeforeTheNabLineWhenAnomaliesAreKnown() throws IOException {
        CommandRun r = evaluate("k");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.lines();
        assertTrue(ONE_RUN.matcher(lines[lines.length - 1]).matches());
        assertTrue(lines[lines.length - 2].matches("detection anomalies=3 caught=\\d share=\\S+ median_delay=\\S+"
                + " false_alarms_per_10k=\\S+"), lines[lines.length - 2]);
        assertTrue(Arrays.stream(lines).anyMatch(l -> l.matches("spike +3 +\\d .*")), r.out());

        Files.move(tmp.resolve("labels/anomalies.json"), tmp.resolve("kinds.json"));
        CommandRun none = evaluate("n");
        assertFalse(none.out().contains("detection anomalies="), none.out());
        assertFalse(none.out().contains("caught_by"), none.out());
        // without the catalog, the false alarms alone (SyntheticEvaluationTest checks their counts)
        assertTrue(none.out().contains("\nfalse alarms at scoring.alertThreshold=0.5 "), none.out());
        CommandRun named = evaluate("m", "--anomalies", tmp.resolve("kinds.json").toString());
        assertEquals(r.lines()[r.lines().length - 2], named.lines()[named.lines().length - 2]);
    }

    @Test
    void shouldStopWithOneLineForBadFoldsSeedsAndAnomalies() {
        Path folds = tmp.resolve("folds.json");
        assertError("error: unknown fold 'c' in " + folds.toAbsolutePath() + " (folds: a, b)", "--fold", "c");
        Path missing = tmp.resolve("missing.json");
        assertError("error: folds file " + missing + " does not exist (name one with --folds)", "--fold", "a",
                "--folds", missing.toString());
        assertError("error: --folds names the folds file of --fold: give --fold too", "--folds", folds.toString());
        assertError("error: --seeds lists seed 1 twice", "--seeds", "1,1");
        assertError("error: --seeds and --set retrain.seed both set the seed: give one of them", "--seeds", "1-2",
                "--set", "retrain.seed=3");
        assertError("error: anomalies file " + missing + " does not exist", "--anomalies", missing.toString());
    }

    private void assertError(String expected, String... args) {
        CommandRun r = evaluate("err", args);
        assertEquals(2, r.code(), r.out());
        assertEquals(expected, r.err().strip());
    }
}
