package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lifecycle.KeyHistory;
import dev.vigil.score.ScoreState;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Loads and saves a key's detector state and history window in the two per-key stores (the history as a {@link
 * HistoryRing}: an accepted event appends one reading to the key's head, a block is written every {@value
 * HistoryRing#BLOCK} readings, and the window is read whole only when a model swap re-warms the key). Stored bytes
 * that cannot be used are not a reason to stop the stream, nor ever scored from: a state that does not decode
 * (another format version, truncated, checksum mismatch) or was written for another shape (channels, hidden size,
 * layers, short window: the topology's detector settings changed) is replaced by a fresh state, counted ({@link
 * VigilMetrics#STATE_DISCARDED}) and logged with the key and the reason (at WARN the first {@value
 * DetectorProcessor#WARN_FIRST} of the task, then one in {@value DetectorProcessor#WARN_EVERY}; all at DEBUG); the
 * same for a history window that does not decode or has other channels. The key is reset, not restored: the store
 * is changelogged value for value, so the changelog holds the same bytes (damage to RocksDB's files is found by its
 * checksums, {@link StateDirectoryCheck}). A history written with another capacity keeps its newest readings that
 * fit (and is then rewritten whole). Nothing is written until the key's next accepted event. One per processor;
 * not thread-safe.
 */
final class DetectorStores implements KeyHistory {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorStores.class);

    private final KeyValueStore<String, byte[]> states;
    private final HistoryRing histories;
    private final DetectorConfig config;
    private final Supplier<DetectorState> freshState;
    private final int historySize;
    private final Sensor discarded;
    private long discards;

    DetectorStores(KeyValueStore<String, byte[]> states, KeyValueStore<String, byte[]> histories, DetectorConfig config,
                   Supplier<DetectorState> freshState, int historySize, Sensor discarded) {
        this.states = states;
        this.histories = new HistoryRing(histories);
        this.config = config;
        this.freshState = freshState;
        this.historySize = historySize;
        this.discarded = discarded;
    }

    DetectorState loadState(String key) {
        byte[] bytes = states.get(key);
        if (bytes == null) {
            return freshState.get();
        }
        try {
            DetectorState state = DetectorStateCodec.decode(bytes);
            String mismatch = mismatch(state);
            if (mismatch == null) {
                return state;
            }
            discard(key, "detector state", mismatch);
        } catch (BadBytesException e) {
            discard(key, "detector state", e.getMessage());
        }
        return freshState.get();
    }

    /** The key's whole history window (read from every reading's entry: for re-warming, not for every event). */
    @Override
    public HistoryWindow load(String key) {
        try {
            HistoryRing.Head head = histories.head(key);
            if (head == null) {
                return new HistoryWindow(historySize, config.channels());
            }
            if (head.channels() != config.channels()) {
                discard(key, "history", "it has " + head.channels() + " channel(s), the topology " + config.channels());
            } else {
                HistoryWindow stored = histories.read(key, head);
                return stored.capacity() == historySize ? stored : resized(stored);
            }
        } catch (BadBytesException e) {
            discard(key, "history", e.getMessage());
        }
        return new HistoryWindow(historySize, config.channels());
    }

    /**
     * Appends the accepted reading to the key's history: to the head (and a block when the reading completes
     * one) when the stored ring has the configured shape and format, else the whole window (from {@code loaded},
     * the window this event already loaded, if any; otherwise loaded now).
     *
     * @return readings in the key's history now
     */
    @Override
    public int append(String key, long timestamp, double[] reading, HistoryWindow loaded) {
        HistoryRing.Head head = usableHead(key);
        if (head != null) {
            return histories.append(key, head, timestamp, reading);
        }
        HistoryWindow window = loaded != null ? loaded : load(key);
        window.append(timestamp, reading);
        histories.write(key, window);
        return window.size();
    }

    /** Saves the key's state (once per accepted event, after its reading is appended and any training requested). */
    void saveState(String key, DetectorState state) {
        states.put(key, DetectorStateCodec.encode(state));
    }

    /**
     * The stored head if the ring can be appended to as it is, else null (none, unreadable, another shape, or the
     * previous release's format, which {@link #append} then rewrites in the current one).
     */
    private HistoryRing.Head usableHead(String key) {
        try {
            HistoryRing.Head head = histories.head(key);
            return head != null && head.version() == HistoryRing.FORMAT_VERSION && head.capacity() == historySize
                    && head.channels() == config.channels() ? head : null;
        } catch (BadBytesException e) {
            return null;
        }
    }

    private String mismatch(DetectorState state) {
        ScoreState score = state.score();
        boolean same = state.channels() == config.channels()
                && state.lstm().hiddenSize() == config.lstm().hiddenSize()
                && state.lstm().layers() == config.lstm().layers()
                && score.shortWindow() == config.scoring().shortWindow();
        return same ? null : "it was written for d=" + state.channels() + ", H=" + state.lstm().hiddenSize() + ", layers="
                + state.lstm().layers() + ", shortWindow=" + score.shortWindow() + "; the topology has d="
                + config.channels() + ", H=" + config.lstm().hiddenSize() + ", layers=" + config.lstm().layers()
                + ", shortWindow=" + config.scoring().shortWindow();
    }

    private HistoryWindow resized(HistoryWindow stored) {
        HistoryWindow window = new HistoryWindow(historySize, config.channels());
        double[] reading = new double[config.channels()];
        for (int i = Math.max(0, stored.size() - historySize); i < stored.size(); i++) {
            stored.copyReading(i, reading);
            window.append(stored.timestamp(i), reading);
        }
        return window;
    }

    private void discard(String key, String what, String why) {
        discarded.record();
        discards++;
        if (discards <= DetectorProcessor.WARN_FIRST || discards % DetectorProcessor.WARN_EVERY == 0) {
            LOG.warn("stored {} of key '{}' cannot be used and is started afresh ({} so far in this task): {}", what,
                    key, discards, why);
        } else {
            LOG.debug("stored {} of key '{}' cannot be used and is started afresh: {}", what, key, why);
        }
    }
}
