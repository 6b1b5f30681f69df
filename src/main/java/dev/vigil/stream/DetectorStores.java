package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateBytes;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lifecycle.KeyHistory;
import dev.vigil.lifecycle.KeyOutcome;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Loads and saves a key's detector state and history window: the state with the history's head in one value of the
 * state store, the history's closed blocks in the history store (a {@link HistoryRing}: an accepted event appends one
 * reading to the key's head, a block is written every {@value HistoryRing#BLOCK} readings, and the window is read
 * whole only when a model swap re-warms the key), so that an event costs one get and one put. Stored bytes that
 * cannot be used are not a reason to stop the stream, nor ever scored from: a state that does not decode (another
 * format version, truncated, checksum mismatch; its history head with it) or was written for another shape
 * (channels, hidden size, layers, short window: the topology's detector settings changed) is replaced by a fresh
 * state, counted ({@link VigilMetrics#STATE_DISCARDED}) and logged with the key and the reason (at WARN the first
 * {@value DetectorProcessor#WARN_FIRST} of the task, then one in {@value DetectorProcessor#WARN_EVERY}; all at DEBUG);
 * the same for a history window that does not decode or has other channels. The key is reset, not restored: the
 * store is changelogged value for value, so the changelog holds the same bytes (damage to RocksDB's files is found
 * by its checksums, {@link StateDirectoryCheck}). A history written with another capacity keeps its newest readings
 * that fit (and is then rewritten whole). Nothing is written until the key's next accepted event. {@link #append}
 * and {@link #saveState} are for the key of the last {@link #loadState}. A saved state and head are also held, decoded,
 * in the instance's {@link DecodedStates} (within {@code states.cache.bytes}), where the key's next {@link #loadState}
 * finds them without reading the store; {@link #forget} drops a key whose loaded state was not saved, {@link #close}
 * all of them.
 *
 * <p>Written behind ({@code states.replayEvents} R &gt; 0): a saved state is held here, not written, until the event
 * R offsets of its partition after its first unwritten one, or its own last event before it ({@link WriteBehind}; or a
 * swap of its model, or a key forgotten), so that its events in that stretch write one record; each carries the
 * input offset of its latest event ({@link DetectorStateCodec#encode(DetectorState, byte[], long)}). The task's entry
 * under the empty key ({@link WriteBehind#REPLAY_FROM}, 8 bytes: no event has an empty key, and no state is that
 * short) holds an offset at or before the first event of every state not written; it moves on when that offset has
 * by R/2. A task that starts again (a restart, a crash, a rebalance) reads its input from there ({@link TaskReplay})
 * and runs each event its key's written state does not hold. One per processor (made at its {@code init}); not
 * thread-safe.
 */
final class DetectorStores implements KeyHistory {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorStores.class);
    private static final byte[] NO_HEAD = new byte[0];

    private final KeyValueStore<String, byte[]> states;
    private final HistoryRing histories;
    private final DetectorConfig config;
    private final Supplier<DetectorState> freshState;
    private final int historySize;
    private final Sensor discarded;
    private final DecodedStates decoded;
    /**
     * Bytes of the latest state value this detector read or wrote: what a state held behind is estimated by (a key's
     * value changes little from event to event); a mature key's before any.
     */
    private int lastValueBytes = 1_024;
    /** This detector's id in {@link #decoded}: its entries are valid while it runs its task. */
    private final long owner = DecodedStates.newOwner();
    private long discards;
    private final StateScans scans;
    /** The loaded key had no stored state: its first save adds a key to {@link #keysHeld}. */
    private boolean loadedNew;
    /** Keys whose state the store holds: counted by {@link StateScans#countKeys}, then moved by saves and deletes. */
    private final AtomicLong keysHeld;
    /** The states saved and not written yet (none unless written behind). */
    private final WriteBehind unwritten;
    /** The input offset of the latest event the loaded state holds. */
    private long loadedOffset;

    /** The key of the last {@link #loadState}, its history head (null: none) and why that head is unusable. */
    private String loadedKey;
    private HistoryHead head;
    private String headError;
    /** The loaded head is in the history store's {@code #h} entry (beside a state of format 4 or earlier). */
    private boolean headEntry;
    /** The loaded state and its head were read from the store and decode: {@link #alreadyHeld} may cache them. */
    private boolean loadedFromStore;

    /** Every state written at its save. */
    DetectorStores(KeyValueStore<String, byte[]> states, KeyValueStore<String, byte[]> histories, DetectorConfig config,
                   Supplier<DetectorState> freshState, int historySize, Sensor discarded, DecodedStates decoded,
                   AtomicLong keysHeld) {
        this(states, histories, config, freshState, historySize, discarded, decoded, keysHeld, 0);
    }

    /**
     * @param keysHeld     the task's count of the keys the store holds ({@link KeyCounts#task}), kept here
     * @param replayEvents states written behind, at most once per this many offsets of the partition; 0: at every
     *                     save
     */
    DetectorStores(KeyValueStore<String, byte[]> states, KeyValueStore<String, byte[]> histories, DetectorConfig config,
                   Supplier<DetectorState> freshState, int historySize, Sensor discarded, DecodedStates decoded,
                   AtomicLong keysHeld, long replayEvents) {
        this.unwritten = new WriteBehind(states, replayEvents, this::write,
                (key, state, head, offset, bytes) -> decoded.put(owner, key, state, head, offset, bytes), decoded,
                () -> DecodedStates.entryBytes(lastValueBytes, config.channels()));
        this.states = states;
        this.decoded = decoded;
        this.histories = new HistoryRing(histories);
        this.config = config;
        this.freshState = freshState;
        this.historySize = historySize;
        this.discarded = discarded;
        this.keysHeld = keysHeld;
        this.scans = new StateScans(states, unwritten, keysHeld);
    }

    /** The key's state, and (held until its state is saved) its history head. */
    DetectorState loadState(String key) {
        loadedKey = key;
        loadedNew = false;
        loadedFromStore = false;
        headError = null;
        headEntry = false;
        WriteBehind.Unwritten u = unwritten.get(key);
        if (u != null) {
            head = u.head;
            loadedOffset = u.offset;
            return u.state;
        }
        DecodedStates.Held held = decoded.get(owner, key);
        if (held != null) {
            head = held.head();
            loadedOffset = held.offset();
            return held.state();
        }
        head = null;
        loadedOffset = DetectorStateCodec.NO_OFFSET;
        byte[] bytes = states.get(key);
        if (bytes == null) {
            loadedNew = true;
            return freshState.get();
        }
        lastValueBytes = bytes.length;
        try {
            DetectorState state = DetectorStateCodec.decode(bytes);
            loadedOffset = DetectorStateBytes.inputOffset(bytes);
            loadHead(key, bytes);
            String mismatch = config.mismatch(state);
            if (mismatch == null) {
                loadedFromStore = headError == null && !headEntry;
                return state;
            }
            discard(key, "detector state", mismatch);
        } catch (BadBytesException e) {
            discard(key, "detector state and the head of its history", e.getMessage());
        }
        return freshState.get();
    }

    private void loadHead(String key, byte[] state) {
        try {
            byte[] held = DetectorStateBytes.historyHead(state);
            if (held == null) {
                head = histories.headEntry(key);
                headEntry = head != null;
            } else if (held.length > 0) {
                head = HistoryHead.decode(held);
            }
        } catch (BadBytesException e) {
            headError = e.getMessage();
        }
    }

    /** The key's whole history window (read from every reading's entry: for re-warming, not for every event). */
    @Override
    public HistoryWindow load(String key) {
        try {
            HistoryHead stored = key.equals(loadedKey) ? loadedHead() : histories.head(key, states.get(key));
            if (stored == null) {
                return new HistoryWindow(historySize, config.channels());
            }
            if (stored.channels() != config.channels()) {
                discard(key, "history", "it has " + stored.channels() + " channel(s), the topology " + config.channels());
            } else {
                HistoryWindow window = histories.read(key, stored);
                return window.capacity() == historySize ? window : window.before(0, historySize, historySize);
            }
        } catch (BadBytesException e) {
            discard(key, "history", e.getMessage());
        }
        return new HistoryWindow(historySize, config.channels());
    }

    private HistoryHead loadedHead() {
        if (headError != null) {
            throw new BadBytesException(headError);
        }
        return head;
    }

    /**
     * Appends the accepted reading to the loaded key's history: to its head (and a block when the reading completes
     * one) when the ring has the configured shape and format or the key has no history yet (unless this event loaded
     * its window), else the whole window (from {@code loaded}, the window this event already loaded, if any; otherwise
     * loaded now). The head is saved with the state.
     *
     * @return readings in the key's history now
     */
    @Override
    public int append(String key, long timestamp, double[] reading, HistoryWindow loaded) {
        if (!key.equals(loadedKey)) {
            throw new IllegalStateException("history of key '" + key + "' appended to while key '" + loadedKey
                    + "' is loaded");
        }
        if (headError == null && head == null && loaded == null) {
            // no history yet (a new key): its ring starts here, without a whole empty window to write from
            head = HistoryHead.empty(historySize, config.channels());
        }
        if (headError == null && head != null && head.version() == HistoryRing.FORMAT_VERSION
                && head.capacity() == historySize && head.channels() == config.channels()) {
            head = histories.append(key, head, timestamp, reading);
            return head.size();
        }
        HistoryWindow window = loaded != null ? loaded : load(key);
        window.append(timestamp, reading);
        head = histories.write(key, window, headError == null ? head : null);
        headError = null;
        return window.size();
    }

    /**
     * The loaded key's event is one its state holds already (a task's replay after a start): nothing is saved, and a
     * state {@link #loadState} read from the store is kept in {@link DecodedStates}, so that the key's next event that
     * it holds does not read and decode it again (a replay runs up to 1.5 R events of the partition, several a key).
     */
    void alreadyHeld(String key, DetectorState state) {
        if (loadedFromStore && key.equals(loadedKey)) {
            decoded.put(owner, key, state, head, loadedOffset, lastValueBytes);
            loadedFromStore = false;
        }
    }

    /** The input offset of the latest event the state {@link #loadState} loaded holds ({@code NO_OFFSET}: none). */
    long loadedOffset() {
        return loadedOffset;
    }

    /**
     * Saves the loaded key's state with its history head (once per accepted event, after its reading is appended and
     * any training requested, {@code scored} its outcome): written now, or, written behind, held until its turn; a
     * re-warm onto another model is written now all the same, so that no replay runs events across a swap. {@code
     * offset} is the event's input offset.
     */
    void saveState(String key, DetectorState state, long offset, long nowMs, KeyOutcome.Scored scored) {
        if (!key.equals(loadedKey)) {
            throw new IllegalStateException("state of key '" + key + "' saved while key '" + loadedKey + "' is loaded");
        }
        if (loadedNew) {
            keysHeld.incrementAndGet();
            loadedNew = false;
        }
        WriteBehind.Hold hold = scored.rewarms() > 0 || headEntry ? WriteBehind.Hold.NOT_HELD
                : unwritten.hold(key, state, head, offset, nowMs);
        if (hold == WriteBehind.Hold.WRITE_NOW) {
            // the instance's DecodedStates is not told: the task keeps the key while its events come
            unwritten.written(put(key, state, head, offset), nowMs);
        } else if (hold == WriteBehind.Hold.NOT_HELD) {
            unwritten.remove(key);
            write(key, state, head, offset);
            if (headEntry) {
                histories.deleteHeadEntry(key);
                headEntry = false;
            }
        }
        unwritten.due(offset, nowMs);
    }

    /**
     * Writes the states held too long ({@link WriteBehind#due}) of a partition whose latest event was at {@code
     * offset}.
     */
    void writeDue(long offset, long nowMs) {
        unwritten.due(offset, nowMs);
    }

    private void write(String key, DetectorState state, HistoryHead head, long offset) {
        decoded.put(owner, key, state, head, offset, put(key, state, head, offset));
    }

    /** Writes the key's state to the store; returns the bytes of its value. */
    private int put(String key, DetectorState state, HistoryHead head, long offset) {
        byte[] value = value(state, head, offset);
        lastValueBytes = value.length;
        states.put(key, value);
        return value.length;
    }

    /** The state store's value of a state with its history head, as of the event of input offset {@code offset}. */
    private byte[] value(DetectorState state, HistoryHead head, long offset) {
        // the offset only matters to a replay: stored (2 to 9 bytes) only while states are written behind
        return DetectorStateCodec.encode(state, head == null ? NO_HEAD : histories.encodeHead(head),
                unwritten.holding() ? offset : DetectorStateCodec.NO_OFFSET);
    }

    /**
     * Writes every state held behind, and sets the replay offset to {@code next} (the input offset after the latest
     * event): before a key is forgotten, and at the end of a replay ({@link WriteBehind#writeAll}).
     */
    void writeAll(long next) {
        unwritten.writeAll(next);
    }

    /**
     * Writes every state held behind and holds none from here on ({@link WriteBehind#drain}), the replay offset set to
     * {@code next}: the instance is closing.
     */
    void drain(long next) {
        unwritten.drain(next);
    }

    /** Whether {@link #drain} was called. */
    boolean draining() {
        return unwritten.draining();
    }

    /** The value the state store would hold for {@code key} held behind, as written now; null when not held. */
    byte[] heldValue(String key) {
        WriteBehind.Unwritten u = unwritten.get(key);
        return u == null ? null : value(u.state, u.head, u.offset);
    }

    /** Hands each key held behind and its state to {@code visitor}. */
    void visitHeld(java.util.function.BiConsumer<String, DetectorState> visitor) {
        for (var e : unwritten.entries()) {
            visitor.accept(e.getKey(), e.getValue().state);
        }
    }

    /** The task's stored replay offset, read at its start ({@link WriteBehind#readReplayFrom}). */
    long replayFrom() {
        return unwritten.readReplayFrom();
    }

    /**
     * Drops what {@link DecodedStates} holds of {@code key}: its state was loaded and may have changed, but was not
     * saved (its event failed), so the store's value is the key's state.
     */
    void forget(String key) {
        decoded.forget(owner, key);
        unwritten.remove(key);
    }

    /**
     * The loaded key's event was refused, which leaves its state as it was: a state held behind stays held (the store
     * does not have it); otherwise as {@link #forget}.
     */
    void refused(String key) {
        if (unwritten.get(key) == null) {
            decoded.forget(owner, key);
        }
    }

    /** The scans of this task's state store (idle keys, the count of keys at a start). */
    StateScans scans() {
        return scans;
    }

    /**
     * Deletes the key's state and its whole history from the stores (and their changelogs) and from {@link
     * DecodedStates}; returns the state it had, or null when it had none that decodes.
     */
    DetectorState delete(String key) {
        WriteBehind.Unwritten held = unwritten.remove(key);
        // a state held behind is the key's newest: the store's value is read only for a key not held
        byte[] bytes = held == null ? states.get(key) : null;
        DetectorState state = held == null ? null : held.state;
        HistoryHead stored = held == null ? null : held.head;
        if (bytes != null) {
            try {
                state = DetectorStateCodec.decode(bytes);
                stored = histories.head(key, bytes);
            } catch (BadBytesException e) {
                // what the head would have said is not known: every block a ring of the window's size has goes
            }
        }
        histories.deleteAll(key, stored, historySize);
        states.delete(key);
        if (bytes != null || held != null) {
            keysHeld.decrementAndGet();
        }
        decoded.forget(owner, key);
        if (key.equals(loadedKey)) {
            loadedKey = null;
            head = null;
        }
        return state;
    }

    /** Drops every state this detector holds in {@link DecodedStates}: its processor closes. */
    void close() {
        decoded.forgetAll(owner);
        unwritten.clear();
    }

    private void discard(String key, String what, String why) {
        discarded.record();
        discards++;
        if (DetectorProcessor.atLevel(discards)) {
            LOG.warn("stored {} of key '{}' cannot be used and is started afresh ({} so far in this task): {}", what,
                    key, discards, why);
        } else {
            LOG.debug("stored {} of key '{}' cannot be used and is started afresh: {}", what, key, why);
        }
    }
}
