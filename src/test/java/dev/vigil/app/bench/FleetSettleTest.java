package dev.vigil.app.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When {@code bench fleet} times a fleet again as settled, and the ratio it makes of two such timings. */
class FleetSettleTest {
    @Test
    void shouldSettleAfterTwoPassesWhenTheyLeaveHalfTheRun() {
        assertEquals(200_000, FleetBenchmark.settleAfter(100_000, 2_000_000));
        assertEquals(2_000, FleetBenchmark.settleAfter(1_000, 2_000_000));
        assertEquals(1_000, FleetBenchmark.settleAfter(500, 2_000), "two passes of four: exactly half");
        assertEquals(0, FleetBenchmark.settleAfter(600, 2_000), "two passes would leave under half the run");
    }

    @Test
    void shouldRatioTheSettledRatesAndBeNaNWithoutThem() {
        StreamBenchmark.Timing small = timing(new StreamBenchmark.Timing.Settled(1_800, 1.0, CpuMeter.Use.NONE));
        StreamBenchmark.Timing large = timing(new StreamBenchmark.Timing.Settled(1_200, 2.0, CpuMeter.Use.NONE));
        FleetBenchmark.Round round = new FleetBenchmark.Round(small, large, small, large);
        assertEquals(600.0 / 1_800.0, round.settledRatio(), 1e-12);
        assertTrue(Double.isNaN(new FleetBenchmark.Round(small, timing(null), small, large).settledRatio()));
    }

    private static StreamBenchmark.Timing timing(StreamBenchmark.Timing.Settled settled) {
        return new StreamBenchmark.Timing(2_000, 0.5, 3.0, 1_900, 2.5, CpuMeter.Use.NONE, settled);
    }
}
