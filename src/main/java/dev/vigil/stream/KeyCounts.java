package dev.vigil.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many keys the detector tasks of one topology in this instance hold a state for: each task counts its store's
 * keys when it starts (one scan), then each key whose first state it saves and each it forgets, and drops its count
 * when it closes (its partition moved away). Exact, and read without touching a store. Thread-safe.
 */
public final class KeyCounts {
    private final Map<String, Long> byTask = new ConcurrentHashMap<>();

    /** Keys held now by this instance's tasks of the topology. */
    public long total() {
        long n = 0;
        for (long c : byTask.values()) {
            n += c;
        }
        return n;
    }

    void set(String task, long keys) {
        byTask.put(task, keys);
    }

    void add(String task, long delta) {
        byTask.merge(task, delta, Long::sum);
    }

    void remove(String task) {
        byTask.remove(task);
    }
}
