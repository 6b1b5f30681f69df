package dev.vigil.lstm;

import dev.vigil.VigilException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs the two parts of a task at once, part 1 on a helper thread and part 0 on the caller, and returns when both are
 * done; for {@link MinibatchGradient}, which hands over several phases per minibatch. The hand-off is a pair of
 * volatile counters (which also publish the caller's writes to the helper and back): the waiting side spins for up
 * to {@code spinNanos} (a phase lasts tens to hundreds of microseconds, about what parking and waking a thread costs)
 * and then parks. The helper is a daemon thread, started by the constructor and ended by {@link #stop} (after which
 * the runner is done with). Not thread-safe: one caller at a time.
 */
final class PartRunner {

    private final long spinNanos;
    private volatile IntConsumer task;
    private volatile long started;
    private volatile long finished;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private volatile Thread caller;
    private final Thread helper;

    /** @param spinNanos how long a waiting side spins before it parks; 0 parks at once */
    PartRunner(long spinNanos) {
        this.spinNanos = spinNanos;
        this.helper = new Thread(this::serve, "vigil-lstm-trainer-helper");
        helper.setDaemon(true);
        helper.start();
    }

    /**
     * Runs {@code task.accept(0)} here and {@code task.accept(1)} on the helper thread; returns when both have
     * returned. An exception from either part is thrown here, after both parts have ended.
     */
    void run(IntConsumer part) {
        caller = Thread.currentThread();
        failure = null;
        task = part;
        long generation = started + 1;
        started = generation;
        LockSupport.unpark(helper);
        RuntimeException own = null;
        try {
            part.accept(0);
        } catch (RuntimeException e) {
            own = e;
        }
        long spinUntil = System.nanoTime() + spinNanos;
        while (finished != generation) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        task = null;
        if (own != null) {
            throw own;
        }
        Throwable helperFailure = failure;
        if (helperFailure instanceof RuntimeException) {
            throw (RuntimeException) helperFailure;
        }
        if (helperFailure != null) {
            throw new VigilException("trainer helper thread failed: " + helperFailure, helperFailure);
        }
    }

    /** Ends the helper thread; {@link #run} must not be called after. */
    void stop() {
        stopping = true;
        LockSupport.unpark(helper);
    }

    private void serve() {
        long done = finished;
        while (true) {
            long spinUntil = System.nanoTime() + spinNanos;
            while (started == done && !stopping) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (started == done) {
                return;
            }
            done = started;
            try {
                task.accept(1);
            } catch (Throwable e) {
                failure = e;
            }
            finished = done;
            LockSupport.unpark(caller);
        }
    }
}
