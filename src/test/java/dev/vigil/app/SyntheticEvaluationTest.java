package dev.vigil.app;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vigil evaluate} end to end on a synthetic corpus ({@code vigil synth --series 60 --seed 1}), whose count
 * series burst as a matter of course (heavy-tailed, up to eight times their rate): what {@code scoring.countBurstCap}
 * does, and the false alarms told by what opened them.
 */
class SyntheticEvaluationTest {
    /** A row of the category table: name, anomalies, caught, share, median delay, false alarms per 10k. */
    private static final Pattern COUNTS_ROW = Pattern.compile(
            "(?m)^counts\\s+(\\d+)\\s+(\\d+)\\s+\\S+\\s+\\S+\\s+([0-9.]+)\\s*$");
    private static final Pattern ALL = Pattern.compile("(?m)^detection anomalies=(\\d+) caught=(\\d+) .*"
            + "false_alarms_per_10k=([0-9.]+)$");
    /** A row of the openers' table: what opened the alert, false alarms, per 10k. */
    private static final Pattern OPENER_ROW = Pattern.compile(
            "(?m)^(range|stuck-sensor|prediction-error|pattern|drift|spike|not known)\\s+(\\d+)\\s+([0-9.]+)\\s*$");

    @TempDir
    static Path tmp;
    /** What {@code evaluate} printed with the defaults. */
    private static String defaults;

    private static String run(String... args) {
        CommandRun run = CommandRun.of(args);
        assertEquals(0, run.code(), run.err());
        return run.out();
    }

