package dev.vigil.lstm;

import dev.vigil.BadConfigException;
import dev.vigil.ShapeMismatchException;
import dev.vigil.VigilException;
import java.util.Arrays;

/**
 * Per-channel affine normalisation {@code x' = (x - center) / scale}, applied to raw readings
 * before they reach the LSTM. Immutable: the arrays are copied in and the accessors return copies;
 * {@link #normalise(double[], double[])} and the scalar methods allocate nothing. Thread-safe.
 *
 * @param center per-channel offset, finite, length {@code d >= 1}
 * @param scale  per-channel divisor, finite and {@code > 0}, length {@code d}
 */
public record Normalisation(double[] center, double[] scale) {

    /** IQR of a normal distribution in standard deviations: {@code sigma ≈ IQR / 1.349}. */
    public static final double IQR_PER_SIGMA = 1.349;
    /**
     * A spread at or below {@code RELATIVE_SCALE_FLOOR * |median|} is treated as rounding noise of a
     * constant channel, so the next estimate (standard deviation, then 1.0) is used instead.
     */
    public static final double RELATIVE_SCALE_FLOOR = 1e-9;

    public Normalisation {
        if (center == null || scale == null) {
            throw new BadConfigException("center and scale must not be null");
        }
        if (center.length == 0 || center.length != scale.length) {
            throw new ShapeMismatchException("center and scale must have the same length >= 1, got "
                    + center.length + " and " + scale.length);
        }
        center = center.clone();
        scale = scale.clone();
        for (int k = 0; k < center.length; k++) {
            if (!Double.isFinite(center[k])) {
                throw new BadConfigException("center[" + k + "] must be finite, got " + center[k]);
            }
            if (!(scale[k] > 0) || !Double.isFinite(scale[k])) {
                throw new BadConfigException("scale[" + k + "] must be finite and > 0, got " + scale[k]);
            }
        }
    }

    /** The identity for {@code d} channels: center 0, scale 1. */
    public static Normalisation identity(int d) {
        if (d <= 0) {
            throw new BadConfigException("d must be > 0, got " + d);
        }
        double[] ones = new double[d];
        Arrays.fill(ones, 1.0);
        return new Normalisation(new double[d], ones);
    }

    /**
     * Robust fit per channel: center = median; scale = IQR / {@value #IQR_PER_SIGMA}, else the
     * standard deviation, else 1.0, taking the first that is above
     * {@code RELATIVE_SCALE_FLOOR * |median|} (so a constant channel gets scale 1.0, never 0).
     *
     * @param series {@code [t][channel]} raw readings, at least one row, all rows of equal length,
     *               all finite; not modified
     * @throws VigilException on an empty series or a non-finite reading
     * @throws ShapeMismatchException on rows of different lengths
     */
    public static Normalisation fit(double[][] series) {
        if (series == null || series.length == 0 || series[0] == null || series[0].length == 0) {
            throw new VigilException("series must have at least one row with at least one channel");
        }
        return fit(series, series[0].length);
    }

    /**
     * {@link #fit(double[][])} of the first {@code d} columns of every row (the readings; columns after them are a
     * model's context inputs, which are not normalised).
     */
    public static Normalisation fit(double[][] series, int d) {
        if (series == null || series.length == 0 || series[0] == null || d < 1 || series[0].length < d) {
            throw new VigilException("series must have at least one row with at least " + Math.max(1, d)
                    + " channel(s)");
        }
        double[] center = new double[d];
        double[] scale = new double[d];
        double[] column = new double[series.length];
        for (int k = 0; k < d; k++) {
            for (int t = 0; t < series.length; t++) {
                if (series[t] == null || series[t].length != series[0].length) {
                    throw new ShapeMismatchException("series[" + t + "] must have " + series[0].length
                            + " columns, got "
                            + (series[t] == null ? "null" : series[t].length));
                }
                column[t] = series[t][k];
                if (!Double.isFinite(column[t])) {
                    throw new VigilException("series[" + t + "][" + k + "] must be finite, got " + column[t]);
                }
            }
            Arrays.sort(column);
            center[k] = quantile(column, 0.5);
            scale[k] = robustScale(column, center[k]);
        }
        return new Normalisation(center, scale);
    }

    /** Number of channels {@code d}. */
    public int size() {
        return center.length;
    }

    /** A copy of the per-channel centers. */
    @Override
    public double[] center() {
        return center.clone();
    }

    /** A copy of the per-channel scales. */
    @Override
    public double[] scale() {
        return scale.clone();
    }

    /** {@code out[k] = (raw[k] - center[k]) / scale[k]}; {@code raw} is not modified (may equal {@code out}). */
    public void normalise(double[] raw, double[] out) {
        if (raw.length != center.length || out.length != center.length) {
            throw new ShapeMismatchException("normalise needs arrays of length " + center.length + ", got "
                    + raw.length + " and " + out.length);
        }
        for (int k = 0; k < center.length; k++) {
            out[k] = (raw[k] - center[k]) / scale[k];
        }
    }

    /**
     * A model's input row: the first {@code d} entries of {@code row} normalised, the rest (context inputs, already
     * in model units) copied as they are. {@code row} and {@code out} have the same length, at least {@code d};
     * {@code row} is not modified (may equal {@code out}).
     */
    public void normaliseInput(double[] row, double[] out) {
        if (row.length != out.length || row.length < center.length) {
            throw new ShapeMismatchException("an input row needs at least " + center.length
                    + " entries and an output of the same length, got " + row.length + " and " + out.length);
        }
        for (int k = 0; k < center.length; k++) {
            out[k] = (row[k] - center[k]) / scale[k];
        }
        System.arraycopy(row, center.length, out, center.length, row.length - center.length);
    }

    /** {@code (raw - center[channel]) / scale[channel]}. */
    public double normalise(int channel, double raw) {
        return (raw - center[channel]) / scale[channel];
    }

    /** {@code normalised * scale[channel] + center[channel]}, the inverse of {@link #normalise(int, double)}. */
    public double denormalise(int channel, double normalised) {
        return normalised * scale[channel] + center[channel];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalisation other
                && Arrays.equals(center, other.center) && Arrays.equals(scale, other.scale);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(center) + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "Normalisation[center=" + Arrays.toString(center) + ", scale=" + Arrays.toString(scale) + "]";
    }

    private static double robustScale(double[] sorted, double median) {
        double floor = RELATIVE_SCALE_FLOOR * Math.abs(median);
        double iqrScale = (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / IQR_PER_SIGMA;
        if (iqrScale > floor && iqrScale > 0) {
            return iqrScale;
        }
        double std = standardDeviation(sorted);
        if (std > floor && std > 0) {
            return std;
        }
        return 1.0;
    }

    /** Linear interpolation between order statistics (R's type 7). */
    private static double quantile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) position;
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }

    private static double standardDeviation(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double sumSquares = 0;
        for (double v : values) {
            sumSquares += (v - mean) * (v - mean);
        }
        return Math.sqrt(sumSquares / values.length);
    }
}
