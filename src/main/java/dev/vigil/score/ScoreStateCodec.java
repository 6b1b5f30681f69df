package dev.vigil.score;

import dev.vigil.BadBytesException;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Persisted form of a {@link ScoreState}, written into a caller's buffer (it is one section of the
 * detector state, which carries the format version and checksum). Layout, big-endian:
 * <pre>
 *   u8  channels, u8 shortWindow
 *   f64 centre[d], scale[d], min[d], max[d]
 *   f64 recent[shortWindow]
 *   i64 updates, u8 recentCount, u8 recentNext, f64 longMean, f64 longVariance, i64 levelUpdates
 *   u8  alertOpen, i32 quietRun, i64 alertsOpened
 *   f64 last[d], i32 flatRun, i64 repeats
 * </pre>
 */
public final class ScoreStateCodec {
    private ScoreStateCodec() {
    }

    public static int size(ScoreState state) {
        int d = state.channels();
        return 2 + 8 * (4 * d + state.shortWindow()) + 8 + 2 + 8 + 8 + 8 + 1 + 4 + 8 + 8 * d + 4 + 8;
    }

    public static void write(ScoreState s, ByteBuffer out) {
        out.put((byte) s.channels()).put((byte) s.shortWindow());
        putAll(out, s.center());
        putAll(out, s.scale());
        putAll(out, s.min());
        putAll(out, s.max());
        putAll(out, s.recent());
        out.putLong(s.updates).put((byte) s.recentCount).put((byte) s.recentNext);
        out.putDouble(s.longMean).putDouble(s.longVariance).putLong(s.levelUpdates);
        out.put((byte) (s.alertOpen ? 1 : 0)).putInt(s.quietRun).putLong(s.alertsOpened);
        putAll(out, s.last());
        out.putInt(s.flatRun).putLong(s.repeats);
    }

    /** Reads a state; {@link BadBytesException} when truncated or inconsistent. */
    public static ScoreState read(ByteBuffer in) {
        try {
            int channels = Byte.toUnsignedInt(in.get());
            int window = Byte.toUnsignedInt(in.get());
            if (channels < 1 || window < 1) {
                throw new BadBytesException("score state has channels=" + channels + ", shortWindow=" + window
                        + "; both must be >= 1");
            }
            ScoreState s = new ScoreState(channels, window);
            getAll(in, s.center());
            getAll(in, s.scale());
            getAll(in, s.min());
            getAll(in, s.max());
            getAll(in, s.recent());
            long updates = in.getLong();
            int count = Byte.toUnsignedInt(in.get());
            int next = Byte.toUnsignedInt(in.get());
            if (count > window || next >= window) {
                throw new BadBytesException("score state ring position " + next + "/" + count + " exceeds window " + window);
            }
            double mean = in.getDouble();
            double variance = in.getDouble();
            long levels = in.getLong();
            boolean open = in.get() != 0;
            int quiet = in.getInt();
            long alerts = in.getLong();
            getAll(in, s.last());
            int flat = in.getInt();
            s.restore(updates, count, next, mean, variance, levels, open, quiet, alerts, flat, in.getLong());
            return s;
        } catch (BufferUnderflowException e) {
            throw new BadBytesException("score state is truncated", e);
        }
    }

    private static void putAll(ByteBuffer out, double[] values) {
        for (double v : values) {
            out.putDouble(v);
        }
    }

    private static void getAll(ByteBuffer in, double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = in.getDouble();
        }
    }
}
