package dev.vigil.stream;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the changes each task's {@link ModelStoreUpdater} made to its model store, so that the task's
 * {@link ModelCache} reads the store's {@link ModelGeneration} only after one rather than on every event. Only the
 * updater writes a task's model store, on the task's own thread, so a count that has not moved since the cache last
 * read the generation means the generation has not moved either. The count is a signal, not state: the generation in
 * the store stays the authority, and a cache made at a task's (re)initialisation reads it first. One per topology
 * build, shared by its processors; thread-safe.
 */
final class ModelStoreChanges {
    private final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** The change count of the model store {@code storeAndTask} ({@code <store>/<task id>}), made on first use. */
    AtomicLong of(String storeAndTask) {
        return counts.computeIfAbsent(storeAndTask, k -> new AtomicLong());
    }
}
