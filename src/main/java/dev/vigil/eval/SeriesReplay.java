package dev.vigil.eval;

import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmModel;
import dev.vigil.train.ModelTrainer;
import dev.vigil.train.RetrainClock;
import dev.vigil.train.RetrainConfig;
import dev.vigil.train.TrainingOutcome;

import java.util.function.Consumer;

/**
 * Replays one key's events, in order, through {@link Detector} with the per-key lifecycle the live
 * service uses: history window, first training once the window holds enough readings, retraining on
 * schedule, hot swap with re-warm. Training runs synchronously here, so a replay is deterministic.
 * Not thread-safe; one per thread.
 */
public final class SeriesReplay {
    private final Detector detector;
    private final ModelTrainer trainer;
    private final RetrainConfig retrain;
    private final RetrainClock clock;

    /** Counters of one replay. */
    public record Stats(long events, long rejected, int trainings, int modelsAccepted, long trainingNanos) {
    }

    public SeriesReplay(DetectorConfig detectorConfig, RetrainConfig retrainConfig) {
        this.detector = new Detector(detectorConfig);
        this.trainer = new ModelTrainer(detectorConfig.lstm(), retrainConfig);
        this.retrain = retrainConfig;
        this.clock = new RetrainClock(retrainConfig);
    }

    /**
     * Runs every event through a fresh key state and hands each result to {@code sink} in order.
     *
     * @param key    the key (model id)
     * @param events the key's events in arrival order
     */
    public Stats run(String key, Iterable<Event> events, Consumer<DetectorResult> sink) {
        DetectorState state = detector.newState();
        HistoryWindow history = new HistoryWindow(retrain.historySize(), detector.config().channels());
        LstmModel model = null;
        long n = 0;
        long rejected = 0;
        int trainings = 0;
        int accepted = 0;
        long nanos = 0;
        for (Event event : events) {
            n++;
            DetectorResult result = detector.step(model, state, event);
            sink.accept(result);
            if (!result.accepted()) {
                rejected++;
                continue;
            }
            history.append(event.timestamp(), event.values());
            if (clock.due(state.schedule(), history.size(), model != null, state.lastTimestamp()) != null) {
                state.schedule().attempted(state.lastTimestamp());
                TrainingOutcome outcome = trainer.train(key, history, model);
                trainings++;
                nanos += outcome.nanos();
                if (outcome.accepted()) {
                    accepted++;
                    model = outcome.model();
                    detector.rewarm(model, state, history);
                }
            }
        }
        return new Stats(n, rejected, trainings, accepted, nanos);
    }
}
