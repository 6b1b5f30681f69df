package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.detect.DetectorStateBytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scans of a detector task's whole state store, for {@link DetectorStores}: the keys idle for long, now and then, and
 * the count of its keys at the task's start. A state held behind its events ({@link WriteBehind}) is judged as held,
 * not as the store has it; the task's replay offset ({@link WriteBehind#REPLAY_FROM}) is no key. Not thread-safe; one
 * per {@link DetectorStores}.
 */
final class StateScans {
    private final KeyValueStore<String, byte[]> states;
    private final WriteBehind unwritten;
    private final AtomicLong keysHeld;
    /** Keys the last {@link #idleKeys} scan read. */
    private long scanned;

    /** @param keysHeld the task's count of the keys the store holds, set by {@link #countKeys} */
    StateScans(KeyValueStore<String, byte[]> states, WriteBehind unwritten, AtomicLong keysHeld) {
        this.states = states;
        this.unwritten = unwritten;
        this.keysHeld = keysHeld;
    }

    /**
     * The keys whose latest event time is before {@code before}, from every state the store holds (a state that does
     * not decode is left to be restarted at its key's next event). Reads the whole store: for a scan now and then.
     */
    List<String> idleKeys(long before) {
        List<String> idle = new ArrayList<>();
        scanned = 0;
        try (KeyValueIterator<String, byte[]> all = states.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                if (entry.key.equals(WriteBehind.REPLAY_FROM) || unwritten.get(entry.key) != null) {
                    continue;
                }
                scanned++;
                try {
                    if (DetectorStateBytes.lastTimestamp(entry.value) < before) {
                        idle.add(entry.key);
                    }
                } catch (BadBytesException e) {
                    // not judged: the key restarts at its next event as any unreadable state does
                }
            }
        }
        for (var e : unwritten.entries()) {
            scanned++;
            if (e.getValue().state.lastTimestamp() < before) {
                idle.add(e.getKey());
            }
        }
        return idle;
    }

    /**
     * A task's start, in one scan: counts the keys whose state the store holds (the count then moves with saves and
     * deletes) and, with {@code eventTimes}, returns the latest event time among them, where the task's clock for idle
     * keys starts; {@link Long#MIN_VALUE} without it, or when no state decodes.
     */
    long countKeys(boolean eventTimes) {
        long n = 0;
        long newest = Long.MIN_VALUE;
        try (KeyValueIterator<String, byte[]> all = states.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                if (entry.key.equals(WriteBehind.REPLAY_FROM)) {
                    continue;
                }
                byte[] state = entry.value;
                n++;
                if (eventTimes) {
                    try {
                        newest = Math.max(newest, DetectorStateBytes.lastTimestamp(state));
                    } catch (BadBytesException e) {
                        // an unreadable state has no time to give
                    }
                }
            }
        }
        keysHeld.set(n);
        return newest;
    }

    /** Keys the last {@link #idleKeys} scan read (those it found idle among them). */
    long scanned() {
        return scanned;
    }
}
