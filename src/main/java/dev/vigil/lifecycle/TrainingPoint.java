package dev.vigil.lifecycle;

/**
 * Which training a pending model swap waits for: model {@code modelId} at {@code version}, trained on the data as it
 * was at {@code through} (in per-key scope the key's accepted event count, in shared scope the count of events the
 * training lifecycle had accepted). The same point always names the same training data, so whoever trains it (the
 * background trainer, or the key in line) gets the same model. Immutable.
 */
public record TrainingPoint(String modelId, long version, long through) {
    public TrainingPoint {
        if (modelId == null || version < 1 || through < 1) {
            throw new IllegalArgumentException("a training point needs a model id, version >= 1 and through >= 1, got "
                    + modelId + ", " + version + ", " + through);
        }
    }
}
