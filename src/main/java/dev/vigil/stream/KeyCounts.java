package dev.vigil.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many keys the detector tasks of one topology in this instance hold a state for: each task's {@link
 * DetectorStores} counts its store's keys when the task starts (one scan), then each key whose first state it saves and
 * each it forgets, in a counter of its own here; the task drops it when it closes (its partition moved away). Exact,
 * and read without touching a store. Thread-safe.
 */
public final class KeyCounts {
    private final Map<String, AtomicLong> byTask = new ConcurrentHashMap<>();

    /** Keys held now by this instance's tasks of the topology. */
    public long total() {
        long n = 0;
        for (AtomicLong c : byTask.values()) {
            n += c.get();
        }
        return n;
    }

    /** A new counter for task {@code task}, replacing any it had. */
    AtomicLong task(String task) {
        AtomicLong counter = new AtomicLong();
        byTask.put(task, counter);
        return counter;
    }

    void remove(String task) {
        byTask.remove(task);
    }
}
