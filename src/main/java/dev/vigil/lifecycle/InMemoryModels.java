package dev.vigil.lifecycle;

import dev.vigil.lstm.LstmModel;
import dev.vigil.train.TrainingOutcome;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Models in force in memory, for a lifecycle without Kafka (a replay in {@code vigil evaluate}, tests): the ones it
 * put in force. Nothing trains in the background, so every training is run in line at its swap point. Not
 * thread-safe.
 */
public final class InMemoryModels implements ModelSource {
    private final Map<String, LstmModel> inForce = new HashMap<>();

    @Override
    public LstmModel inForce(String modelId) {
        return inForce.get(modelId);
    }

    @Override
    public Optional<TrainingOutcome> delivered(TrainingPoint point) {
        return Optional.empty();
    }

    @Override
    public void putInForce(LstmModel model) {
        inForce.put(model.info().modelId(), model);
    }
}