    private static String evaluate(String out, String... extra) {
        Path corpus = tmp.resolve("corpus");
        String[] base = {"evaluate", "--data", corpus.resolve("data").toString(), "--labels",
            corpus.resolve("labels").resolve("combined_windows.json").toString(), "--out", tmp.resolve(out).toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return run(all);
    }

    @BeforeAll
    static void evaluateTheCorpus() {
        run("synth", "--out", tmp.resolve("corpus").toString(), "--series", "60", "--seed", "1");
        defaults = evaluate("defaults");
    }

    private static Matcher found(Pattern p, String printed) {
        Matcher m = p.matcher(printed);
        assertTrue(m.find(), printed);
        return m;
    }

    @Test
    void shouldRaiseFewerFalseAlarmsOnBurstyCountsWithTheBurstCapAndCatchAsMany() {
        String uncapped = evaluate("uncapped", "--set", "scoring.countBurstCap=0");
        Matcher c = found(COUNTS_ROW, defaults);
        Matcher u = found(COUNTS_ROW, uncapped);
        assertTrue(Integer.parseInt(c.group(1)) >= 10, "the corpus holds anomalies on counts: " + c.group());
        assertTrue(Double.parseDouble(c.group(3)) < Double.parseDouble(u.group(3)),
                "false alarms per 10k on counts, capped " + c.group(3) + " against uncapped " + u.group(3));
        assertEquals(u.group(2), c.group(2), "as many caught on counts");
        Matcher ca = found(ALL, defaults);
        Matcher ua = found(ALL, uncapped);
        assertEquals(ua.group(2), ca.group(2), "as many caught in all");
        assertTrue(Double.parseDouble(ca.group(3)) < Double.parseDouble(ua.group(3)), "fewer false alarms in all");
    }

    @Test
    void shouldTellEveryCatchByWhatOpenedIt() {
        // the per-kind table, then one caught_by row per kind in the same order
        String[] lines = defaults.split("\n");
        int header = java.util.Arrays.asList(lines).indexOf(
                java.util.Arrays.stream(lines).filter(l -> l.startsWith("caught_by ")).findFirst().orElse(""));
        assertTrue(header > 0, defaults);
        Matcher kinds = Pattern.compile("(?m)^([a-z-]+)\\s+\\d+\\s+(\\d+)\\s+\\S+\\s+\\S+\\s+\\S+\\s*$")
                .matcher(defaults.substring(0, defaults.indexOf("\ncaught_by ")));
        int checked = 0;
        while (kinds.find()) {
            if (kinds.group(1).equals("all") || kinds.group(1).equals("kind")) {
                continue;
            }
            String row = lines[header + 1 + checked];
            String[] cells = row.trim().split("\\s+");
            assertEquals(kinds.group(1), cells[0], row);
            int sum = 0;
            for (int c = 1; c < cells.length - 1; c++) {
                sum += Integer.parseInt(cells[c]);
            }
            assertEquals(Integer.parseInt(kinds.group(2)), sum, "each catch told by its opener: " + row);
            assertEquals("0", cells[cells.length - 1], "a replay knows every opener: " + row);
            checked++;
        }
        assertTrue(checked >= 8, "the corpus holds most kinds:\n" + defaults);
    }

    @Test
    void shouldTellTheSameFalseAlarmsWithoutTheAnomalyCatalog() throws java.io.IOException {
        // the windows alone, as for NAB itself: no per-kind table, the same false alarms, by the same openers
        Path labels = tmp.resolve("windows-only").resolve("combined_windows.json");
        java.nio.file.Files.createDirectories(labels.getParent());
        java.nio.file.Files.copy(tmp.resolve("corpus").resolve("labels").resolve("combined_windows.json"), labels);
        String windowsOnly = run("evaluate", "--data", tmp.resolve("corpus").resolve("data").toString(), "--labels",
                labels.toString(), "--out", tmp.resolve("windows-only-out").toString());
        assertFalse(windowsOnly.contains("detection anomalies=") || windowsOnly.contains("caught_by"), windowsOnly);
        Matcher all = found(Pattern.compile("(?m)^all\\s+(\\d+)\\s+([0-9.]+)\\s*$"), windowsOnly);
        assertEquals(found(ALL, defaults).group(3), all.group(2), "the same rate as with the catalog");
        assertTrue(Integer.parseInt(all.group(1)) > 0, windowsOnly);
        String openers = defaults.substring(defaults.indexOf("\nfalse_alarm_opened_by "),
                defaults.indexOf("\ndetection anomalies="));
        assertEquals(openers, windowsOnly.substring(windowsOnly.indexOf("\nfalse_alarm_opened_by "),
                windowsOnly.indexOf("\nnab ")), "the same openers, and the same settling alarms after them");
        assertTrue(openers.contains("\nsettling false_alarms="), openers);
        // every settling alarm listed in settling-alarms.csv, and counted by its opener
        Matcher settling = found(Pattern.compile("(?m)^settling false_alarms=(\\d+) "), defaults);
        List<String> listed = java.nio.file.Files.readAllLines(tmp.resolve("defaults").resolve("settling-alarms.csv"));
        assertEquals("file,row,timestamp,score,opened_by", listed.get(0));
        assertEquals(Integer.parseInt(settling.group(1)), listed.size() - 1, "one line a settling alarm");
        assertTrue(listed.size() > 1, "corpus 1's keys alert while they settle");
        Matcher byOpener = found(Pattern.compile("(?m)^settling_opened_by(.*)$"), defaults);
        long told = Pattern.compile("=(\\d+)").matcher(byOpener.group(1)).results()
                .mapToLong(m -> Long.parseLong(m.group(1))).sum();
        assertEquals(listed.size() - 1, told, "each told by its opener: " + byOpener.group());
    }

    @Test
    void shouldWriteEachAnomalysOutcomeBesideTheResults() throws java.io.IOException {
        Path file = tmp.resolve("defaults").resolve("anomaly-outcomes.csv");
        assertTrue(defaults.contains("each anomaly's outcome: " + file), defaults);
        List<String> lines = java.nio.file.Files.readAllLines(file);
        assertEquals("file,kind,start,end,window_end,caught,delay,opened_by,peak_score,detail", lines.get(0));
        Matcher all = found(ALL, defaults);
        assertEquals(Integer.parseInt(all.group(1)), lines.size() - 1, "one line an anomaly");
        int caught = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", 10);
            double peak = Double.parseDouble(cells[8]);
            if (cells[5].equals("true")) {
                caught++;
                assertTrue(Integer.parseInt(cells[6]) >= 0 && !cells[7].isEmpty(), "a delay and an opener: " + line);
                assertTrue(peak >= 0.5, "a catch peaks at the threshold or above: " + line);
            } else {
                assertEquals("false", cells[5], line);
                assertTrue(cells[6].isEmpty() && cells[7].isEmpty() && peak < 0.5, line);
            }
            assertTrue(cells[9].startsWith("\"") && cells[9].endsWith("\""), "the detail quoted: " + line);
        }
        assertEquals(Integer.parseInt(all.group(2)), caught, "as many caught as the detection line says");
    }

