package dev.vigil.lifecycle;

import dev.vigil.detect.HistoryWindow;

import java.util.HashMap;
import java.util.Map;

/** The keys' history windows in memory, for a lifecycle without Kafka (a replay, tests). Not thread-safe. */
public final class InMemoryHistories implements KeyHistory {
    private final int capacity;
    private final int channels;
    private final Map<String, HistoryWindow> windows = new HashMap<>();

    public InMemoryHistories(int capacity, int channels) {
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
