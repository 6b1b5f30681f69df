package dev.vigil.lifecycle;

import dev.vigil.train.RetrainClock;

import java.util.HashSet;
import java.util.Set;

/**
 * When a key's request for the shared model starts a training. Every key asks on its own schedule (every
 * {@code retrainInterval} of its events, ...), so a fleet of K keys asks about K times per interval; the shared
 * model should be retrained about once per interval, not K times back to back (each new version re-warms every
 * key). So, once a shared model exists, a training starts only after as many requests as distinct keys have asked
 * so far; the others are covered by it. A first model (no shared model yet) is always due. The counts follow the
 * order in which the lifecycle sees the keys' events (one partition's order in the stream), so the stream and a
 * replay of the same order start the same trainings. Not thread-safe: one per {@link KeyLifecycle}.
 */
final class SharedModelSchedule {
    private final Set<String> keys = new HashSet<>();
    private long since;

    /** Whether this request should start a training (false: covered by the fleet's next one). */
    boolean due(String key, RetrainClock.Trigger trigger) {
        keys.add(key);
        return trigger == RetrainClock.Trigger.FIRST || ++since >= keys.size();
    }

    /** A training of the shared model started: the count starts again. */
    void started() {
        since = 0;
    }
}
