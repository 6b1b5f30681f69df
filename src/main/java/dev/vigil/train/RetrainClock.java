package dev.vigil.train;

/**
 * Per-key retraining schedule: the first model as soon as the history holds {@code minTrainPoints}
 * readings, then every {@code retrainInterval} accepted events. A failed or refused first attempt is
 * retried after another {@code minTrainPoints / 2} events rather than at every event. Mutable, not
 * thread-safe; the live service and the replay evaluator use the same rule.
 */
public final class RetrainClock {
    private final RetrainConfig config;
    private long sinceAttempt;
    private long attempts;

    public RetrainClock(RetrainConfig config) {
        this.config = config;
    }

    /** Counts one accepted event. */
    public void onEvent() {
        sinceAttempt++;
    }

    /** Whether a training is due now, given the history size and whether the key already has a model. */
    public boolean due(int historySize, boolean hasModel) {
        if (!hasModel) {
            return historySize >= config.minTrainPoints()
                    && (attempts == 0 || sinceAttempt >= Math.max(1, config.minTrainPoints() / 2));
        }
        return sinceAttempt >= config.retrainInterval();
    }

    /** Records that a training was attempted (whatever its outcome). */
    public void onAttempt() {
        attempts++;
        sinceAttempt = 0;
    }

    public long attempts() {
        return attempts;
    }
}
