package dev.vigil.stream;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What each task's {@link ModelStoreUpdater} changed in its model store, so that the task's {@link ModelCache} reads
 * the store's {@link ModelGeneration} only after a change rather than on every event, and re-reads a key's payload
 * only when that key changed rather than after any change. Only the updater writes a task's model store, on the task's
 * own thread, so a count that has not moved since the cache last read the generation means the generation has not
 * moved either, and a key the updater has not changed since generation g holds the payload it held at g. The record
 * is a signal, not state: the generation in the store stays the authority, it covers only the changes since the
 * updater's (re)initialisation (a store restored from its changelog, or changed on another instance meanwhile, is
 * taken as it is then), and a cache made at a task's (re)initialisation reads the generation first. One per topology
 * build, shared by its processors; thread-safe.
 */
final class ModelStoreChanges {
    private final ConcurrentHashMap<String, Task> tasks = new ConcurrentHashMap<>();

    /** The changes of the model store {@code storeAndTask} ({@code <store>/<task id>}), made on first use. */
    Task of(String storeAndTask) {
        return tasks.computeIfAbsent(storeAndTask, k -> new Task());
    }

    /** One task's model store: a change count, and the generation of each key's last change since tracking began. */
    static final class Task {
        private final AtomicLong count = new AtomicLong();
        private final ConcurrentHashMap<String, Long> changedAt = new ConcurrentHashMap<>();
        /** The store's generation when tracking began; nothing known before it (Long.MAX_VALUE: not begun). */
        private volatile long trackedSince = Long.MAX_VALUE;

        /** Changes counted so far (moves after every change). */
        long count() {
            return count.get();
        }

        /**
         * The updater (re)initialised over a store whose generation is {@code generation} ({@link
         * ModelGeneration#UNKNOWN} for none): what was recorded before is forgotten (the store may have been restored or
         * changed elsewhere meanwhile) and tracking starts again from there.
         */
        void restart(long generation) {
            changedAt.clear();
            trackedSince = generation;
            count.incrementAndGet();
        }

        /** The updater changed {@code key}'s payload, raising the store's generation to {@code generation}. */
        void changed(String key, long generation) {
            changedAt.put(key, generation);
            count.incrementAndGet();
        }

        /**
         * Whether {@code key}'s payload is the one it had at store generation {@code generation}: tracking covers that
         * generation and the updater has not changed the key after it.
         */
        boolean unchangedSince(String key, long generation) {
            long since = trackedSince;
            return since != Long.MAX_VALUE && generation >= since && changedAt.getOrDefault(key, Long.MIN_VALUE) <= generation;
        }
    }
}
