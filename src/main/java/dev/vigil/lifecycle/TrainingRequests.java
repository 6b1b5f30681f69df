package dev.vigil.lifecycle;

import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmModel;
import dev.vigil.train.RetrainClock;

/**
 * Where a {@link KeyLifecycle} hands a training to be done ahead of its swap point, off the caller's thread (the
 * service's background trainer). Called on a stream thread: an implementation must not block. Whether or when a
 * request is served never changes a key's scores: a training the trainer has not delivered by the swap point is
 * trained in line ({@link ModelSource#delivered}).
 */
public interface TrainingRequests {
    /** No training at all: keys are never (re)trained; models come only from outside ({@code publish-model}). */
    TrainingRequests NONE = new TrainingRequests() {
        @Override
        public boolean offer(Request request) {
            return false;
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };

    /** Keys are (re)trained on schedule, every training in line at its swap point (the evaluator; tests). */
    TrainingRequests IN_LINE = request -> false;

    /**
     * Asks for a training ahead of its swap point. True when the request was taken (queued, or covered by a
     * training of the same model already queued or running); false when it could not be (queue full): the key
     * then trains in line at the swap point.
     */
    boolean offer(Request request);

    /**
     * Whether an offer of {@code point} would be taken now and is not held yet: the trainer has room and neither
     * queued, ran nor delivered that training. A key whose offer was refused (a full queue) asks at each of its events
     * before the swap point and offers the same training again when this says so, so that a burst of keys coming due
     * together is trained in the background as the queue drains instead of in line at each swap point. False by
     * default: nothing is ever offered again.
     */
    default boolean wants(TrainingPoint point) {
        return false;
    }

    /** Whether keys are (re)trained at all (false: only models published from outside serve them). */
    default boolean enabled() {
        return true;
    }

    /**
     * One request.
     *
     * @param point   the training: model id, version, and the point of the data
     * @param key     the key whose schedule asked
     * @param trigger why
     * @param window  the training data: the key's window as it was at {@code point.through()}, in per-key scope its
     *                readings, in shared scope put in the key's own units (not modified by the trainer)
     * @param current the model in force when the request was made, or null (a candidate must beat it)
     */
    record Request(TrainingPoint point, String key, RetrainClock.Trigger trigger, HistoryWindow window,
                   LstmModel current) {
    }
}
