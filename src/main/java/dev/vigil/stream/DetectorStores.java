package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.detect.HistoryWindowCodec;
import dev.vigil.score.ScoreState;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Loads and saves a key's detector state and history window in the two per-key stores. Stored bytes that
 * cannot be used are not a reason to stop the stream: a state that does not decode, or was written for another
 * shape (channels, hidden size, layers, short window: the topology's detector settings changed), is replaced by
 * a fresh state, logged at WARN and counted ({@link VigilMetrics#STATE_DISCARDED}); the same for a history
 * window that does not decode or has other channels. A history written with another capacity keeps its newest
 * readings that fit. Nothing is written until the key's next accepted event. One per processor; not thread-safe.
 */
final class DetectorStores {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorStores.class);

    private final KeyValueStore<String, byte[]> states;
    private final KeyValueStore<String, byte[]> histories;
    private final DetectorConfig config;
    private final Supplier<DetectorState> freshState;
    private final int historySize;
    private final Sensor discarded;

    DetectorStores(KeyValueStore<String, byte[]> states, KeyValueStore<String, byte[]> histories, DetectorConfig config,
                   Supplier<DetectorState> freshState, int historySize, Sensor discarded) {
        this.states = states;
        this.histories = histories;
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

    HistoryWindow loadHistory(String key) {
        byte[] bytes = histories.get(key);
        if (bytes == null) {
            return new HistoryWindow(historySize, config.channels());
        }
        try {
            HistoryWindow stored = HistoryWindowCodec.decode(bytes);
            if (stored.channels() != config.channels()) {
                discard(key, "history", "it has " + stored.channels() + " channel(s), the topology " + config.channels());
            } else {
                return stored.capacity() == historySize ? stored : resized(stored);
            }
        } catch (BadBytesException e) {
            discard(key, "history", e.getMessage());
        }
        return new HistoryWindow(historySize, config.channels());
    }

    void save(String key, DetectorState state, HistoryWindow history) {
        states.put(key, DetectorStateCodec.encode(state));
        histories.put(key, HistoryWindowCodec.encode(history));
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
        LOG.warn("stored {} of key '{}' cannot be used and is started afresh: {}", what, key, why);
    }
}
