package dev.vigil.eval;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a running evaluation, safe to read from another thread (e.g. a progress display). */
public final class EvaluationProgress {
    private final AtomicInteger filesDone = new AtomicInteger();
    private final AtomicLong rowsDone = new AtomicLong();
    private volatile int filesTotal;
    private volatile long rowsTotal;
    private final long startNanos = System.nanoTime();

    void start(int files, long rows) {
        filesTotal = files;
        rowsTotal = rows;
    }

    void row() {
        rowsDone.incrementAndGet();
    }

    void fileDone() {
        filesDone.incrementAndGet();
    }

    public int filesDone() {
        return filesDone.get();
    }

    public int filesTotal() {
        return filesTotal;
    }

    public long rowsDone() {
        return rowsDone.get();
    }

    public long rowsTotal() {
        return rowsTotal;
    }

    /** Rows replayed per second since the evaluation started. */
    public double rowsPerSecond() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds <= 0 ? 0 : rowsDone.get() / seconds;
    }
}
