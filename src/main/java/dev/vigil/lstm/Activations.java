package dev.vigil.lstm;

/**
 * Deterministic {@code exp}, logistic sigmoid and {@code tanh} for the LSTM gates.
 *
 * <p>Why not {@link Math#exp}: it may differ by an ulp between JIT intrinsics and CPU
 * architectures, and Vigil promises the same bits for the same events and model on every instance.
 * This {@code exp} uses only IEEE arithmetic (strict in Java 17), {@link Math#rint} and bit
 * operations, so its result is the same everywhere; its table is filled from {@link StrictMath},
 * which is specified bit for bit. It is table-driven (as in most modern libms) rather than fdlibm's
 * rational form because it avoids a division and is about twice as fast, which matters since every
 * LSTM cell evaluates five of these per step. Thread-safe, allocation-free.
 */
final class Activations {

    /** Table size: {@code e^x = 2^(k/64) · e^r}, {@code |r| <= ln2/128}. */
    private static final int TABLE_BITS = 6;
    private static final int TABLE_SIZE = 1 << TABLE_BITS;
    /** {@code 2^(j/64)}, {@code j = 0..63}. */
    private static final double[] TWO_POW_FRACTION = new double[TABLE_SIZE];
    /** {@code 64/ln2}. */
    private static final double SCALED_INV_LN2 = TABLE_SIZE / 0.6931471805599453;
    /** {@code ln2/64} split in a head with 32 significant bits (so {@code k·HI} is exact) and a tail. */
    private static final double SCALED_LN2_HI = 6.93147180369123816490e-01 / TABLE_SIZE;
    private static final double SCALED_LN2_LO = 1.90821492927058770002e-10 / TABLE_SIZE;
    /** Arguments are clamped here so that scaling by {@code 2^k} stays in the normal range. */
    private static final double MIN_ARGUMENT = -708.0;
    private static final double MAX_ARGUMENT = 709.0;

    static {
        for (int j = 0; j < TABLE_SIZE; j++) {
            TWO_POW_FRACTION[j] = StrictMath.pow(2.0, (double) j / TABLE_SIZE);
        }
    }

    private Activations() {
    }

    /**
     * {@code e^x} for {@code x} clamped to [-708, 709] (NaN stays NaN); within 2 ulp of
     * {@link StrictMath#exp}.
     */
    static double exp(double x) {
        double a = x < MIN_ARGUMENT ? MIN_ARGUMENT : (x > MAX_ARGUMENT ? MAX_ARGUMENT : x);
        // x = (k/64)·ln2 + r with k = round(64x/ln2), |r| <= ln2/128
        double kd = Math.rint(a * SCALED_INV_LN2);
        long k = (long) kd;
        double r = (a - kd * SCALED_LN2_HI) - kd * SCALED_LN2_LO;
        // e^r - 1 by its Taylor series to r^5 (next term < 2^-60 relative)
        double p = r * (1.0 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
        // e^x = 2^(k >> 6) · 2^((k & 63)/64) · e^r, the power of two added to the exponent field
        double t = TWO_POW_FRACTION[(int) k & (TABLE_SIZE - 1)];
        double y = t + t * p;
        return Double.longBitsToDouble(Double.doubleToRawLongBits(y) + ((k >> TABLE_BITS) << 52));
    }

    /** {@code σ(x) = 1 / (1 + e^-x)}, in [0, 1]. */
    static double sigmoid(double x) {
        return 1.0 / (1.0 + exp(-x));
    }

    /** {@code tanh(x) = sign(x)·(1 - e^-2|x|) / (1 + e^-2|x|)}; absolute error below 2^-51. */
    static double tanh(double x) {
        double e = exp(-2.0 * Math.abs(x));
        return Math.copySign((1.0 - e) / (1.0 + e), x);
    }

    /** {@code z[0, 2H)} and {@code z[3H, 4H)} (i, f, o) ← σ(z); {@code z[2H, 3H)} (g) ← tanh(z). */
    static void activateGates(double[] z, int hiddenSize) {
        for (int j = 0; j < 2 * hiddenSize; j++) {
            z[j] = Activations.sigmoid(z[j]);
        }
        for (int j = 2 * hiddenSize; j < 3 * hiddenSize; j++) {
            z[j] = Activations.tanh(z[j]);
        }
        for (int j = 3 * hiddenSize; j < 4 * hiddenSize; j++) {
            z[j] = Activations.sigmoid(z[j]);
        }
    }
}
