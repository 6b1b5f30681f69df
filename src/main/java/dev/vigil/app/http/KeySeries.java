package dev.vigil.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One key's most recent score records as the dashboard charts them: event time, the reading and the prediction per
 * channel, the anomaly score and the model version, oldest first, at most {@code capacity} (the oldest is dropped).
 * Arrays grow as the key's records arrive, so a key seen rarely costs little. Readings, predictions and scores are
 * kept as floats (a chart needs no more). Not thread-safe: {@link ScoreFeed} guards it.
 */
final class KeySeries {
    private static final int INITIAL = 64;

    private final int capacity;
    private final int channels;
    private final String[] channelNames;
    private long[] timestamps = new long[INITIAL];
    private float[] values;
    private float[] predictions;
    private float[] scores = new float[INITIAL];
    private int[] versions = new int[INITIAL];
    /** Index of the oldest point in the arrays. */
    private int head;
    private int size;

    /** @param channelNames the key's channels ({@code value} for a single-value topology) */
    KeySeries(int capacity, String[] channelNames) {
        this.capacity = capacity;
        this.channels = channelNames.length;
        this.channelNames = channelNames.clone();
        this.values = new float[INITIAL * channels];
        this.predictions = new float[INITIAL * channels];
    }

    int size() {
        return size;
    }

    int channels() {
        return channels;
    }

    /** Appends a point; {@code prediction} is null for a key's first event (no prediction). */
    void append(long timestamp, double[] value, double[] prediction, double score, long modelVersion) {
        if (size == timestamps.length && size < capacity) {
            grow(Math.min(capacity, size * 2));
        }
        int slot;
        if (size == timestamps.length) {
            slot = head;
            head = (head + 1) % timestamps.length;
        } else {
            slot = (head + size) % timestamps.length;
            size++;
        }
        timestamps[slot] = timestamp;
        for (int c = 0; c < channels; c++) {
            values[slot * channels + c] = (float) value[c];
            predictions[slot * channels + c] = prediction == null ? Float.NaN : (float) prediction[c];
        }
        scores[slot] = (float) score;
        versions[slot] = (int) Math.min(Integer.MAX_VALUE, modelVersion);
    }

    private void grow(int length) {
        long[] t = new long[length];
        float[] r = new float[length * channels];
        float[] p = new float[length * channels];
        float[] s = new float[length];
        int[] v = new int[length];
        for (int i = 0; i < size; i++) {
            int from = (head + i) % timestamps.length;
            t[i] = timestamps[from];
            System.arraycopy(values, from * channels, r, i * channels, channels);
            System.arraycopy(predictions, from * channels, p, i * channels, channels);
            s[i] = scores[from];
            v[i] = versions[from];
        }
        timestamps = t;
        values = r;
        predictions = p;
        scores = s;
        versions = v;
        head = 0;
    }

    /**
     * The points with event time after {@code since} (all with {@link Long#MIN_VALUE}) as arrays:
     * {@code timestamps}, {@code values} and {@code predictions} (one array per channel name; a value or prediction is
     * null where there was none: a counter channel's first reading, a key's first prediction),
     * {@code scores}, {@code modelVersions}.
     */
    void write(ObjectNode out, long since) {
        int first = 0;
        while (first < size && timestamps[(head + first) % timestamps.length] <= since) {
            first++;
        }
        ArrayNode t = out.putArray("timestamps");
        ArrayNode s = out.putArray("scores");
        ArrayNode v = out.putArray("modelVersions");
        ArrayNode[] r = new ArrayNode[channels];
        ArrayNode[] p = new ArrayNode[channels];
        ObjectNode valuesByChannel = out.putObject("values");
        ObjectNode predictionsByChannel = out.putObject("predictions");
        for (int c = 0; c < channels; c++) {
            r[c] = valuesByChannel.putArray(channelNames[c]);
            p[c] = predictionsByChannel.putArray(channelNames[c]);
        }
        for (int i = first; i < size; i++) {
            int slot = (head + i) % timestamps.length;
            t.add(timestamps[slot]);
            s.add(scores[slot]);
            v.add(versions[slot]);
            for (int c = 0; c < channels; c++) {
                addOrNull(r[c], values[slot * channels + c]);
                addOrNull(p[c], predictions[slot * channels + c]);
            }
        }
    }

    /** {@code x}, or null where it is NaN (no value there). */
    private static void addOrNull(ArrayNode out, float x) {
        if (Float.isNaN(x)) {
            out.addNull();
        } else {
            out.add(x);
        }
    }
}
