package dev.vigil.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads of their own for the data endpoints ({@code /sensors/...}, {@code /api/...}), apart from the HTTP threads
 * that answer {@code /health}, {@code /ready} and {@code /metrics}. A data request reads Kafka Streams stores by
 * interactive query, and such a read waits while the store's stream thread holds its record cache, which it does all
 * through a commit the broker does not answer (a whole outage): on the HTTP threads, a few of them would hold every
 * thread, and the probes and scrapes would wait behind them when they matter most. Here they wait on the lane's
 * threads; when every thread is busy and the queue full, a further request is answered at once with 503 and
 * {@code Retry-After}, and a request that waited in the queue longer than its clients wait ({@link #QUEUED_AT_MOST})
 * gets the same instead of a late answer. Thread-safe.
 */
final class DataLane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataLane.class);
    /** Threads answering data requests. */
    static final int THREADS = 4;
    /** Data requests that may wait for a thread; one more is refused. */
    static final int QUEUE = 32;
    /** Longest a request waits for a thread before it is answered 503 rather than served. */
    static final Duration QUEUED_AT_MOST = Duration.ofSeconds(10);
    /** What {@code Retry-After} asks a refused client to wait, in seconds. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final ThreadPoolExecutor threads;
    private final Duration queuedAtMost;
    private final AtomicLong refused = new AtomicLong();

    DataLane() {
        this(THREADS, QUEUE, QUEUED_AT_MOST);
    }

    DataLane(int threads, int queue, Duration queuedAtMost) {
        this.threads = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), DaemonThreads.numbered("vigil-http-data"));
        this.queuedAtMost = queuedAtMost;
    }

    /**
     * {@code handler} answered on the lane's threads. It must close the exchange (as {@link HttpEndpoint}'s GET
     * wrapper does); the HTTP thread that hands it over returns at once.
     */
    HttpHandler on(HttpHandler handler) {
        return exchange -> {
            long queued = System.nanoTime();
            try {
                threads.execute(() -> serve(handler, exchange, queued));
            } catch (RejectedExecutionException e) {
                refuse(exchange, "every one of its " + threads.getMaximumPoolSize() + " threads is busy and "
                        + threads.getQueue().size() + " requests wait (a state store that does not answer, e.g."
                        + " during a broker outage)");
            }
        };
    }

    private void serve(HttpHandler handler, HttpExchange exchange, long queued) {
        long waited = System.nanoTime() - queued;
        try {
            if (waited > queuedAtMost.toNanos()) {
                refuse(exchange, "it waited " + TimeUnit.NANOSECONDS.toSeconds(waited)
                        + " s for a thread (a state store that does not answer, e.g. during a broker outage)");
                return;
            }
            handler.handle(exchange);
        } catch (IOException | RuntimeException e) {
            LOG.warn("HTTP {} failed", exchange.getRequestURI(), e);
            exchange.close();
        }
    }

    private void refuse(HttpExchange exchange, String why) throws IOException {
        refused.incrementAndGet();
        try (exchange) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            HttpEndpoint.sendJson(exchange, 503, HttpEndpoint.error("the data endpoints are busy: " + why
                    + "; try again in " + RETRY_AFTER_SECONDS + " s"));
        }
    }

    /** Requests waiting for a thread. */
    int waiting() {
        return threads.getQueue().size();
    }

    /** Requests answered 503 so far: the lane full, or too long in its queue. */
    long refused() {
        return refused.get();
    }

    /** Stops the threads (requests still waiting are dropped with their connections). */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
