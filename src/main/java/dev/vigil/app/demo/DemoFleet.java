package dev.vigil.app.demo;

import dev.vigil.app.demo.InjectedAnomaly.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo's sensors: single-value sensors with different units and seasonality, and one multichannel
 * machine, each with injected anomalies of the four kinds placed after the detector's warm-up. Seasonal
 * periods are shorter than the warm-up, so a key has seen its whole cycle before it is scored.
 */
public final class DemoFleet {
    /** Channels of the multichannel machine. */
    public static final List<String> MACHINE_CHANNELS = List.of("temp", "vibration");

    private DemoFleet() {
    }

    /** Single-value sensors (topology "sensors"). */
    public static List<SyntheticSensor> sensors(long seed) {
        List<SyntheticSensor> out = new ArrayList<>();
        out.add(new SyntheticSensor("pump-1", List.of(), new double[] {50}, new double[] {10}, 0.08, 100,
                List.of(new InjectedAnomaly("pump-1", Kind.LEVEL_SHIFT, 700, 900),
                        new InjectedAnomaly("pump-1", Kind.SPIKE, 1500, 1500)), seed));
        out.add(new SyntheticSensor("pump-2", List.of(), new double[] {0.3}, new double[] {0.05}, 0.1, 90,
                List.of(new InjectedAnomaly("pump-2", Kind.DRIFT, 900, 1300)), seed + 1));
        out.add(new SyntheticSensor("flow-1", List.of(), new double[] {12_000}, new double[] {3_000}, 0.05, 100,
                List.of(new InjectedAnomaly("flow-1", Kind.FROZEN, 1100, 1400),
                        new InjectedAnomaly("flow-1", Kind.SPIKE, 1800, 1800)), seed + 2));
        out.add(new SyntheticSensor("flow-2", List.of(), new double[] {200}, new double[] {20}, 0.08, 80, List.of(),
                seed + 3));
        return out;
    }

    /** The multichannel machine (topology "machines"). */
    public static List<SyntheticSensor> machines(long seed) {
        return List.of(new SyntheticSensor("turbine-1", MACHINE_CHANNELS, new double[] {70, 0.02},
                new double[] {5, 0.005}, 0.08, 100,
                List.of(new InjectedAnomaly("turbine-1", Kind.LEVEL_SHIFT, 1200, 1400)), seed + 10));
    }
}
