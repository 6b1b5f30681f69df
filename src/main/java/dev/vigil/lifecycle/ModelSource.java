package dev.vigil.lifecycle;

import dev.vigil.detect.DetectorState;
import dev.vigil.lstm.LstmModel;
import dev.vigil.train.TrainingOutcome;

import java.util.Optional;

/**
 * Where a {@link KeyLifecycle} finds models. The stream's source reads the models topic's store, the trainings its
 * background trainer delivered, and publishes the models keys put in force; the evaluator's is a map.
 */
public interface ModelSource {
    /**
     * The model in force for {@code modelId}: the newest one a lifecycle put in force ({@link #putInForce}) or one
     * published from outside ({@code vigil publish-model}), whichever has the higher version; null when none.
     */
    LstmModel inForce(String modelId);

    /**
     * The same, for a key whose state is {@code state} and whose events all ask for {@code modelId}: a source may keep
     * a handle on the model with the state ({@link DetectorState#modelHandle}) to find it again without a lookup.
     */
    default LstmModel inForce(String modelId, DetectorState state) {
        return inForce(modelId);
    }

    /**
     * What the background trainer made of the training {@code point}, if it finished it ({@link
     * TrainingOutcome.Status#ACCEPTED}, {@code REFUSED} or {@code FAILED}; never {@code STOPPED}); empty when it did
     * not (not asked, queue full, still running, stopped, or the instance restarted): the key then trains it in
     * line. Taking a delivery removes it.
     */
    Optional<TrainingOutcome> delivered(TrainingPoint point);

    /** A lifecycle put {@code model} in force for its model id: {@link #inForce} returns it from now on. */
    void putInForce(LstmModel model);
}
