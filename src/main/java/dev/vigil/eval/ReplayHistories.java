package dev.vigil.eval;

import dev.vigil.detect.HistoryWindow;
import dev.vigil.lifecycle.KeyHistory;

import java.util.HashMap;
import java.util.Map;

/** The keys' history windows of a replay, in memory. Not thread-safe. */
final class ReplayHistories implements KeyHistory {
    private final int capacity;
    private final int channels;
    private final Map<String, HistoryWindow> windows = new HashMap<>();

    ReplayHistories(int capacity, int channels) {
        this.capacity = capacity;
        this.channels = channels;
    }

    @Override
    public HistoryWindow load(String key) {
        return windows.computeIfAbsent(key, k -> new HistoryWindow(capacity, channels));
    }

    @Override
    public int append(String key, long timestamp, double[] reading, HistoryWindow loaded) {
        HistoryWindow window = load(key);
        window.append(timestamp, reading);
        return window.size();
    }
}
