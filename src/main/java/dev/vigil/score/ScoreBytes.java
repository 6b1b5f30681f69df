package dev.vigil.score;

import dev.vigil.BadBytesException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The runs of numbers {@link ScoreStateCodec} writes and reads: doubles straight through a big-endian buffer's backing
 * array, floats, a signal's ring and scalars ({@link SignalLevel}), each checked on reading (a value that cannot be
 * there is {@link BadBytesException}).
 */
final class ScoreBytes {
    /** Big-endian doubles in a byte array, as {@link ByteBuffer#putDouble} writes them. */
    private static final VarHandle DOUBLES = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.BIG_ENDIAN);

    private ScoreBytes() {
    }

    /** As {@code out.putDouble} for each value, straight into the buffer's array. */
    static void putAll(ByteBuffer out, double[] values) {
        int bytes = Double.BYTES * values.length;
        if (out.remaining() < bytes) {
            throw new BufferOverflowException();
        }
        byte[] array = out.array();
        int at = out.arrayOffset() + out.position();
        for (double v : values) {
            DOUBLES.set(array, at, v);
            at += Double.BYTES;
        }
        out.position(out.position() + bytes);
    }

    /** As {@code in.getDouble} for each value, straight from the buffer's array. */
    static void getAll(ByteBuffer in, double[] values) {
        int bytes = Double.BYTES * values.length;
        if (in.remaining() < bytes) {
            throw new BufferUnderflowException();
        }
        byte[] array = in.array();
        int at = in.arrayOffset() + in.position();
        for (int i = 0; i < values.length; i++) {
            values[i] = (double) DOUBLES.get(array, at);
            at += Double.BYTES;
        }
        in.position(in.position() + bytes);
    }

    /** As {@code out.putFloat} for each value. */
    static void putFloats(ByteBuffer out, float[] values) {
        for (float v : values) {
            out.putFloat(v);
        }
    }

    /**
     * A ring of recent raw values: floats, or (written before {@link ScoreStateCodec.Section#FLOAT_RINGS}) doubles
     * rounded to float; every value finite.
     */
    static void getRing(ByteBuffer in, float[] ring, boolean floats) {
        for (int i = 0; i < ring.length; i++) {
            ring[i] = floats ? in.getFloat() : (float) in.getDouble();
            if (!Float.isFinite(ring[i])) {
                throw new BadBytesException("score state's ring of recent raw values holds " + ring[i]);
            }
        }
    }

    /** {@link #getAll}, refusing an infinity ({@code what} names the values; NaN marks a value that is not there). */
    static void getNotInfinite(ByteBuffer in, double[] values, String what) {
        getAll(in, values);
        for (double v : values) {
            if (Double.isInfinite(v)) {
                throw new BadBytesException("score state's " + what + " is " + v);
            }
        }
    }

    static void getFiniteFloats(ByteBuffer in, float[] into, String what) {
        for (int i = 0; i < into.length; i++) {
            into[i] = in.getFloat();
            if (!Float.isFinite(into[i])) {
                throw new BadBytesException("score state's " + what + " holds " + into[i]);
            }
        }
    }

    /** A signal's ring of recent raw values (floats) and its scalars, as {@link #readLevel} reads them. */
    static void putLevel(ByteBuffer out, SignalLevel level) {
        putFloats(out, level.recent());
        out.put((byte) level.recentCount).put((byte) level.recentNext);
        out.putDouble(level.longMean).putDouble(level.longVariance).putLong(level.levelUpdates);
    }

    /**
     * A signal's ring (floats, or doubles before {@link ScoreStateCodec.Section#FLOAT_RINGS}) and its scalars, as
     * written.
     */
    static void readLevel(ByteBuffer in, SignalLevel level, boolean floatRings) {
        getRing(in, level.recent(), floatRings);
        readLevelScalars(in, level);
    }

    static void readLevelScalars(ByteBuffer in, SignalLevel level) {
        int count = Byte.toUnsignedInt(in.get());
        int next = Byte.toUnsignedInt(in.get());
        if (count > level.window() || next >= level.window()) {
            throw new BadBytesException("score state ring position " + next + "/" + count + " exceeds window "
                    + level.window());
        }
        level.restore(count, next, in.getDouble(), in.getDouble(), in.getLong());
    }
}
