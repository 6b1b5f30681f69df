package dev.vigil.detect;

/**
 * A key's place in its retraining schedule, carried in its {@link DetectorState} (so it survives restarts and
 * moves with the key to another instance): accepted events since the last training attempt, attempts so far, the
 * event time of the last attempt, and how many consecutive events the key's alert has been open. The policy that
 * reads it is {@code dev.vigil.train.RetrainClock}. Mutable, not thread-safe.
 */
public final class TrainingSchedule {
    long sinceAttempt;
    long attempts;
    long lastAttemptTime = DetectorState.NO_TIMESTAMP;
    long alertRun;

    /** Accepted events since the last attempt (or since the key's first event). */
    public long sinceAttempt() {
        return sinceAttempt;
    }

    /** Training attempts made for the key (requested, whatever their outcome). */
    public long attempts() {
        return attempts;
    }

    /** Event time of the last attempt, {@link DetectorState#NO_TIMESTAMP} before the first. */
    public long lastAttemptTime() {
        return lastAttemptTime;
    }

    /** Consecutive accepted events with the key's alert open, up to now. */
    public long alertRun() {
        return alertRun;
    }

    /** Records an attempt made at event time {@code timestamp}. */
    public void attempted(long timestamp) {
        attempts++;
        sinceAttempt = 0;
        lastAttemptTime = timestamp;
    }

    /** Counts one accepted event, with whether the key's alert is open after it. */
    void counted(boolean alertOpen) {
        sinceAttempt++;
        alertRun = alertOpen ? alertRun + 1 : 0;
    }

    void restore(long sinceAttempt, long attempts, long lastAttemptTime, long alertRun) {
        this.sinceAttempt = sinceAttempt;
        this.attempts = attempts;
        this.lastAttemptTime = lastAttemptTime;
        this.alertRun = alertRun;
    }
}
