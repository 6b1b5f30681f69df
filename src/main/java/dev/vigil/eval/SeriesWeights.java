package dev.vigil.eval;

import java.util.List;

/**
 * NAB's per-row weights for one data file, before the profile's cost factors are applied.
 *
 * <p>With the scaled sigmoid {@code S(y) = 2σ(-5y) - 1} for {@code y <= 3} and {@code -1} above:
 * <ul>
 *   <li>a row {@code i} inside window {@code [L, R]} of width {@code W} has
 *       {@code shape = S(-(R - i + 1)/W) / S(-1)}, in (0, 1], 1 at {@code L}; its weight is
 *       {@code tpWeight * shape};</li>
 *   <li>a row after the most recent window {@code [L', R']} (width {@code W'}) has
 *       {@code shape = S((i - R')/(W' - 1))}, in [-1, 0); a row with no earlier window has
 *       {@code shape = -1}; its weight is {@code fpWeight * shape}.</li>
 * </ul>
 * NAB divides by {@code W' - 1}, which fails for a one-row window; here a row after a one-row window
 * takes the full cost ({@code shape = -1}), the limit of that formula.
 */
final class SeriesWeights {
    /** {@code S(-1) = 2σ(5) - 1 ≈ 0.98661}: makes a window's first row worth exactly tpWeight. */
    private static final double S_AT_MINUS_ONE = scaledSigmoid(-1.0);
    /** Beyond this many window widths past a window, a false positive costs the full fpWeight. */
    private static final double FULL_COST_DISTANCE = 3.0;

    /** Per row: index of its window in the file's window list, or -1 outside every window. */
    final int[] windowOf;
    /** Per row: the profile-free weight factor described in the class comment. */
    final double[] shape;

    private SeriesWeights(int[] windowOf, double[] shape) {
        this.windowOf = windowOf;
        this.shape = shape;
    }

    /**
     * Computes the weights of every row of a file (probationary rows included: they still shape
     * the weights of the rows after them).
     *
     * @param rows number of rows in the file
     * @param windows the file's windows as row ranges, in order, not overlapping
     * @return the weights
     */
    static SeriesWeights compute(int rows, List<RowRange> windows) {
        int[] windowOf = new int[rows];
        double[] shape = new double[rows];
        int next = 0;
        RowRange previous = null;
        for (int i = 0; i < rows; i++) {
            RowRange current = next < windows.size() && windows.get(next).contains(i) ? windows.get(next) : null;
            if (current != null) {
                windowOf[i] = next;
                double y = -(double) (current.last() - i + 1) / current.width();
                shape[i] = scaledSigmoid(y) / S_AT_MINUS_ONE;
                if (i == current.last()) {
                    previous = current;
                    next++;
                }
            } else {
                windowOf[i] = -1;
                shape[i] = previous == null || previous.width() == 1
                        ? -1.0
                        : scaledSigmoid((double) (i - previous.last()) / (previous.width() - 1));
            }
        }
        return new SeriesWeights(windowOf, shape);
    }

    /**
     * NAB's scaled sigmoid: {@code 2σ(-5y) - 1} for {@code y <= 3}, {@code -1} above.
     *
     * @param y position relative to a window, in window widths
     * @return a value in [-1, 1]; +0.9866 at -1, 0 at 0, -0.9866 at +1
     */
    static double scaledSigmoid(double y) {
        if (y > FULL_COST_DISTANCE) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * y)) - 1.0;
    }
}
