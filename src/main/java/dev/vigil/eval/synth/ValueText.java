package dev.vigil.eval.synth;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How a synthetic reading is written: as NAB writes values, plain decimals with no exponent. */
final class ValueText {
    /** Decimals kept for readings that are not rounded to a quantum. */
    static final int DECIMALS = 3;
    private static final double SCALE = 1000;

    private ValueText() {
    }

    /**
     * A reading rounded as it will be written: to the sensor's step, then to {@link #DECIMALS} decimals.
     *
     * @param value   the reading
     * @param quantum the sensor's step (e.g. 1, 0.5, 5); 0 for a continuous reading
     * @return the rounded reading, whose text {@link #format} parses back to it exactly
     */
    static double round(double value, double quantum) {
        double v = quantum > 0 ? Math.round(value / quantum) * quantum : value;
        return Math.rint(v * SCALE) / SCALE;
    }

    /**
     * The text of a rounded reading.
     *
     * @param value a reading from {@link #round}
     * @return e.g. {@code 41.25}, {@code 21.5}, {@code 17}
     */
    static String format(double value) {
        return BigDecimal.valueOf(value).setScale(DECIMALS, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
