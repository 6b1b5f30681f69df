package dev.vigil.detect;

import dev.vigil.ShapeMismatchException;

/**
 * The most recent accepted readings of one key, oldest first: a bounded ring of (timestamp, values).
 * Re-warming after a model swap and (re)training read it. Mutable, not thread-safe.
 */
public final class HistoryWindow {
    private final int capacity;
    private final int channels;
    private final long[] timestamps;
    private final double[] values;
    private int size;
    private int next;

    public HistoryWindow(int capacity, int channels) {
        if (capacity < 1 || channels < 1) {
            throw new ShapeMismatchException("history needs capacity >= 1 and channels >= 1, got "
                    + capacity + " and " + channels);
        }
        this.capacity = capacity;
        this.channels = channels;
        this.timestamps = new long[capacity];
        this.values = new double[capacity * channels];
    }

    public int capacity() {
        return capacity;
    }

    public int channels() {
        return channels;
    }

    public int size() {
        return size;
    }

    /** Appends a reading, evicting the oldest when full. */
    public void append(long timestamp, double[] reading) {
        if (reading.length != channels) {
            throw new ShapeMismatchException("history has " + channels + " channels, reading has " + reading.length);
        }
        timestamps[next] = timestamp;
        System.arraycopy(reading, 0, values, next * channels, channels);
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    /** Timestamp of the i-th reading, 0 = oldest. */
    public long timestamp(int i) {
        return timestamps[slot(i)];
    }

    /** Value of channel c of the i-th reading, 0 = oldest. */
    public double value(int i, int c) {
        return values[slot(i) * channels + c];
    }

    /** Copies the i-th reading (0 = oldest) into {@code out}. */
    public void copyReading(int i, double[] out) {
        System.arraycopy(values, slot(i) * channels, out, 0, channels);
    }

    /** The last {@code n} readings (n ≤ size), oldest first, as a new [n][channels] array. */
    public double[][] lastReadings(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException("asked for " + n + " readings, history holds " + size);
        }
        double[][] out = new double[n][channels];
        for (int i = 0; i < n; i++) {
            copyReading(size - n + i, out[i]);
        }
        return out;
    }

    /**
     * A new window of capacity {@code capacity} holding the newest {@code count} readings that precede the newest
     * {@code skipNewest} ones (fewer when the window holds fewer), oldest first: this window as it was {@code
     * skipNewest} appends ago, cut to its newest {@code count} readings.
     */
    public HistoryWindow before(int skipNewest, int count, int capacity) {
        if (skipNewest < 0 || count < 0 || capacity < count) {
            throw new IllegalArgumentException("skipNewest and count must be >= 0 and count <= capacity, got "
                    + skipNewest + ", " + count + ", " + capacity);
        }
        int end = Math.max(0, size - skipNewest);
        int start = Math.max(0, end - count);
        HistoryWindow out = new HistoryWindow(Math.max(1, capacity), channels);
        double[] reading = new double[channels];
        for (int i = start; i < end; i++) {
            copyReading(i, reading);
            out.append(timestamp(i), reading);
        }
        return out;
    }

    private int slot(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("reading " + i + " of " + size);
        }
        return (next - size + i + capacity) % capacity;
    }
}
