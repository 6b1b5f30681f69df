package dev.vigil.lstm;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * IEEE 754 half precision (binary16) for model parameters. A trained model's parameters are rounded to half-precision
 * values ({@link #round}), which floats hold exactly, so a decoded model may keep them in 16 bits and widen them in the
 * step: the same values, so the same bits, whichever form a JVM uses. A step with 1,000 keys' models streams each
 * key's weights from memory, and 16 bits halve those bytes. The widening ({@code Float.float16ToFloat}, looked up at
 * run time so that this class compiles on JDK 17) is vectorised by C2 on JDK 25, where it was measured faster than
 * float rows ({@link #VECTORISED}; earlier JDKs were not measured). Where it is scalar it is slower than reading floats,
 * so models keep float rows on the JDKs before. Stateless.
 */
public final class HalfPrecision {
    /** The largest finite half-precision value. */
    public static final float MAX = 65504f;
    /** {@code Float.float16ToFloat} (JDK 20 and later), or null. */
    private static final MethodHandle WIDEN = widenHandle();
    /** The first JDK on which decoded models keep half-precision rows (the one measured). */
    static final int FIRST_VECTORISED_JDK = 25;
    /** Whether decoded models keep half-precision rows: the JDK widens them in vector instructions. */
    public static final boolean VECTORISED = WIDEN != null && Runtime.version().feature() >= FIRST_VECTORISED_JDK;

    private HalfPrecision() {
    }

    private static MethodHandle widenHandle() {
        try {
            return MethodHandles.publicLookup().findStatic(Float.class, "float16ToFloat",
                    MethodType.methodType(float.class, short.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /**
     * The half-precision value nearest {@code f} (ties to even), as a float; finite values beyond {@link #MAX} become
     * ±{@link #MAX}. Plain float arithmetic: the quantum of {@code f}'s binade scaled out and in by powers of two.
     */
    public static float round(float f) {
        float a = Math.abs(f);
        float r;
        if (a < 0x1p-14f) {
            r = (float) (Math.rint(a / 0x1p-24f) * 0x1p-24f);
        } else {
            float quantum = Math.scalb(1f, Math.getExponent(a) - 10);
            r = (float) (Math.rint(a / quantum) * quantum);
        }
        return Math.copySign(Math.min(r, MAX), f);
    }

    /** Rounds every value of {@code values} in place ({@link #round}). */
    public static void roundAll(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = round(values[i]);
        }
    }

    /** Whether {@code f} is a half-precision value (finite, and {@link #round} keeps its bits). */
    public static boolean exact(float f) {
        return Float.isFinite(f) && Float.floatToRawIntBits(round(f)) == Float.floatToRawIntBits(f);
    }

    /** The binary16 bits of {@code f}, which must be {@link #exact}. */
    static short bits(float f) {
        int sign = (Float.floatToRawIntBits(f) >>> 16) & 0x8000;
        float a = Math.abs(f);
        if (a < 0x1p-14f) {
            return (short) (sign | (int) (a * 0x1p24f));
        }
        int mantissa = (Float.floatToRawIntBits(a) >>> 13) & 0x3ff;
        return (short) (sign | (Math.getExponent(a) + 15) << 10 | mantissa);
    }

    /** The float of binary16 bits {@code h} (finite), by the JDK's conversion where it has one. */
    static float widen(short h) {
        if (WIDEN != null) {
            try {
                return (float) WIDEN.invokeExact(h);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        return widenBits(h);
    }

    /** {@link #widen} in plain arithmetic (the form JDKs before 20 use; the tests check the two agree). */
    static float widenBits(short h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0) {
            return Float.intBitsToFloat(sign | Float.floatToRawIntBits(mantissa * 0x1p-24f));
        }
        return Float.intBitsToFloat(sign | (exponent - 15 + 127) << 23 | mantissa << 13);
    }

    /** {@code rows} as binary16 rows ({@link #bits}), or null when a value is not {@link #exact}. */
    static short[][] bitsIfExact(float[][] rows) {
        short[][] out = new short[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new short[rows[r].length];
            for (int j = 0; j < rows[r].length; j++) {
                if (!exact(rows[r][j])) {
                    return null;
                }
                out[r][j] = bits(rows[r][j]);
            }
        }
        return out;
    }

    /** Binary16 rows widened to float rows. */
    static float[][] widen(short[][] rows) {
        float[][] out = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new float[rows[r].length];
            for (int j = 0; j < rows[r].length; j++) {
                out[r][j] = widen(rows[r][j]);
            }
        }
        return out;
    }
}
