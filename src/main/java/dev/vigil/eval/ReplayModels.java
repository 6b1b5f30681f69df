package dev.vigil.eval;

import dev.vigil.lifecycle.ModelSource;
import dev.vigil.lifecycle.TrainingPoint;
import dev.vigil.lstm.LstmModel;
import dev.vigil.train.TrainingOutcome;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The models of a replay, in memory: the ones its lifecycle put in force. Nothing trains in the background, so every
 * training is run in line at its swap point. Not thread-safe.
 */
final class ReplayModels implements ModelSource {
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
