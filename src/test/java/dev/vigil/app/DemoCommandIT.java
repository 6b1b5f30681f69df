package dev.vigil.app;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vigil demo} end to end (its own embedded broker), at a higher rate so it covers the injected anomalies. */
class DemoCommandIT {
    private static final Pattern EVENTS = Pattern.compile("events produced (\\d+), scored (\\d+)");
    private static final Pattern MODELS = Pattern.compile("models trained in the background (\\d+)");
    private static final Pattern CAUGHT = Pattern.compile("injected anomalies reached (\\d+): caught (\\d+), missed (\\d+)");

    @Test
    void shouldPrintAlertsForInjectedAnomaliesAndASummary() {
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "demo", "--duration", "30s",
                "--rate", "70");
        String printed = out.toString();
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
        assertTrue(printed.matches("(?s).*vigil demo: HTTP on http://127\\.0\\.0\\.1:\\d+ .*"), printed);
        Matcher caught = CAUGHT.matcher(printed);
        assertTrue(caught.find(), printed);
        assertTrue(Integer.parseInt(caught.group(1)) >= 5, printed);
        assertTrue(Integer.parseInt(caught.group(2)) >= 3, printed);
    }
}
