package dev.vigil.score;

import java.util.Arrays;

/**
 * A key's window novelty state ({@link WindowNovelty}): the ring of its latest readings, the categories of windows it
 * has learnt (fuzzy ART weights, complement coded, a byte a weight) in the order they were last matched, oldest first,
 * and the calibration of the novelty signal. Mutable, not thread-safe; owned by the {@link ScoreState} that holds it.
 */
public final class NoveltyState {
    /** Per channel c, the latest {@code window} readings at {@code c · window}, the oldest at {@link #next}. */
    final double[] ring;
    /**
     * The categories' weights, {@link #dims()} each, the least recently matched first: per channel its window's
     * readings, then their complements, 0 to {@value WindowNovelty#FULL} standing for 0 to 1.
     */
    final byte[] weights;
    final int window;
    final int channels;
    int categories;
    /** Readings in the ring (at most the window). */
    int filled;
    /** Where the next reading goes in each channel's part of the ring. */
    int next;
    /** Readings the state has learnt from, at most {@link Integer#MAX_VALUE}. */
    int readings;
    SignalLevel level;
    /**
     * Scratch for the window being judged ({@link #dims()} values), reused from reading to reading: no part of the
     * state, so neither stored, copied nor compared.
     */
    final double[] input;

    NoveltyState(int channels, int window, int capacity, int levelWindow) {
        this.channels = channels;
        this.window = window;
        ring = new double[channels * window];
        weights = new byte[capacity * dims(channels, window)];
        level = new SignalLevel(levelWindow);
        input = new double[dims(channels, window)];
    }

    /** Weights a category holds: the window's readings of every channel, and their complements. */
    static int dims(int channels, int window) {
        return 2 * channels * window;
    }

    int dims() {
        return dims(channels, window);
    }

    /** Most categories the state holds. */
    public int capacity() {
        return weights.length / dims();
    }

    /** Categories learnt so far. */
    public int categories() {
        return categories;
    }

    /** Readings in each channel's window. */
    public int window() {
        return window;
    }

    /** Calibration state of the novelty signal. */
    public SignalLevel level() {
        return level;
    }

    boolean fits(int channels, int window, int capacity, int levelWindow) {
        return this.channels == channels && this.window == window && capacity() == capacity
                && level.window() == levelWindow;
    }

    void copyFrom(NoveltyState o) {
        System.arraycopy(o.ring, 0, ring, 0, ring.length);
        System.arraycopy(o.weights, 0, weights, 0, weights.length);
        categories = o.categories;
        filled = o.filled;
        next = o.next;
        readings = o.readings;
        level.copyFrom(o.level);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoveltyState n && window == n.window && channels == n.channels
                && categories == n.categories && filled == n.filled && next == n.next && readings == n.readings
                && Arrays.equals(ring, n.ring) && Arrays.equals(weights, n.weights) && level.equals(n.level);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights) * 31 + readings;
    }
}
