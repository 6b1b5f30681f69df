package dev.vigil.lstm;

import dev.vigil.VigilException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the chunks of a task on the caller and one helper thread, each chunk once, whichever takes it first, and
 * returns when all are done; for {@link MinibatchGradient}, which hands over two phases per minibatch. The caller
 * never waits for the helper to be scheduled: when no core is free it runs every chunk itself (then costing one
 * unpark per phase), and the helper takes chunks only while it runs. Which thread ran a chunk must not change its
 * result: a chunk gets the index of its thread ({@code worker} 0 or 1) only to pick scratch space. The helper, a
 * daemon thread from the constructor to {@link #stop}, spins for up to {@code spinNanos} after a phase before it
 * parks; so does the caller waiting for the helper's last chunk. Not thread-safe: one caller at a time.
 */
final class PartRunner {

    /** One chunk of a phase. */
    @FunctionalInterface
    interface Chunk {
        void run(int chunk, int worker);
    }

    private final long spinNanos;
    /**
     * Phase number (high 32 bits), its chunk count (next 16) and next unclaimed chunk (low 16), in one word so that a
     * claim is one compare-and-set against a consistent phase.
     */
    private final AtomicLong state = new AtomicLong();
    private final AtomicInteger completed = new AtomicInteger();
    private final Thread helper;
    private volatile Chunk task;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private volatile Thread caller;

    /** @param spinNanos how long a waiting side spins before it parks; 0 parks at once */
    PartRunner(long spinNanos) {
        this.spinNanos = spinNanos;
        this.helper = new Thread(this::serve, "vigil-lstm-trainer-helper");
        helper.setDaemon(true);
        helper.setPriority(Thread.currentThread().getPriority());
        helper.start();
    }

    /**
     * Runs {@code task} on chunks {@code 0 .. chunks-1}, here and on the helper; returns when every chunk has returned.
     * A chunk's exception is thrown here once all have ended.
     */
    void run(int chunks, Chunk part) {
        if (chunks < 1 || chunks > 0xFFFF) {
            throw new IllegalArgumentException("chunks must be in [1, 65535], got " + chunks);
        }
        caller = Thread.currentThread();
        failure = null;
        completed.set(0);
        task = part;
        long phase = (state.get() >>> 32) + 1;
        state.set(phase << 32 | (long) chunks << 16);
        LockSupport.unpark(helper);
        work(phase, 0);
        long spinUntil = System.nanoTime() + spinNanos;
        while (completed.get() != chunks) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        task = null;
        Throwable chunkFailure = failure;
        if (chunkFailure instanceof RuntimeException) {
            throw (RuntimeException) chunkFailure;
        }
        if (chunkFailure != null) {
            throw new VigilException("trainer chunk failed: " + chunkFailure, chunkFailure);
        }
    }

    /** Ends the helper thread; {@link #run} must not be called after. */
    void stop() {
        stopping = true;
        LockSupport.unpark(helper);
    }

    /** Claims and runs chunks of {@code phase} until none is left. */
    private void work(long phase, int worker) {
        while (true) {
            long s = state.get();
            int next = (int) (s & 0xFFFF);
            int chunks = (int) ((s >>> 16) & 0xFFFF);
            if (s >>> 32 != phase || next >= chunks) {
                return;
            }
            if (!state.compareAndSet(s, s + 1)) {
                continue;
            }
            // claimed: the phase cannot end before this chunk does, so task is this phase's
            try {
                task.run(next, worker);
            } catch (Throwable e) {
                failure = e;
            }
            if (completed.incrementAndGet() == chunks && worker == 1) {
                LockSupport.unpark(caller);
            }
        }
    }

    private void serve() {
        long seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + spinNanos;
            while (state.get() >>> 32 == seen && !stopping) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (stopping) {
                return;
            }
            seen = state.get() >>> 32;
            work(seen, 1);
        }
    }
}
