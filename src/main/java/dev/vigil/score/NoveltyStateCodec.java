package dev.vigil.score;

import dev.vigil.BadBytesException;

import java.nio.ByteBuffer;

import static dev.vigil.score.ScoreBytes.getNotInfinite;
import static dev.vigil.score.ScoreBytes.putAll;
import static dev.vigil.score.ScoreBytes.putLevel;
import static dev.vigil.score.ScoreBytes.readLevel;

/**
 * The window novelty section of a {@link ScoreState}'s persisted form ({@link ScoreStateCodec} gives where it sits):
 * <pre>
 *   u8  window (0: no novelty state, the signal off; nothing follows)
 *   u16 capacity, u16 categories, u8 filled, u8 next, i32 readings
 *   f64 ring[d · window]                            (each channel's latest readings)
 *   u8  weights[categories · 2 · window · d]        (the categories learnt, the least recently matched first)
 *   u8  levelWindow, f32 recent[levelWindow], u8 recentCount, u8 recentNext, f64 longMean, f64 longVariance,
 *   i64 levelUpdates                                (the novelty signal's calibration)
 * </pre>
 */
final class NoveltyStateCodec {
    private NoveltyStateCodec() {
    }

    /** Bytes {@link #write} takes for {@code n} (null: none). */
    static int size(NoveltyState n) {
        if (n == null) {
            return 1;
        }
        return 1 + 2 + 2 + 1 + 1 + 4 + Double.BYTES * n.ring.length + n.categories * n.dims()
                + 1 + Float.BYTES * n.level.window() + 2 + 8 + 8 + 8;
    }

    static void write(ByteBuffer out, NoveltyState n) {
        if (n == null) {
            out.put((byte) 0);
            return;
        }
        out.put((byte) n.window).putShort((short) n.capacity()).putShort((short) n.categories);
        out.put((byte) n.filled).put((byte) n.next).putInt(n.readings);
        putAll(out, n.ring);
        out.put(n.weights, 0, n.categories * n.dims());
        out.put((byte) n.level.window());
        putLevel(out, n.level);
    }

    /** Reads a key's novelty state (d = {@code channels}), or null; {@link BadBytesException} when impossible. */
    static NoveltyState read(ByteBuffer in, int channels) {
        int window = Byte.toUnsignedInt(in.get());
        if (window == 0) {
            return null;
        }
        int capacity = Short.toUnsignedInt(in.getShort());
        int categories = Short.toUnsignedInt(in.getShort());
        int filled = Byte.toUnsignedInt(in.get());
        int next = Byte.toUnsignedInt(in.get());
        int readings = in.getInt();
        if (window > ScoringConfig.MAX_NOVELTY_WINDOW || capacity < 1 || capacity > ScoringConfig.MAX_NOVELTY_CATEGORIES
                || categories > capacity || filled > window || next >= window || readings < 0) {
            throw new BadBytesException("score state's window novelty is impossible: window " + window + ", capacity "
                    + capacity + ", categories " + categories + ", filled " + filled + ", next " + next + ", readings "
                    + readings);
        }
        NoveltyState n = new NoveltyState(channels, window, capacity, 1);
        getNotInfinite(in, n.ring, "novelty window");
        in.get(n.weights, 0, categories * n.dims());
        n.categories = categories;
        n.filled = filled;
        n.next = next;
        n.readings = readings;
        int levelWindow = Byte.toUnsignedInt(in.get());
        if (levelWindow < 1) {
            throw new BadBytesException("score state's window novelty has a level window of 0");
        }
        n.level = new SignalLevel(levelWindow);
        readLevel(in, n.level, true);
        return n;
    }
}
