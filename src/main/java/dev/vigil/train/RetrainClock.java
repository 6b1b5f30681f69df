package dev.vigil.train;

import dev.vigil.detect.DetectorState;
import dev.vigil.detect.TrainingSchedule;

/**
 * The retraining schedule's rule, applied to a key's {@link TrainingSchedule} (kept in its detector state):
 * <ul>
 *   <li>{@link Trigger#FIRST}: no model yet and the history holds {@code minTrainPoints} readings, and as many more
 *       as the key's {@link #firstPhase} (0 unless {@code firstSpreadEvents} spreads a fleet's first trainings); a
 *       failed or refused first attempt is retried after another {@code minTrainPoints / 2} events, not at every
 *       event;</li>
 *   <li>{@link Trigger#INTERVAL}: a model exists and the key's accepted events reached its next point on its own
 *       grid of every {@code retrainInterval} events, at least {@code retrainInterval / 2} events (and one) after the
 *       last attempt. The grid's phase is a hash of the key ({@link #phase}), so keys that started together (a fleet
 *       deployed at once, a backfill) come due spread over the interval instead of all within a few events, where
 *       the trainer could not deliver before their swap points and each stream thread would train them in line;
 *       once on its grid a key retrains every {@code retrainInterval} events;</li>
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
     * What makes a training due now for {@code key}, or null when none is.
     *
     * @param state       the key's detector state, after its latest event (its schedule, accepted events and event
     *                    time)
     * @param historySize readings in the key's window now
     * @param hasModel    whether the key has a model in force
     */
    public Trigger due(String key, DetectorState state, int historySize, boolean hasModel) {
        TrainingSchedule s = state.schedule();
        long now = state.lastTimestamp();
        if (!hasModel) {
            boolean ready = historySize >= config.minTrainPoints() + firstPhase(key)
                    && (s.attempts() == 0 || s.sinceAttempt() >= Math.max(1, config.minTrainPoints() / 2));
            return ready ? Trigger.FIRST : null;
        }
        int interval = config.retrainInterval();
        if (s.sinceAttempt() >= Math.max(1, interval / 2) && (state.events() + phase(key)) % interval == 0) {
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

    /**
     * Where {@code key}'s grid of retrainings lies: 0..retrainInterval - 1, from the key's {@link String#hashCode}
     * (the same on every JVM), mixed so that keys named in sequence spread over the interval.
     */
    public long phase(String key) {
        return Math.floorMod(mix(key), config.retrainInterval());
    }

    /**
     * Readings past {@code minTrainPoints} at which {@code key}'s first training comes due: 0..firstSpreadEvents - 1
     * by the same hash as {@link #phase}; 0 when {@code firstSpreadEvents} is 0 or 1.
     */
    public int firstPhase(String key) {
        int spread = config.firstSpreadEvents();
        return spread <= 1 ? 0 : Math.floorMod(mix(key), spread);
    }

    private static int mix(String key) {
        int h = key.hashCode() * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
