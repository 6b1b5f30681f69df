package dev.vigil.eval;

import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.lifecycle.InMemoryHistories;
import dev.vigil.lifecycle.InMemoryModels;
import dev.vigil.lifecycle.KeyLifecycle;
import dev.vigil.lifecycle.KeyOutcome;
import dev.vigil.lifecycle.TrainingRequests;
import dev.vigil.train.RetrainConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Replays keys' events, in order, through the service's per-key lifecycle ({@link KeyLifecycle}) with in-memory
 * histories and models: the same swap points, versions and seeds as the stream, every training run in line at its
 * swap point. So a replay gives, bit for bit, the scores the service gives for the same events (per-key scope: each
 * key's events in order; shared scope: the events in the order one partition of the stream saw them). One replay
 * per instance; not thread-safe.
 */
public final class SeriesReplay {
    private final DetectorConfig detectorConfig;
    private final RetrainConfig retrain;

    /** Counters of one replay. */
    public record Stats(long events, long rejected, int trainings, int modelsAccepted, long trainingNanos) {
    }

    /** One event of one key. */
    public record KeyedEvent(String key, Event event) {
    }

    public SeriesReplay(DetectorConfig detectorConfig, RetrainConfig retrainConfig) {
        this.detectorConfig = detectorConfig;
        this.retrain = retrainConfig;
    }

    /**
     * Runs every event of one key through a fresh state and hands each result (a refused event's too) to
     * {@code sink} in order.
     *
     * @param key    the key (model id in per-key scope)
     * @param events the key's events in arrival order
     */
    public Stats run(String key, Iterable<Event> events, Consumer<DetectorResult> sink) {
        List<KeyedEvent> keyed = new ArrayList<>();
        events.forEach(e -> keyed.add(new KeyedEvent(key, e)));
        return run(keyed, (k, r) -> sink.accept(r));
    }

    /**
     * Runs events of several keys, in the given order, each key from a fresh state; hands each result (a refused
     * event's too) to {@code sink} in order.
     */
    public Stats run(List<KeyedEvent> events, BiConsumer<String, DetectorResult> sink) {
        KeyLifecycle lifecycle = new KeyLifecycle(detectorConfig, retrain, true,
                new InMemoryHistories(retrain.historySize(), detectorConfig.channels()), new InMemoryModels(),
                TrainingRequests.IN_LINE);
        Map<String, DetectorState> states = new HashMap<>();
        long rejected = 0;
        for (KeyedEvent e : events) {
            DetectorState state = states.computeIfAbsent(e.key(), k -> lifecycle.detector().newState());
            KeyOutcome outcome = lifecycle.process(e.key(), state, e.event());
            if (outcome instanceof KeyOutcome.Scored scored) {
                sink.accept(e.key(), scored.result());
            } else if (outcome instanceof KeyOutcome.Refused refused) {
                rejected++;
                sink.accept(e.key(), DetectorResult.rejected(e.event(), state, refused.refusal()));
            }
        }
        return new Stats(events.size(), rejected, lifecycle.trainings(), lifecycle.modelsAccepted(),
                lifecycle.trainingNanos());
    }
}
