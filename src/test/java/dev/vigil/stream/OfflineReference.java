package dev.vigil.stream;

import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmModel;

/**
 * One key run offline through {@link Detector}, with the per-key lifecycle of {@code SeriesReplay}: the history
 * window takes every accepted reading, and a model whose version differs from the state's is adopted with
 * {@link Detector#rewarm} before the event. The stream must give the same bits.
 */
final class OfflineReference {
    private final Detector detector;
    private final DetectorState state;
    private final HistoryWindow history;

    OfflineReference(DetectorConfig config, int historySize) {
        this.detector = new Detector(config);
        this.state = detector.newState();
        this.history = new HistoryWindow(historySize, config.channels());
    }

    /** Processes {@code event} with {@code model} (null: none) in force. */
    DetectorResult step(LstmModel model, Event event) {
        if (model != null && model.info().version() != state.modelVersion()) {
            detector.rewarm(model, state, history);
        }
        DetectorResult result = detector.step(model, state, event);
        if (result.accepted()) {
            history.append(event.timestamp(), event.values());
        }
        return result;
    }

    DetectorState state() {
        return state;
    }

    HistoryWindow history() {
        return history;
    }
}
