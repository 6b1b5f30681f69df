package dev.vigil.detect;

/**
 * A key's place in its retraining schedule, carried in its {@link DetectorState} (so it survives restarts and
 * moves with the key to another instance): accepted events since the last training attempt, attempts so far, the
 * event time of the last attempt, how many consecutive events the key's alert has been open, and the key's pending
 * model swap: a training of version {@link #pendingVersion()} on the key's window as it was at its accepted event
 * {@link #pendingThrough()}, which takes effect at a fixed later event ({@code dev.vigil.lifecycle.KeyLifecycle}).
 * The policy that reads it is {@code dev.vigil.train.RetrainClock}. Mutable, not thread-safe.
 */
public final class TrainingSchedule {
    long sinceAttempt;
    long attempts;
    long lastAttemptTime = DetectorState.NO_TIMESTAMP;
    long alertRun;
    long pendingThrough = NO_PENDING_SWAP;
    long pendingVersion;

    /** {@link #pendingThrough()} of a key with no pending swap. */
    public static final long NO_PENDING_SWAP = 0;

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

    /**
     * The accepted event (1 = the key's first) whose window the pending training is trained on, or {@link
     * #NO_PENDING_SWAP}.
     */
    public long pendingThrough() {
        return pendingThrough;
    }

    /** The version the pending training produces (meaningful while {@link #hasPendingSwap()}). */
    public long pendingVersion() {
        return pendingVersion;
    }

    public boolean hasPendingSwap() {
        return pendingThrough != NO_PENDING_SWAP;
    }

    /** Records a training of {@code version} on the window ending at the key's accepted event {@code through}. */
    public void swapPending(long through, long version) {
        if (through <= NO_PENDING_SWAP || version < 1) {
            throw new IllegalArgumentException("a pending swap needs through >= 1 and version >= 1, got " + through
                    + " and " + version);
        }
        pendingThrough = through;
        pendingVersion = version;
    }

    /** The pending swap took place (or its training was refused): none is pending now. */
    public void swapDone() {
        pendingThrough = NO_PENDING_SWAP;
        pendingVersion = 0;
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

    void restorePending(long through, long version) {
        this.pendingThrough = through;
        this.pendingVersion = version;
    }

    void restore(long sinceAttempt, long attempts, long lastAttemptTime, long alertRun) {
        this.sinceAttempt = sinceAttempt;
        this.attempts = attempts;
        this.lastAttemptTime = lastAttemptTime;
        this.alertRun = alertRun;
    }
}
