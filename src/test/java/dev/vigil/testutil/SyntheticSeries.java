package dev.vigil.testutil;

import dev.vigil.detect.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded synthetic sensor series (seasonality plus noise) with optional injected anomalies. */
public final class SyntheticSeries {
    /** Start time of every generated series: 2026-01-01T00:00:00Z. */
    public static final long START = 1_767_225_600_000L;
    /** Spacing of generated events: 5 minutes. */
    public static final long STEP_MS = 300_000L;

    private SyntheticSeries() {
    }

    /** level + amplitude·sin(2πt/period) + N(0, noise²), seeded. */
    public static double[] seasonal(int n, double level, double amplitude, int period, double noise, long seed) {
        Random rnd = new Random(seed);
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = level + amplitude * Math.sin(2 * Math.PI * t / period) + noise * rnd.nextGaussian();
        }
        return x;
    }

    /** A copy of {@code x} with {@code size} added at index {@code at}. */
    public static double[] withSpike(double[] x, int at, double size) {
        double[] y = x.clone();
        y[at] += size;
        return y;
    }

    /** A copy of {@code x} with {@code shift} added from index {@code from} on. */
    public static double[] withLevelShift(double[] x, int from, double shift) {
        double[] y = x.clone();
        for (int t = from; t < y.length; t++) {
            y[t] += shift;
        }
        return y;
    }

    /** Single-channel events at {@link #START} + t·{@link #STEP_MS}. */
    public static List<Event> events(double[] x) {
        List<Event> out = new ArrayList<>(x.length);
        for (int t = 0; t < x.length; t++) {
            out.add(new Event(START + t * STEP_MS, new double[] {x[t]}));
        }
        return out;
    }

    /** Multichannel events from channel series of equal length. */
    public static List<Event> events(double[]... channels) {
        List<Event> out = new ArrayList<>(channels[0].length);
        for (int t = 0; t < channels[0].length; t++) {
            double[] v = new double[channels.length];
            for (int c = 0; c < channels.length; c++) {
                v[c] = channels[c][t];
            }
            out.add(new Event(START + t * STEP_MS, v));
        }
        return out;
    }
}
