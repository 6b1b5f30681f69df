package dev.vigil.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vigil demo} end to end (its own embedded broker), at a higher rate so it covers the injected anomalies;
 * one run, checked for its printout and for where its log lines went.
 */
class DemoCommandIT {
    private static final Pattern EVENTS = Pattern.compile("events produced (\\d+), scored (\\d+)");
    private static final Pattern MODELS = Pattern.compile("models trained in the background (\\d+)");
    private static final Pattern CAUGHT = Pattern.compile("injected anomalies reached (\\d+): caught (\\d+), missed (\\d+)");
    private static final Pattern LOG_FILE = Pattern.compile("goes to (\\S+)");
    /** A log line of logback.xml's and logback-demo.xml's pattern: time, [thread], level, logger. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[.*] (TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - ");

    private static int code;
    private static String printed;
    private static String console;
    private static Path logFile;

    @BeforeAll
    static void runDemo() {
        try (StderrCapture stderr = new StderrCapture()) {
            CommandRun demo = CommandRun.of("demo", "--duration", "30s", "--rate", "70");
            code = demo.code();
            printed = demo.out();
            console = stderr.text();
        }
        Matcher file = LOG_FILE.matcher(printed);
        logFile = file.find() ? Path.of(file.group(1)) : null;
    }

    @AfterAll
    static void deleteLogFile() throws IOException {
        if (logFile != null) {
            Files.deleteIfExists(logFile);
        }
    }

    @Test
    void shouldPrintAlertsForInjectedAnomaliesAndASummary() {
        assertEquals(0, code, printed);
        assertTrue(printed.contains("<- injected"), printed);
        Matcher events = EVENTS.matcher(printed);
        assertTrue(events.find(), printed);
        assertEquals(events.group(1), events.group(2), "every produced event is scored");
        Matcher models = MODELS.matcher(printed);
        assertTrue(models.find(), printed);
        assertTrue(Integer.parseInt(models.group(1)) >= 5, "every sensor gets a model from the background trainer: "
                + printed);
        assertTrue(printed.contains("MODEL "), printed);
        assertTrue(printed.matches("(?s).*vigil demo: dashboard at http://127\\.0\\.0\\.1:\\d+/ .*"), printed);
        Matcher caught = CAUGHT.matcher(printed);
        assertTrue(caught.find(), printed);
        assertTrue(Integer.parseInt(caught.group(1)) >= 5, printed);
        assertTrue(Integer.parseInt(caught.group(2)) >= 3, printed);
    }

    @Test
    void shouldShowOnlyVigilsLinesOnTheConsoleWithoutWarnings() {
        List<Matcher> lines = logLines(console);
        assertTrue(lines.size() >= 5, "Vigil's own lines stay on the console: " + console);
        for (Matcher line : lines) {
            assertTrue(line.group(2).startsWith("dev.vigil."), "only Vigil's loggers on the console: " + line.group());
            assertEquals("INFO", line.group(1), "no warning or error in a normal run: " + console);
        }
    }

    @Test
    void shouldWriteKafkasLinesToTheLogFileItPrintsAndNoError() throws IOException {
        assertEquals(1, LOG_FILE.matcher(printed).results().count(), "the file is named once: " + printed);
        assertTrue(Files.isRegularFile(logFile), logFile + " exists");
        String text = Files.readString(logFile);
        List<Matcher> lines = logLines(text);
        assertTrue(lines.stream().anyMatch(l -> l.group(2).startsWith("org.apache.kafka.")),
                "the Kafka clients' and Streams' lines are in the file: " + text);
        assertTrue(lines.stream().anyMatch(l -> l.group(2).startsWith("dev.vigil.")), "and Vigil's: " + text);
        assertTrue(lines.stream().noneMatch(l -> l.group(1).equals("ERROR")), "no error in a normal run: " + text);
    }

    private static List<Matcher> logLines(String text) {
        return text.lines().map(LOG_LINE::matcher).filter(Matcher::find).toList();
    }
}
