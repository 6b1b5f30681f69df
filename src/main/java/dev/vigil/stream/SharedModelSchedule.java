package dev.vigil.stream;

import dev.vigil.train.RetrainClock;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a request for the shared model starts a training. Every key asks on its own schedule (every
 * {@code retrainInterval} of its events, ...), so a fleet of K keys asks about K times per interval; the shared
 * model should be retrained about once per interval, not K times back to back (each new version re-warms every
 * key). So, once a shared model exists, a training starts only after as many requests as distinct keys have asked
 * so far on this instance; the others are covered by it. A first model (no shared model yet) is always due.
 * Thread-safe.
 */
final class SharedModelSchedule {
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final AtomicLong since = new AtomicLong();

    /** Whether this request should start a training (false: covered by the fleet's next one). */
    boolean due(String key, RetrainClock.Trigger trigger) {
        keys.add(key);
        return trigger == RetrainClock.Trigger.FIRST || since.incrementAndGet() >= keys.size();
    }

    /** A training of the shared model was queued: the count starts again. */
    void started() {
        since.set(0);
    }
}
