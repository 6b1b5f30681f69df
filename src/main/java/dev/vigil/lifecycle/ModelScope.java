package dev.vigil.lifecycle;

import dev.vigil.detect.DetectorState;
import dev.vigil.train.RetrainConfig;

/**
 * Which model serves a key, by the topology's {@code retrain.scope}: in per-key scope the model whose id is the
 * key; in shared scope the one model {@value #SHARED_MODEL_ID}, once the key has seen {@code scoring.warmupEvents}
 * events (its running centre and scale, the units the shared model works in, have settled by then; before, the
 * key runs on the persistence predictor like a key without a model). In per-key scope with {@code
 * retrain.coldStart=shared}, a key past the same warm-up that has no model of its own yet is scored by the shared
 * model ({@link #coldStart()}). Immutable.
 */
public final class ModelScope {
    /** Id (and models-topic key) of a topology's shared model. */
    public static final String SHARED_MODEL_ID = "shared";

    private final boolean shared;
    private final boolean coldStart;
    private final long warmupEvents;

    public ModelScope(RetrainConfig retrain, long warmupEvents) {
        this.shared = retrain.shared();
        this.coldStart = retrain.coldStartShared();
        this.warmupEvents = warmupEvents;
    }

    public boolean shared() {
        return shared;
    }

    /** The id of the model that serves {@code key}. */
    public String modelId(String key) {
        return shared ? SHARED_MODEL_ID : key;
    }

    /** Per-key scope: whether a key without a model of its own is scored by the shared model (when one exists). */
    public boolean coldStart() {
        return coldStart;
    }

    /** Whether the key, in this state, is scored with its model (when one exists). */
    public boolean eligible(DetectorState state) {
        return !shared || settled(state);
    }

    /** Whether the key's running centre and scale have settled: it may be scored by, and train, a shared model. */
    public boolean settled(DetectorState state) {
        return state.events() >= warmupEvents;
    }
}
