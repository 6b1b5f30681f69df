package dev.vigil.stream;

import dev.vigil.detect.DetectorState;
import dev.vigil.lifecycle.ModelSource;
import dev.vigil.lifecycle.TrainingPoint;
import dev.vigil.lstm.LstmModel;
import dev.vigil.train.TrainingOutcome;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The models of one detector task, as its {@link dev.vigil.lifecycle.KeyLifecycle} sees them: the model store's
 * payloads ({@link ModelCache}), the trainings the topology's {@link TopologyTrainer} delivered, and the models the
 * task's keys put in force. A model put in force is published to the models topic through the detector's models
 * sink, in the task's transaction ({@link ModelSink}: a swap a crash rolls back is not published), and
 * served from here until the store holds that version or a newer one, so the key's next event does not wait for the
 * round trip; at most {@value #MAX_IN_FLIGHT} such models are held (the least recently put dropped first; a key whose
 * model was dropped before the store caught up re-warms onto the store's). Not thread-safe: one per processor.
 */
final class StreamModels implements ModelSource {
    static final int MAX_IN_FLIGHT = 1024;

    private final ModelCache store;
    private final TopologyTrainer trainer;
    private final int partition;
    private final java.util.function.BiConsumer<LstmModel, Integer> publisher;
    private final Map<String, LstmModel> inFlight = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LstmModel> eldest) {
            return size() > MAX_IN_FLIGHT;
        }
    };

    /**
     * @param trainer   the topology's background trainer, or null (no trainer)
     * @param partition the task's partition of the detector's source, where its keys' events are: a model one of
     *                  its keys puts in force is published to this partition of the models topic, whatever
     *                  partitioner the events' producer used (a shared model to every partition)
     * @param publisher forwards a model and its target partition to the models sink
     */
    StreamModels(ModelCache store, TopologyTrainer trainer, int partition,
                 java.util.function.BiConsumer<LstmModel, Integer> publisher) {
        this.store = store;
        this.trainer = trainer;
        this.partition = partition;
        this.publisher = publisher;
    }

    @Override
    public LstmModel inForce(String modelId) {
        return inForce(modelId, store.current(modelId));
    }

    @Override
    public LstmModel inForce(String modelId, DetectorState state) {
        return inForce(modelId, store.current(modelId, state));
    }

    /** The model in force for {@code modelId}, given the model store's ({@code stored}, may be null). */
    private LstmModel inForce(String modelId, LstmModel stored) {
        if (inFlight.isEmpty()) {
            return stored;
        }
        LstmModel mine = inFlight.get(modelId);
        if (mine == null) {
            return stored;
        }
        if (stored != null && stored.info().version() >= mine.info().version()) {
            inFlight.remove(modelId);
            return stored;
        }
        return mine;
    }

    @Override
    public Optional<TrainingOutcome> delivered(TrainingPoint point) {
        return trainer == null ? Optional.empty() : trainer.delivered(point);
    }

    /**
     * Forgets the task's model of {@code modelId} put in force but not yet in the store, and what the trainer keeps or
     * runs for it; returns whether the key has a model to retract (that one, or one in the store).
     */
    boolean retract(String modelId) {
        boolean mine = inFlight.remove(modelId) != null;
        if (trainer != null) {
            trainer.forget(modelId);
        }
        return store.current(modelId) != null || mine;
    }

    @Override
    public void putInForce(LstmModel model) {
        inFlight.put(model.info().modelId(), model);
        publisher.accept(model, partition);
        if (trainer != null) {
            trainer.published(model, partition);
        }
    }
}
