package dev.vigil.app.bench;

import dev.vigil.testutil.KafkaTestBroker;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny run of {@code vigil bench stream} against the shared test broker: it completes and reports sane numbers. */
class StreamBenchmarkIT {
    @Test
    void shouldCompleteATinyRunAndReportPositiveFigures() throws Exception {
        StringWriter text = new StringWriter();
        StreamBenchmark.Settings settings = new StreamBenchmark.Settings(2_000, 20, 1, 1, 200, 2,
                KafkaTestBroker.shared().bootstrapServers(), "per-key", 500, 50, 2);
        StreamBenchmarkResult result = new StreamBenchmark(settings, new PrintWriter(text)).run();

        assertTrue(result.detectorRate() > 0, "detector rate " + result.detectorRate());
        assertTrue(result.countingRate() > 0, "counting rate " + result.countingRate());
        assertEquals(2, result.detectorRounds().size());
        assertEquals(2, result.countingRounds().size());
        assertTrue(text.toString().contains("detector, round 1: processing 2000 events")
                && text.toString().contains("counting, round 2: processing 2000 events"), text.toString());
        List<StreamBenchmark.Timing> timings = new ArrayList<>(result.detectorRounds());
        timings.addAll(result.countingRounds());
        for (StreamBenchmark.Timing t : timings) {
            assertEquals(2_000, t.outputs());
            assertTrue(t.startupSeconds() > 0 && t.startupSeconds() <= t.totalSeconds(), t.toString());
            assertTrue(t.steadyOutputs() < t.outputs() && t.steadySeconds() <= t.totalSeconds() - t.startupSeconds() + 1e-9,
                    t.toString());
            CpuMeter.Use cpu = t.cpu();
            if (cpu.measured()) {
                // the stream threads did the processing: they used CPU, within what the JVM used and its cores
                assertTrue(cpu.streamThreadCores() > 0 && cpu.streamThreadCores() <= cpu.processCores() + 1e-9
                        && cpu.processCores() <= CpuMeter.cores() + 0.5 && cpu.streamThreadMicrosPerEvent() > 0, t.toString());
            }
        }
        assertTrue(text.toString().contains("stream thread(s)"), text.toString());
        assertTrue(text.toString().contains("commit interval 50 ms"), text.toString());
        assertTrue(text.toString().contains("detector warm-up: processing 500 events"), text.toString());
        assertTrue(result.ratio() > 0 && Double.isFinite(result.ratio()), "ratio " + result.ratio());
        // the ratio is the median of the rounds whose CPU was measured: of two, their mean
        List<Double> measured = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            CpuMeter.Use detector = result.detectorRounds().get(r).cpu();
            CpuMeter.Use counting = result.countingRounds().get(r).cpu();
            if (detector.measured() && counting.measured()) {
                measured.add(detector.streamThreadMicrosPerEvent() / counting.streamThreadMicrosPerEvent());
            }
        }
        if (measured.isEmpty()) {
            assertTrue(Double.isNaN(result.microsRatio()), "ratio of unmeasured CPU " + result.microsRatio());
        } else {
            double expected = measured.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertEquals(expected, result.microsRatio(), 1e-12);
            assertTrue(text.toString().contains(String.format(java.util.Locale.ROOT,
                    "detector / counting stream thread per event %.1f×, the median of 2 rounds", expected)), text.toString());
        }
        assertEquals(400, result.latencies().sortedNanos().length, "every latency event matched its score");
        assertTrue(result.p50Ms() > 0 && result.p50Ms() <= result.p99Ms() && result.p99Ms() <= result.maxMs(),
                "latencies " + result.p50Ms() + " / " + result.p99Ms() + " / " + result.maxMs());
        assertTrue(result.stateBytes() > 0, "state bytes " + result.stateBytes());
        // the models live in the detector's task stores now: no global store
        assertTrue(result.taskStoreBytes() > 0 && result.globalStoreBytes() == 0,
                "store bytes " + result.taskStoreBytes() + ", " + result.globalStoreBytes());
        assertTrue(text.toString().contains("ratio"), text.toString());
    }
}
