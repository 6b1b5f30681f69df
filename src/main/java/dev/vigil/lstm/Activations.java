package dev.vigil.lstm;

/**
 * Deterministic {@code exp}, logistic sigmoid and {@code tanh} for the LSTM gates.
 *
 * <p>Why not {@link Math#exp}: its result may differ by an ulp between JIT intrinsics and CPU
 * architectures, and Vigil promises the same bits for the same events and model on every instance.
 * This is fdlibm's {@code exp} (the algorithm behind {@link StrictMath#exp}, error below 1 ulp)
 * written with plain Java arithmetic, which is IEEE-strict since Java 17, and without its small-
 * argument branches so that it stays branch-free in the gate loops. Thread-safe, allocation-free.
 */
final class Activations {

    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    private static final double INV_LN2 = 1.44269504088896338700e+00;
    private static final double P1 = 1.66666666666666019037e-01;
    private static final double P2 = -2.77777777770155933842e-03;
    private static final double P3 = 6.61375632143793436117e-05;
    private static final double P4 = -1.65339022054652515390e-06;
    private static final double P5 = 4.13813679705723846039e-08;
    /** Arguments are clamped here so that scaling by {@code 2^k} stays in the normal range. */
    private static final double MIN_ARGUMENT = -708.0;
    private static final double MAX_ARGUMENT = 709.0;

    private Activations() {
    }

    /**
     * {@code e^x} for {@code x} clamped to [-708, 709] (NaN stays NaN). Within that range it agrees
     * with {@link StrictMath#exp} bit for bit except for arguments within about 2^-30 of
     * {@code ±ln2/2}, where it may pick the other reduction and still be within 1 ulp.
     */
    static double exp(double x) {
        double a = x < MIN_ARGUMENT ? MIN_ARGUMENT : (x > MAX_ARGUMENT ? MAX_ARGUMENT : x);
        // x = k·ln2 + r, |r| <= ln2/2, with ln2 split in hi + lo so that k·LN2_HI is exact
        int k = (int) (INV_LN2 * a + Math.copySign(0.5, a));
        double kd = k;
        double hi = a - kd * LN2_HI;
        double lo = kd * LN2_LO;
        double r = hi - lo;
        // e^r from fdlibm's rational approximation: c = r - r²·P(r²), e^r = 1 + r + r·c / (2 - c)
        double t = r * r;
        double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
        double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
        // e^x = 2^k · e^r, by adding k to the exponent field
        return Double.longBitsToDouble(Double.doubleToRawLongBits(y) + ((long) k << 52));
    }

    /** {@code σ(x) = 1 / (1 + e^-x)}, in [0, 1]. */
    static double sigmoid(double x) {
        return 1.0 / (1.0 + exp(-x));
    }

    /** {@code tanh(x) = sign(x)·(1 - e^-2|x|) / (1 + e^-2|x|)}; absolute error below 2^-52. */
    static double tanh(double x) {
        double e = exp(-2.0 * Math.abs(x));
        return Math.copySign((1.0 - e) / (1.0 + e), x);
    }
}
