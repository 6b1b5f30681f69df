package dev.vigil.app.http;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;

/**
 * A gauge's value whose source may wait, read so that a metrics scrape waits on it at most {@link #WAIT}: an
 * interactive query of a Kafka Streams store waits while the store's stream thread holds its record cache, which it
 * does all through a commit the broker does not answer (a whole outage). Each {@link #get()} starts a read on the
 * reader threads unless one is still running, and answers its value if it ends within {@link #WAIT}, else the last
 * value read (NaN before the first, and after a read that failed). Thread-safe.
 */
final class RefreshedValue {
    /** Longest a scrape waits for one read. */
    static final Duration WAIT = Duration.ofSeconds(1);

    private final DoubleSupplier source;
    private final ExecutorService readers;
    private volatile double value = Double.NaN;
    /** The read started last; guarded by this. */
    private Future<?> reading;

    RefreshedValue(DoubleSupplier source, ExecutorService readers) {
        this.source = source;
        this.readers = readers;
    }

    /** The source's value if a read ends within {@link #WAIT}, else the last value read. */
    double get() {
        Future<?> read;
        synchronized (this) {
            if (reading == null || reading.isDone()) {
                reading = readers.submit(this::read);
            }
            read = reading;
        }
        try {
            read.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the read still waits on its store (it goes on, and the next scrape may see it): the last value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return value;
    }

    private void read() {
        try {
            value = source.getAsDouble();
        } catch (RuntimeException e) {
            value = Double.NaN;
        }
    }
}
