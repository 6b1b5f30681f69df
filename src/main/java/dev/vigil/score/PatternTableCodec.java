package dev.vigil.score;

import dev.vigil.BadBytesException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The pattern table's part of a {@link ScoreState}'s persisted form ({@link ScoreStateCodec} gives the layout): its
 * shape, the latest symbols, and per channel its counts, dense or as (cell, count) pairs, whichever is shorter.
 */
final class PatternTableCodec {
    /** Eight pattern counts at a time, to skip the zeros of a sparse table (the byte order does not matter). */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The low seven bits of each byte of a word. */
    private static final long LOW_SEVEN = 0x7f7f7f7f7f7f7f7fL;

    private PatternTableCodec() {
    }

    /** Bytes {@link #write} takes for {@code t} (null: no table). */
    static int size(PatternTable t) {
        int table = 2;
        if (t != null) {
            table += 1 + t.latest().length;
            int cells = PatternTable.cells(t.bins(), t.length());
            for (int c = 0; c < t.channels(); c++) {
                table += 1 + Math.min(cells, 2 + 3 * nonZero(t.counts(), c * cells, cells));
            }
        }
        return table;
    }

    /** The table's shape ({@code 0, 0}: none) and, for a table, its latest symbols and counts. */
    static void write(ByteBuffer out, PatternTable t) {
        out.put((byte) (t == null ? 0 : t.bins())).put((byte) (t == null ? 0 : t.length()));
        if (t != null) {
            out.put((byte) t.filled()).put(t.latest());
            int cells = PatternTable.cells(t.bins(), t.length());
            for (int c = 0; c < t.channels(); c++) {
                writeCounts(out, t.counts(), c * cells, cells);
            }
        }
    }

    static PatternTable read(ByteBuffer in, int channels) {
        int bins = Byte.toUnsignedInt(in.get());
        int length = Byte.toUnsignedInt(in.get());
        if (bins == 0) {
            return null;
        }
        if (bins > 16 || length < 2 || length > 4) {
            throw new BadBytesException("score state has a pattern table of " + bins + " bins and length " + length
                    + "; expected 1..16 bins, length 2..4");
        }
        if (PatternTable.cells(bins, length) > ScoringConfig.MAX_PATTERN_CELLS) {
            throw new BadBytesException("score state has a pattern table of " + PatternTable.cells(bins, length)
                    + " cells per channel; at most " + ScoringConfig.MAX_PATTERN_CELLS);
        }
        PatternTable t = new PatternTable(channels, bins, length);
        int filled = Byte.toUnsignedInt(in.get());
        in.get(t.latest());
        int cells = PatternTable.cells(bins, length);
        for (int c = 0; c < channels; c++) {
            readCounts(in, t.counts(), c * cells, cells);
        }
        for (byte symbol : t.latest()) {
            if (Byte.toUnsignedInt(symbol) >= PatternSurprise.symbols(bins)) {
                throw new BadBytesException("score state's pattern table holds symbol " + Byte.toUnsignedInt(symbol)
                        + " beyond its " + PatternSurprise.symbols(bins) + " symbols");
            }
        }
        t.restore(Math.min(filled, length));
        return t;
    }

    /** Non-zero counts among {@code counts[from, from + cells)}, eight at a time. */
    private static int nonZero(byte[] counts, int from, int cells) {
        int n = 0;
        int i = from;
        int end = from + cells;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) WORDS.get(counts, i);
            if (word != 0) {
                // per byte, the top bit of (low seven bits + 0x7f) | byte: set when the byte is not zero (no carry
                // crosses bytes: 0x7f + 0x7f < 0x100)
                n += Long.bitCount(((word & LOW_SEVEN) + LOW_SEVEN | word) & ~LOW_SEVEN);
            }
        }
        for (; i < end; i++) {
            n += counts[i] != 0 ? 1 : 0;
        }
        return n;
    }

    /** One channel's counts, dense or as (cell, count) pairs, whichever is shorter. */
    private static void writeCounts(ByteBuffer out, byte[] counts, int from, int cells) {
        int n = nonZero(counts, from, cells);
        if (cells <= 2 + 3 * n) {
            out.put((byte) 0).put(counts, from, cells);
            return;
        }
        out.put((byte) 1).putShort((short) n);
        int i = 0;
        for (; i + Long.BYTES <= cells; i += Long.BYTES) {
            if ((long) WORDS.get(counts, from + i) != 0) {
                putNonZero(out, counts, from, i, i + Long.BYTES);
            }
        }
        putNonZero(out, counts, from, i, cells);
    }

    /** The (cell, count) pairs of the non-zero counts of cells {@code [first, end)}. */
    private static void putNonZero(ByteBuffer out, byte[] counts, int from, int first, int end) {
        for (int i = first; i < end; i++) {
            if (counts[from + i] != 0) {
                out.putShort((short) i).put(counts[from + i]);
            }
        }
    }

    private static void readCounts(ByteBuffer in, byte[] counts, int from, int cells) {
        int mode = Byte.toUnsignedInt(in.get());
        if (mode == 0) {
            in.get(counts, from, cells);
            return;
        }
        if (mode != 1) {
            throw new BadBytesException("score state's pattern counts have an unknown layout " + mode);
        }
        int n = Short.toUnsignedInt(in.getShort());
        for (int k = 0; k < n; k++) {
            int cell = Short.toUnsignedInt(in.getShort());
            if (cell >= cells) {
                throw new BadBytesException("score state's pattern counts name cell " + cell + " of " + cells);
            }
            counts[from + cell] = in.get();
        }
    }
}
