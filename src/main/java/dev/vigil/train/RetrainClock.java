package dev.vigil.train;

import dev.vigil.detect.DetectorState;
import dev.vigil.detect.TrainingSchedule;

/**
 * The retraining schedule's rule, applied to a key's {@link TrainingSchedule} (kept in its detector state):
 * <ul>
 *   <li>{@link Trigger#FIRST}: no model yet and the history holds {@code minTrainPoints} readings; a failed or
 *       refused first attempt is retried after another {@code minTrainPoints / 2} events, not at every event;</li>
 *   <li>{@link Trigger#INTERVAL}: a model exists and {@code retrainInterval} events were accepted since the last
 *       attempt;</li>
 *   <li>{@link Trigger#AGE}: a model exists and {@code retrainAfterMs} of event time passed since the last attempt
 *       (when set);</li>
 *   <li>{@link Trigger#DRIFT}: a model exists, the key's alert has been open for {@code driftEvents} consecutive
 *       events and as many events passed since the last attempt (when set): a sustained change is taken as a new
 *       normal to learn sooner.</li>
 * </ul>
 * The live service and the replay evaluator use this same rule. Stateless and thread-safe.
 */
public final class RetrainClock {
    /** Why a training is due. */
    public enum Trigger { FIRST, INTERVAL, AGE, DRIFT }

    private final RetrainConfig config;

    public RetrainClock(RetrainConfig config) {
        this.config = config;
    }

    /**
     * What makes a training due now, or null when none is.
     *
     * @param historySize readings in the key's window now
     * @param hasModel    whether the key has a model in force
     * @param now         the event time of the key's latest event
     */
    public Trigger due(TrainingSchedule s, int historySize, boolean hasModel, long now) {
        if (!hasModel) {
            boolean ready = historySize >= config.minTrainPoints()
                    && (s.attempts() == 0 || s.sinceAttempt() >= Math.max(1, config.minTrainPoints() / 2));
            return ready ? Trigger.FIRST : null;
        }
        if (s.sinceAttempt() >= config.retrainInterval()) {
            return Trigger.INTERVAL;
        }
        if (s.sinceAttempt() == 0) {
            return null;
        }
        if (config.retrainAfterMs() > 0 && s.lastAttemptTime() != DetectorState.NO_TIMESTAMP
                && now - s.lastAttemptTime() >= config.retrainAfterMs()) {
            return Trigger.AGE;
        }
        if (config.driftEvents() > 0 && s.alertRun() >= config.driftEvents()
                && s.sinceAttempt() >= config.driftEvents()) {
            return Trigger.DRIFT;
        }
        return null;
    }
}
