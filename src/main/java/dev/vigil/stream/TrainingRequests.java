package dev.vigil.stream;

import dev.vigil.train.RetrainClock;

/**
 * Where the {@link DetectorProcessor} asks for a model to be (re)trained when a key's schedule says so. Called on a
 * stream thread: an implementation must not block ({@link ModelTrainingService} queues the work for its own
 * threads).
 */
@FunctionalInterface
public interface TrainingRequests {
    /** No trainer: nothing is ever trained in the service (models come from {@code vigil train}/{@code publish-model}). */
    TrainingRequests NONE = request -> false;

    /**
     * Asks for a training. True when the request was taken (queued, or covered by a training of the same model
     * already queued or running): the key's schedule then records the attempt. False when it could not be taken
     * (queue full, no trainer): the key asks again at its next event.
     */
    boolean offer(Request request);

    /**
     * One request.
     *
     * @param modelId   the model to train: the key in per-key scope, {@link ModelScope#SHARED_MODEL_ID} in shared scope
     * @param key       the key whose schedule asked
     * @param partition the partition of the detector's source the key's events are in (the model is published to
     *                  that partition of the models topic, whatever partitioner the events' producer used)
     * @param trigger   why
     */
    record Request(String modelId, String key, int partition, RetrainClock.Trigger trigger) {
    }
}
