package dev.vigil.stream;

import dev.vigil.detect.DetectorState;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The states a detector task saved and has not written yet ({@code states.replayEvents} R &gt; 0; none at 0), and its
 * replay offset, for {@link DetectorStores}. A key's state is held from its first unwritten event until the event R
 * offsets of the partition later, or {@value #MAX_HELD_MS} ms of wall time later (at an event, or at the task's
 * punctuation {@link #WRITE_CHECK_MS} apart, for a partition gone quiet), then written, so that its events in that
 * stretch write one record and queries of the stores are at most that far behind. The store's entry under {@link
 * #REPLAY_FROM} holds an offset at or before the first unwritten event of every state held: it is stored when the
 * first state is held and moved on when that offset has moved by R/2 (or past the latest event when nothing is held),
 * so it is written about once per R/2 events of the partition, not once per event. Not thread-safe; one per {@link
 * DetectorStores}.
 */
final class WriteBehind {
    /** The store's key of the task's replay offset: no event has an empty key, and 8 bytes are no state. */
    static final String REPLAY_FROM = "";
    /** No replay offset stored. */
    static final long NONE = -1;
    /** Longest a state is held, wall time: bounds how far behind queries of the stores are on a slow partition. */
    static final long MAX_HELD_MS = 30_000;
    /** Wall time between a task's checks for states held too long when its partition is quiet. */
    static final long WRITE_CHECK_MS = 5_000;

    /** Writes a key's state, with its history head and the input offset of its latest event, to the store. */
    @FunctionalInterface
    interface Writer {
        void write(String key, DetectorState state, HistoryHead head, long offset);
    }

    /** A saved state not written yet. */
    static final class Unwritten {
        /** The input offset of the key's first event the store does not hold. */
        final long since;
        /** The wall time it was first held at. */
        final long sinceMs;
        /** Its estimated heap, counted in the instance's bound while held. */
        final long bytes;
        long offset;
        DetectorState state;
        HistoryHead head;

        Unwritten(long since, long sinceMs, long bytes) {
            this.since = since;
            this.sinceMs = sinceMs;
            this.bytes = bytes;
        }
    }

    private final KeyValueStore<String, byte[]> states;
    private final long replayEvents;
    private final Writer writer;
    private final DecodedStates bound;
    private final java.util.function.LongSupplier stateBytes;
    /** In the order of their first unwritten event. */
    private final LinkedHashMap<String, Unwritten> held = new LinkedHashMap<>();
    /** The replay offset as the store holds it, {@link #NONE}: none. */
    private long replayFrom = NONE;
    /** Every state held was written ({@link #drain}): from here on each is written at its event. */
    private boolean draining;

    /**
     * @param replayEvents R: states held at most this many offsets of the partition; 0: none held
     * @param bound        counts the heap of the instance's held states ({@link DecodedStates#held}): past its bound
     *                     a task writes its oldest held states early
     * @param stateBytes   the estimated heap of a state held
     */
    WriteBehind(KeyValueStore<String, byte[]> states, long replayEvents, Writer writer, DecodedStates bound,
                java.util.function.LongSupplier stateBytes) {
        this.states = states;
        this.replayEvents = replayEvents;
        this.writer = writer;
        this.bound = bound;
        this.stateBytes = stateBytes;
    }

    /** Whether states are held behind their events at all (R &gt; 0). */
    boolean holding() {
        return replayEvents > 0;
    }

    /** The key's state held, or null. */
    Unwritten get(String key) {
        return held.isEmpty() ? null : held.get(key);
    }

    /** Stops holding the key's state (it is written, or deleted, now); returns what was held, or null. */
    Unwritten remove(String key) {
        Unwritten u = held.isEmpty() ? null : held.remove(key);
        if (u != null) {
            bound.held(-u.bytes);
        }
        return u;
    }

    /**
     * Holds the key's state saved at the event of input offset {@code offset}, wall time {@code nowMs}; false when
     * states are not held (R = 0, or the offset is not known), which the caller then writes.
     */
    boolean hold(String key, DetectorState state, HistoryHead head, long offset, long nowMs) {
        if (replayEvents == 0 || offset < 0 || draining) {
            return false;
        }
        Unwritten u = held.get(key);
        boolean added = u == null;
        if (added) {
            if (replayFrom == NONE) {
                store(offset);
            }
            u = new Unwritten(offset, nowMs, stateBytes.getAsLong());
            held.put(key, u);
        }
        u.offset = offset;
        // a key's state and head are updated in place: stores only when they are new objects (a reference stored in
        // an old-generation object at every event is a card G1 scans at every young collection)
        if (u.state != state) {
            u.state = state;
        }
        if (u.head != head) {
            u.head = head;
        }
        if (added && bound.held(u.bytes)) {
            // the instance's held states over their bound: this task's oldest written until within it, or until it
            // holds none (the key just held included: it is then written with its event)
            writeOldest(oldest -> bound.heldOver());
        }
        return true;
    }

    /** Writes this task's held states, oldest first, while {@code due} says the oldest left is to be written. */
    private void writeOldest(java.util.function.Predicate<Unwritten> due) {
        var oldest = held.entrySet().iterator();
        while (oldest.hasNext()) {
            var e = oldest.next();
            Unwritten u = e.getValue();
            if (!due.test(u)) {
                return;
            }
            writer.write(e.getKey(), u.state, u.head, u.offset);
            oldest.remove();
            bound.held(-u.bytes);
        }
    }

    /**
     * At the event of input offset {@code offset} (or, for a quiet partition, after it), wall time {@code nowMs}:
     * writes the states whose first unwritten event is R or more offsets before it or was held {@value #MAX_HELD_MS}
     * ms ago or more, and moves the stored replay offset on when it has by R/2.
     */
    void due(long offset, long nowMs) {
        if (replayEvents == 0 || offset < 0) {
            return;
        }
        // its own loop, not writeOldest with a predicate: it runs at every event, and a capturing lambda would be
        // allocated at each
        var oldest = held.entrySet().iterator();
        while (oldest.hasNext()) {
            var e = oldest.next();
            Unwritten u = e.getValue();
            if (u.since > offset - replayEvents && u.sinceMs > nowMs - MAX_HELD_MS) {
                break;
            }
            writer.write(e.getKey(), u.state, u.head, u.offset);
            oldest.remove();
            bound.held(-u.bytes);
        }
        long from = held.isEmpty() ? offset + 1 : held.values().iterator().next().since;
        // moved on by R/2 at a time, or to the latest event once nothing is held (a quiet partition replays nothing)
        if (replayFrom != NONE && from > replayFrom
                && (held.isEmpty() || from - replayFrom >= Math.max(1, replayEvents / 2))) {
            store(from);
        }
    }

    /**
     * Writes every state held and sets the replay offset to {@code next}, the input offset after the latest event
     * (deletes it when states are no longer held, R = 0, as after a restart that turned writing behind off).
     */
    void writeAll(long next) {
        writeOldest(u -> true);
        if (replayFrom == NONE) {
            return;
        }
        if (replayEvents == 0) {
            states.delete(REPLAY_FROM);
            replayFrom = NONE;
        } else if (next > replayFrom) {
            store(next);
        }
    }

    /**
     * Writes every state held, sets the replay offset to {@code next} (the input offset after the latest event), and
     * holds no state from here on: each is written at its event, with its offset as before, so that the replay
     * offset moves with the latest event. The instance is about to close its Streams application, whose last commit
     * then holds every event's state, and a start after it replays nothing.
     */
    void drain(long next) {
        writeAll(next);
        draining = true;
    }

    /** Whether {@link #drain} was called. */
    boolean draining() {
        return draining;
    }

    /**
     * Reads the task's stored replay offset ({@link #NONE}: none), at its start: its states hold every event of its
     * partition before it, and each holds its key's events after it up to the offset it was written with.
     */
    long readReplayFrom() {
        byte[] stored = states.get(REPLAY_FROM);
        replayFrom = stored == null || stored.length != Long.BYTES ? NONE : ByteBuffer.wrap(stored).getLong();
        return replayFrom;
    }

    /** The states held, oldest first (to read, not to change). */
    Iterable<Map.Entry<String, Unwritten>> entries() {
        return held.entrySet();
    }

    /** Drops every state held: the task closes, and a restart replays them. */
    void clear() {
        long bytes = 0;
        for (Unwritten u : held.values()) {
            bytes += u.bytes;
        }
        held.clear();
        bound.held(-bytes);
    }

    private void store(long offset) {
        states.put(REPLAY_FROM, ByteBuffer.allocate(Long.BYTES).putLong(offset).array());
        replayFrom = offset;
    }
}
