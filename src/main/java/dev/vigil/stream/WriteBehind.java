package dev.vigil.stream;

import dev.vigil.detect.DetectorState;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The states a detector task saved and has not written yet ({@code states.replayEvents} R &gt; 0; none at 0), and its
 * replay offset, for {@link DetectorStores}. A key's state is held from its first unwritten event until the event R
 * offsets of the partition later, or {@value #MAX_HELD_MS} ms of wall time later (at an event, or at the task's
 * punctuation {@link #WRITE_CHECK_MS} apart, for a partition gone quiet), then written, so that its events in that
 * stretch write one record and queries of the stores are at most that far behind. A key whose next event would come
 * past that point is written at its own event instead ({@link Hold#WRITE_NOW}), while its objects are in the CPU's
 * caches, and stays here, written, until that next event (a lookup fewer, and nothing made, at each of its events),
 * or, with none for R offsets, goes to the instance's {@link DecodedStates} unwritten again. The store's entry
 * under {@link #REPLAY_FROM} holds an offset at or before the first unwritten event of every state held: it is stored
 * when the first state is held and moved on when that offset has moved by R/2 or {@value #REPLAY_MOVE_MS} ms of wall
 * time after it was last moved, whichever comes first (or past the latest event when nothing is held): written once
 * per R/2 events or {@value #REPLAY_MOVE_MS} ms, not once per event, and at a live rate a crash replays about the last
 * {@value #MAX_HELD_MS} plus {@value #REPLAY_MOVE_MS} ms of the partition (1.5 R offsets if fewer). Not thread-safe;
 * one per {@link DetectorStores}.
 */
final class WriteBehind {
    /** The store's key of the task's replay offset: no event has an empty key, and 8 bytes are no state. */
    static final String REPLAY_FROM = "";
    /** No replay offset stored. */
    static final long NONE = -1;
    /** Longest a state is held, wall time: bounds how far behind queries of the stores are on a slow partition. */
    static final long MAX_HELD_MS = 30_000;
    /** Wall time after which the replay offset moves on however few offsets it moved by (R/2 at full speed). */
    static final long REPLAY_MOVE_MS = 10_000;
    /** Wall time between a task's checks for states held too long when its partition is quiet. */
    static final long WRITE_CHECK_MS = 5_000;

    /** Writes a key's state, with its history head and the input offset of its latest event, to the store. */
    @FunctionalInterface
    interface Writer {
        void write(String key, DetectorState state, HistoryHead head, long offset);
    }

    /** What {@link #hold} did with a key's state. */
    enum Hold {
        /** Held: written later, with its events since. */
        HELD,
        /** Held, and due now: the caller writes it to the store while its objects are fresh ({@link #written}). */
        WRITE_NOW,
        /** Not held (R = 0, the offset not known, or draining): the caller writes it and keeps nothing here. */
        NOT_HELD
    }

    /**
     * A key's saved state held here: unwritten (its events since {@link #since} not in the store), or written at its
     * own latest event and kept ({@link #clean}) so that the key's next event finds it without another lookup. Entries
     * form one list in the order of {@link #since}, oldest first, linked through themselves so that moving one to the
     * end allocates nothing.
     */
    static final class Unwritten {
        final String key;
        /** Its estimated heap, counted in the instance's bound while held. */
        final long bytes;
        /** The input offset of the key's first event the store does not hold (clean: the one after its write). */
        long since;
        /** The wall time it was first held at (clean: written at). */
        long sinceMs;
        /** The input offset of the key's latest event. */
        long offset;
        /** Written with its latest event: the store holds it. */
        boolean clean;
        /** Bytes of the store's value when it was last written here ({@link #written}); 0: not written here. */
        int storedBytes;
        DetectorState state;
        HistoryHead head;
        private Unwritten older;
        private Unwritten newer;

        Unwritten(String key, long bytes) {
            this.key = key;
            this.bytes = bytes;
        }
    }

    /** Takes a key held out of this task (it was written or is deleted), with what it holds of the key. */
    @FunctionalInterface
    interface Release {
        void release(String key, DetectorState state, HistoryHead head, long offset, int storedBytes);
    }

    private final KeyValueStore<String, byte[]> states;
    private final long replayEvents;
    private final Writer writer;
    private final Release release;
    private final DecodedStates bound;
    private final java.util.function.LongSupplier stateBytes;
    private final HashMap<String, Unwritten> held = new HashMap<>();
    /** The oldest entry held (by {@link Unwritten#since}), and the newest; null: none. */
    private Unwritten oldest;
    private Unwritten newest;
    /** The replay offset as the store holds it, {@link #NONE}: none. */
    private long replayFrom = NONE;
    /** The wall time the replay offset was last stored at by {@link #hold} or {@link #due} (0: not yet). */
    private long replayMovedMs;
    /** Every state held was written ({@link #drain}): from here on each is written at its event. */
    private boolean draining;
    /** The entry {@link #hold} last answered {@link Hold#WRITE_NOW} for, until {@link #written}; else null. */
    private Unwritten writeNow;

    /**
     * @param replayEvents R: states held at most this many offsets of the partition; 0: none held
     * @param writer       writes a key's state to the store (and the instance's {@link DecodedStates})
     * @param release      hands a written key's state to the instance's {@link DecodedStates} as it leaves this task
     * @param bound        counts the heap of the instance's held states ({@link DecodedStates#held}): past its bound
     *                     a task writes its oldest held states early
     * @param stateBytes   the estimated heap of a state held
     */
    WriteBehind(KeyValueStore<String, byte[]> states, long replayEvents, Writer writer, Release release,
                DecodedStates bound, java.util.function.LongSupplier stateBytes) {
        this.states = states;
        this.replayEvents = replayEvents;
        this.writer = writer;
        this.release = release;
        this.bound = bound;
        this.stateBytes = stateBytes;
    }

    /** Whether states are held behind their events at all (R &gt; 0). */
    boolean holding() {
        return replayEvents > 0;
    }

    /** The key's state held (unwritten, or written at its latest event and kept), or null. */
    Unwritten get(String key) {
        return held.isEmpty() ? null : held.get(key);
    }

    /** Stops holding the key's state (it is written, or deleted, now); returns what was held, or null. */
    Unwritten remove(String key) {
        Unwritten u = held.isEmpty() ? null : held.remove(key);
        if (u != null) {
            unlink(u);
            bound.held(-1, -u.bytes);
        }
        return u;
    }

    /**
     * Holds the key's state saved at the event of input offset {@code offset}, wall time {@code nowMs}. {@link
     * Hold#WRITE_NOW} when it would be due before the key's next event, were that as far from this one as this one is
     * from the key's last: the caller writes it now, while its objects are in the CPU's caches (a state written by
     * {@link #due} is one no event touched for R offsets), and tells {@link #written}. {@link Hold#NOT_HELD} when
     * states are not held (R = 0, the offset not known, draining): the caller writes it.
     */
    Hold hold(String key, DetectorState state, HistoryHead head, long offset, long nowMs) {
        if (replayEvents == 0 || offset < 0 || draining) {
            return Hold.NOT_HELD;
        }
        Unwritten u = held.get(key);
        boolean added = u == null;
        long previous = offset;
        if (added) {
            if (replayFrom == NONE) {
                store(offset);
                replayMovedMs = nowMs;
            }
            u = new Unwritten(key, stateBytes.getAsLong());
            held.put(key, u);
            restart(u, offset, nowMs);
        } else {
            previous = u.offset;
            if (u.clean) {
                u.clean = false;
                unlink(u);
                restart(u, offset, nowMs);
            }
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
        if (added && bound.held(1, u.bytes)) {
            // the instance's held states over their bound: this task's oldest written until within it, or until it
            // holds none (the key just held included: it is then written with its event)
            writeOldest(false);
            return Hold.HELD;
        }
        if (!added && offset + (offset - previous) >= u.since + replayEvents) {
            writeNow = u;
            return Hold.WRITE_NOW;
        }
        return Hold.HELD;
    }

    /**
     * The state {@link #hold} just answered {@link Hold#WRITE_NOW} for was written with its latest event, as {@code
     * storedBytes}: kept, clean, behind every other, until its next event holds it again or R offsets pass without one.
     */
    void written(int storedBytes, long nowMs) {
        Unwritten u = writeNow;
        writeNow = null;
        u.clean = true;
        u.storedBytes = storedBytes;
        unlink(u);
        restart(u, u.offset + 1, nowMs);
    }

    /** Puts {@code u} behind every other entry, first unwritten at {@code since}. */
    private void restart(Unwritten u, long since, long nowMs) {
        u.since = since;
        u.sinceMs = nowMs;
        u.older = newest;
        if (newest == null) {
            oldest = u;
        } else {
            newest.newer = u;
        }
        newest = u;
    }

    private void unlink(Unwritten u) {
        if (u.older == null) {
            oldest = u.newer;
        } else {
            u.older.newer = u.newer;
        }
        if (u.newer == null) {
            newest = u.older;
        } else {
            u.newer.older = u.older;
        }
        u.older = null;
        u.newer = null;
    }

    /**
     * Takes this task's oldest entry out: writes it when unwritten, hands it to the instance's {@link DecodedStates}
     * when written here already.
     */
    private void writeOut(Unwritten u) {
        held.remove(u.key);
        unlink(u);
        bound.held(-1, -u.bytes);
        if (u.clean) {
            release.release(u.key, u.state, u.head, u.offset, u.storedBytes);
        } else {
            writer.write(u.key, u.state, u.head, u.offset);
        }
    }

    /** Writes this task's held states, oldest first: all of them, or ({@code all} false) until within the bound. */
    private void writeOldest(boolean all) {
        while (oldest != null && (all || bound.heldOver())) {
            writeOut(oldest);
        }
    }

    /**
     * At the event of input offset {@code offset} (or, for a quiet partition, after it), wall time {@code nowMs}:
     * writes the states whose first unwritten event is R or more offsets before it or was held {@value #MAX_HELD_MS}
     * ms ago or more, and moves the stored replay offset on when it has by R/2 or was last moved {@value
     * #REPLAY_MOVE_MS} ms ago or more.
     */
    void due(long offset, long nowMs) {
        if (replayEvents == 0 || offset < 0) {
            return;
        }
        while (oldest != null && (oldest.since <= offset - replayEvents || oldest.sinceMs <= nowMs - MAX_HELD_MS)) {
            writeOut(oldest);
        }
        long from = oldest == null ? offset + 1 : oldest.since;
        // moved on by R/2 at a time or every REPLAY_MOVE_MS, or to the latest event once nothing is held (a quiet
        // partition replays nothing)
        if (replayFrom != NONE && from > replayFrom && (oldest == null
                || from - replayFrom >= Math.max(1, replayEvents / 2) || nowMs - replayMovedMs >= REPLAY_MOVE_MS)) {
            store(from);
            replayMovedMs = nowMs;
        }
    }

    /**
     * Writes every state held and sets the replay offset to {@code next}, the input offset after the latest event
     * (deletes it when states are no longer held, R = 0, as after a restart that turned writing behind off).
     */
    void writeAll(long next) {
        writeOldest(true);
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

    /** The states held, written here or not (to read, not to change). */
    Iterable<Map.Entry<String, Unwritten>> entries() {
        return held.entrySet();
    }

    /** Drops every state held: the task closes, and a restart replays them. */
    void clear() {
        long bytes = 0;
        for (Unwritten u : held.values()) {
            bytes += u.bytes;
        }
        bound.held(-held.size(), -bytes);
        held.clear();
        oldest = null;
        newest = null;
    }

    private void store(long offset) {
        states.put(REPLAY_FROM, ByteBuffer.allocate(Long.BYTES).putLong(offset).array());
        replayFrom = offset;
    }
}
