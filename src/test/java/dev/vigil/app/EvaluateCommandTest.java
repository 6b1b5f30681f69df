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

/** {@code vigil evaluate} end to end on the two real NAB files shipped in the test resources. */
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

    private String evaluate(Path data, Path out, String threads) {
        CommandRun run = CommandRun.of("evaluate", "--data", data.toString(), "--out", out.toString(),
                "--threads", threads, "--labels", NAB.resolve("labels/combined_windows.json").toString());
        assertEquals(0, run.code(), run.err());
        return run.out();
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
}
