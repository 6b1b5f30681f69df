package dev.vigil.score;

import dev.vigil.ShapeMismatchException;

import java.util.Arrays;

/**
 * One key's memory of its own sequences, for {@link PatternSurprise}: per channel, how often each short sequence
 * of quantised readings (a context of {@code length - 1} bins and the bin that followed it) has occurred, and the
 * channel's latest bins. Counts are unsigned bytes; a context whose count reaches 255 halves its row, so old habits
 * fade as new ones are counted. Mutable, not thread-safe; arrays returned are live.
 */
public final class PatternTable {
    private final int bins;
    private final int length;
    private final byte[] counts;
    private final byte[] latest;
    int filled;

    /**
     * @param channels number of channels d
     * @param bins     bins across the range seen so far ({@link ScoringConfig#patternBins()}), at least 1
     * @param length   readings in one sequence ({@link ScoringConfig#patternLength()}), at least 2
     */
    public PatternTable(int channels, int bins, int length) {
        if (channels < 1 || bins < 1 || length < 2) {
            throw new ShapeMismatchException("pattern table needs channels >= 1, bins >= 1, length >= 2; got "
                    + channels + ", " + bins + ", " + length);
        }
        this.bins = bins;
        this.length = length;
        this.counts = new byte[channels * cells(bins, length)];
        this.latest = new byte[channels * (length - 1)];
    }

    /** Entries per channel: every sequence of {@code length} symbols, a symbol being one of bins + 2. */
    public static int cells(int bins, int length) {
        int cells = 1;
        for (int i = 0; i < length; i++) {
            cells *= PatternSurprise.symbols(bins);
        }
        return cells;
    }

    public int bins() {
        return bins;
    }

    public int length() {
        return length;
    }

    public int channels() {
        return latest.length / (length - 1);
    }

    /** Sequence counts, channel-major, each channel's cells in context-major order (unsigned bytes). */
    public byte[] counts() {
        return counts;
    }

    /** The latest {@code length - 1} symbols per channel, oldest first. */
    public byte[] latest() {
        return latest;
    }

    /** Readings seen, capped at {@code length} (the count from which sequences are complete). */
    public int filled() {
        return filled;
    }

    void restore(int filled) {
        this.filled = filled;
    }

    void copyFrom(PatternTable other) {
        System.arraycopy(other.counts, 0, counts, 0, counts.length);
        System.arraycopy(other.latest, 0, latest, 0, latest.length);
        filled = other.filled;
    }

    boolean sameShape(PatternTable other) {
        return bins == other.bins && length == other.length && counts.length == other.counts.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatternTable t && bins == t.bins && length == t.length && filled == t.filled
                && Arrays.equals(counts, t.counts) && Arrays.equals(latest, t.latest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + filled;
    }
}