    @Test
    void shouldTellEveryFalseAlarmByWhatOpenedIt() {
        assertTrue(defaults.contains("\nfalse_alarm_opened_by "), defaults);
        Matcher rows = OPENER_ROW.matcher(defaults.substring(defaults.indexOf("\nfalse_alarm_opened_by ")));
        double perTenK = 0;
        int openers = 0;
        while (rows.find()) {
            assertNotEquals("not known", rows.group(1), "a replay knows every opener: " + rows.group());
            assertTrue(Integer.parseInt(rows.group(2)) > 0, rows.group());
            perTenK += Double.parseDouble(rows.group(3));
            openers++;
        }
        assertTrue(openers >= 2, "several rules and signals raise false alarms on 60 series:\n" + defaults);
        double total = Double.parseDouble(found(ALL, defaults).group(3));
        assertEquals(total, perTenK, 0.005 * openers + 1e-9, "the openers' rates add up to the total's");
    }

    @Test
    void shouldWriteEachWindowsOutcomeAtNabsThresholdAndEachFalseAlarm() throws java.io.IOException {
        Path dir = tmp.resolve("defaults");
        Matcher standard = found(Pattern.compile("(?m)^standard\\s+threshold=([0-9.]+) \\S+ tp=(\\d+) fn=(\\d+)"),
                defaults);
        Matcher line = found(Pattern.compile("(?m)^windows threshold=([0-9.]+) scored=(\\d+) reached=(\\d+) "
                + "first_half=(\\d+) at_one=(\\d+) reward=\\S+$"), defaults);
        assertEquals(standard.group(1), line.group(1), "NAB's own threshold");
        assertEquals(standard.group(2), line.group(3), "as many reached as NAB's true positives");
        int scored = Integer.parseInt(standard.group(2)) + Integer.parseInt(standard.group(3));
        assertEquals(scored, Integer.parseInt(line.group(2)));
        List<String> windows = java.nio.file.Files.readAllLines(dir.resolve("window-outcomes.csv"));
        assertEquals(scored + 1, windows.size(), "a header, then one line a scored window");
        assertEquals(Integer.parseInt(line.group(3)), windows.stream().filter(l -> l.contains(",true,")).count());

        // every false alarm on a line of its own, by the openers the table counts
        List<String> falseAlarms = java.nio.file.Files.readAllLines(dir.resolve("false-alarms.csv"));
        assertEquals("file,row,timestamp,score,opened_by", falseAlarms.get(0));
        Matcher rows = OPENER_ROW.matcher(defaults.substring(defaults.indexOf("\nfalse_alarm_opened_by ")));
        int total = 0;
        while (rows.find()) {
            String opener = "," + rows.group(1);
            assertEquals(Long.parseLong(rows.group(2)), falseAlarms.stream().filter(l -> l.endsWith(opener)).count(),
                    rows.group());
            total += Integer.parseInt(rows.group(2));
        }
        assertEquals(total, falseAlarms.size() - 1);
    }
}
