package dev.vigil.app.demo;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoSummaryTest {
    private static final InjectedAnomaly SHIFT =
            new InjectedAnomaly("pump-1", InjectedAnomaly.Kind.LEVEL_SHIFT, 700, 900);
    private static final InjectedAnomaly FROZEN =
            new InjectedAnomaly("flow-1", InjectedAnomaly.Kind.FROZEN, 1100, 1400);
    private static final InjectedAnomaly LATE =
            new InjectedAnomaly("flow-2", InjectedAnomaly.Kind.DRIFT, 2000, 2300);

    @Test
    void shouldCountAnAnomalyTheRunStoppedInAsCutShortNotMissed() {
        DemoSummary summary = new DemoSummary(List.of(SHIFT, FROZEN, LATE), 3, 30);
        summary.produced(3 * 1126);
        assertTrue(summary.alert("pump-1", "opened", 705, 1.0, "range", "[\"value\"]").contains("<- injected"));
        String printed = print(summary);
        assertTrue(printed.contains(
                "injected anomalies reached 2: caught 1, missed 0, cut short by the end of the run 1"), printed);
        assertTrue(printed.contains(
                "cut     flow-1     frozen       events 1100-1400 (the run stopped 26 events into it"), printed);
        assertTrue(!printed.contains("flow-2"), "an anomaly the run never reached is not listed: " + printed);
    }

    @Test
    void shouldCountAnAnomalyTheRunWentPastAsMissed() {
        DemoSummary summary = new DemoSummary(List.of(SHIFT, FROZEN), 2, 30);
        summary.produced(2 * 1431);
        String printed = print(summary);
        assertTrue(printed.contains("injected anomalies reached 2: caught 0, missed 2\n"), printed);
        assertTrue(printed.contains("MISSED  flow-1     frozen       events 1100-1400\n"), printed);
        // one event less and the frozen sensor's grace is not over
        DemoSummary shorter = new DemoSummary(List.of(SHIFT, FROZEN), 2, 30);
        shorter.produced(2 * 1430);
        assertTrue(print(shorter).contains("caught 0, missed 1, cut short by the end of the run 1"), print(shorter));
        assertEquals(1, shorter.reached(1430).stream().filter(a -> a.kind() == InjectedAnomaly.Kind.FROZEN).count());
    }

    private static String print(DemoSummary summary) {
        StringWriter out = new StringWriter();
        summary.print(new PrintWriter(out));
        return out.toString().replace(System.lineSeparator(), "\n");
    }
}
