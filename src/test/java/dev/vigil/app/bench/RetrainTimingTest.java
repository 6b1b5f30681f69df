package dev.vigil.app.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetrainTimingTest {

    @Test
    void shouldSplitEachRetrainingsWallTimeIntoCpuAndWaiting() {
        RetrainTiming.Sample[] samples = RetrainTiming.run(0, 2, 2, false);
        assertEquals(2, samples.length);
        for (RetrainTiming.Sample s : samples) {
            assertTrue(s.cpu() > 0 && s.wall() > 0, s.toString());
            // CPU time is counted in ticks of the scheduler, so allow it a little above the wall time
            assertTrue(s.cpu() <= s.wall() * 1.05 + 5, s.toString());
            assertTrue(Double.isNaN(s.runQueueWait()) || s.runQueueWait() >= 0, s.toString());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RetrainTiming.print("retrain", samples, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("retrain, 2 timed: wall median") && text.contains("waiting for a core")
                && text.contains("each, wall/CPU ms:"), text);
    }
}
