package dev.vigil.app.demo;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded synthetic sensor: per channel, level + amplitude·sin(2πt/period + phase) + Gaussian noise, with
 * injected anomalies applied on top. Deterministic for a seed; {@link #reading(int)} is a pure function of the
 * event index (the noise sequence is drawn in order, so call it with increasing indices).
 */
public final class SyntheticSensor {
    private final String key;
    private final List<String> channels;
    private final double[] level;
    private final double[] amplitude;
    private final double noise;
    private final int period;
    private final List<InjectedAnomaly> anomalies;
    private final SplittableRandom random;
    private double[] frozen;

    /**
     * @param channels  channel names (empty: a single-value sensor)
     * @param level     per-channel level
     * @param amplitude per-channel seasonal amplitude
     * @param noise     noise standard deviation as a fraction of the amplitude
     * @param period    seasonal period in events
     */
    public SyntheticSensor(String key, List<String> channels, double[] level, double[] amplitude, double noise, int period,
                           List<InjectedAnomaly> anomalies, long seed) {
        this.key = key;
        this.channels = List.copyOf(channels);
        this.level = level.clone();
        this.amplitude = amplitude.clone();
        this.noise = noise;
        this.period = period;
        this.anomalies = List.copyOf(anomalies);
        this.random = new SplittableRandom(seed);
    }

    public String key() {
        return key;
    }

    public List<String> channels() {
        return channels;
    }

    public List<InjectedAnomaly> anomalies() {
        return anomalies;
    }

    /** The reading at event index t (one value per channel; one value for a single-value sensor). */
    public double[] reading(int t) {
        double[] x = new double[level.length];
        for (int c = 0; c < x.length; c++) {
            x[c] = level[c] + amplitude[c] * Math.sin(2 * Math.PI * t / period + c)
                    + noise * amplitude[c] * gaussian();
        }
        for (InjectedAnomaly a : anomalies) {
            if (t < a.start() || t > a.end()) {
                continue;
            }
            for (int c = 0; c < x.length; c++) {
                switch (a.kind()) {
                    case SPIKE -> x[c] += 8 * amplitude[c];
                    case LEVEL_SHIFT -> x[c] += 4 * amplitude[c];
                    case DRIFT -> x[c] += 5.0 * amplitude[c] * (t - a.start()) / Math.max(1, a.end() - a.start());
                    case FROZEN -> {
                        if (frozen == null) {
                            frozen = x.clone();
                        }
                        x[c] = frozen[c];
                    }
                }
            }
        }
        if (frozen != null && anomalies.stream().noneMatch(a -> a.kind() == InjectedAnomaly.Kind.FROZEN && a.covers(t, 0))) {
            frozen = null;
        }
        return x;
    }

    /** The JSON event for a reading: {"ts": millis, "value": v} or {"ts": millis, "values": {name: v, ...}}. */
    public String json(long timestamp, double[] x) {
        StringBuilder sb = new StringBuilder("{\"ts\":").append(timestamp);
        if (channels.isEmpty()) {
            sb.append(",\"value\":").append(x[0]);
        } else {
            sb.append(",\"values\":{");
            for (int c = 0; c < channels.size(); c++) {
                sb.append(c == 0 ? "" : ",").append('"').append(channels.get(c)).append("\":").append(x[c]);
            }
            sb.append('}');
        }
        return sb.append('}').toString();
    }

    private double gaussian() {
        // Box-Muller from the sensor's own seeded generator (no hidden global RNG)
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
