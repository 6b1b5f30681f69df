package dev.vigil.app;

import dev.vigil.testutil.NabData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vigil evaluate} end to end on the two real NAB files shipped in the test resources, alone and beside a peer.
 */
class EvaluateCommandTest {
    private static final Path NAB = NabData.shipped();
    private static final List<String> FILES = List.of("realAdExchange/exchange-2_cpc_results.csv",
            "realAdExchange/exchange-3_cpc_results.csv");
    private static final Pattern LAST_LINE = Pattern.compile(
            "nab standard=(-?\\d+\\.\\d) low_fp=(-?\\d+\\.\\d) low_fn=(-?\\d+\\.\\d)");

    @TempDir
    Path tmp;

    private Path corpus() throws IOException {
        Path data = tmp.resolve("data");
        for (String f : FILES) {
            Path target = data.resolve(f);
            Files.createDirectories(target.getParent());
            Files.copy(NAB.resolve("data").resolve(f), target);
        }
        return data;
    }

    private String evaluate(Path data, Path out, String threads, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--data", data.toString(), "--out",
                out.toString(), "--threads", threads, "--labels", labels()));
        args.addAll(List.of(more));
        CommandRun run = CommandRun.of(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        return run.out();
    }

    private static String labels() {
        return NAB.resolve("labels/combined_windows.json").toString();
    }

    @Test
    void shouldWriteEveryRowInOrderAndPrintTheScoresLast() throws IOException {
        Path data = corpus();
        String printed = evaluate(data, tmp.resolve("out"), "2");
        String[] lines = printed.strip().split("\\R");
        Matcher m = LAST_LINE.matcher(lines[lines.length - 1]);
        assertTrue(m.matches(), "last line: " + lines[lines.length - 1]);
        for (String f : FILES) {
            String[] name = f.split("/");
            List<String> input = Files.readAllLines(data.resolve(f));
            List<String> result = Files.readAllLines(tmp.resolve("out/vigil").resolve(name[0]).resolve("vigil_" + name[1]));
            assertEquals("timestamp,value,anomaly_score,label", result.get(0));
            assertEquals(input.size(), result.size());
            for (int i = 1; i < input.size(); i++) {
                String[] in = input.get(i).split(",");
                String[] row = result.get(i).split(",");
                assertEquals(in[0], row[0], f + " row " + i);
                assertEquals(in[1], row[1], f + " row " + i);
                double score = Double.parseDouble(row[2]);
                assertTrue(score >= 0 && score <= 1, f + " row " + i + " score " + score);
            }
        }
    }

    @Test
    void shouldGiveTheSameResultsWhateverTheNumberOfThreads() throws IOException {
        Path data = corpus();
        evaluate(data, tmp.resolve("one"), "1");
        evaluate(data, tmp.resolve("two"), "2");
        for (String f : FILES) {
            String[] name = f.split("/");
            Path rel = Path.of("vigil", name[0], "vigil_" + name[1]);
            assertArrayEquals(Files.readAllBytes(tmp.resolve("one").resolve(rel)),
                    Files.readAllBytes(tmp.resolve("two").resolve(rel)), f);
        }
    }

    @Test
    void shouldStopWithOneLineNamingAnUnknownSetting() throws IOException {
        CommandRun run = CommandRun.of("evaluate", "--data", corpus().toString(), "--out", tmp.resolve("x").toString(),
                "--set", "lstm.hiddenSise=8");
        assertEquals(2, run.code());
        assertEquals("error: unknown setting lstm.hiddenSise", run.err().strip());
    }

    @Test
    void shouldScoreAPeerOnTheSameFilesAndSetItBesideVigilFileByFile() throws IOException {
        Path data = corpus();
        String alone = evaluate(data, tmp.resolve("own"), "2").strip();
        String ownScores = alone.substring(alone.lastIndexOf("nab ") + "nab".length());
        // a perfect peer: score 1 on the first row of each window (the label column turns to 1), 0 elsewhere
        Path perfect = tmp.resolve("peers/perfect");
        for (String f : FILES) {
            String[] name = f.split("/");
            Path own = tmp.resolve("own/vigil").resolve(name[0]).resolve("vigil_" + name[1]);
            List<String> rows = Files.readAllLines(own);
            StringBuilder b = new StringBuilder("timestamp,anomaly_score\n");
            String label = "0";
            for (String row : rows.subList(1, rows.size())) {
                String[] cells = row.split(",");
                b.append(cells[0]).append(cells[3].equals("1") && label.equals("0") ? ",1\n" : ",0\n");
                label = cells[3];
            }
            Files.createDirectories(perfect.resolve(name[0]));
            Files.writeString(perfect.resolve(name[0]).resolve("perfect_" + name[1]), b);
        }
        String printed = evaluate(data, tmp.resolve("versus"), "2", "--peer", perfect.toString());
        assertTrue(printed.contains("peer name=perfect standard=100.0 low_fp=100.0 low_fn=100.0\n"), printed);
        List<String> csv = Files.readAllLines(tmp.resolve("versus/peer-perfect.csv"));
        assertEquals("file,windows,caught,false_positives,raw,peer_caught,peer_false_positives,peer_raw,difference",
                csv.get(0));
        assertEquals(FILES.size() + 1, csv.size());
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",");
            assertEquals(cells[1], cells[5], line);
            assertEquals("0", cells[6], line);
            assertEquals(Integer.parseInt(cells[1]), Double.parseDouble(cells[7]), 1e-3, line);
        }
        // Vigil against its own results: the same scores, level on every file
        String self = evaluate(data, tmp.resolve("self"), "2", "--peer", tmp.resolve("own/vigil").toString());
        assertTrue(self.contains("peer name=vigil" + ownScores + "\n"), self);
        assertTrue(self.contains("versus vigil: ahead on 0 files, behind on 0, level on 2;"), self);
    }

    @Test
    void shouldStopBeforeTheReplayWhenThePeerLacksAFile() throws IOException {
        Path peer = tmp.resolve("peers/partial/realAdExchange");
        Files.createDirectories(peer);
        Files.writeString(peer.resolve("partial_exchange-2_cpc_results.csv"), "timestamp,anomaly_score\n");
        CommandRun run = CommandRun.of("evaluate", "--data", corpus().toString(), "--out", tmp.resolve("x").toString(),
                "--labels", labels(), "--peer", peer.getParent().toString());
        assertEquals(2, run.code());
        assertEquals("error: --peer " + peer.getParent() + " has no results for " + FILES.get(1), run.err().strip());
    }
}
