package dev.vigil.stream;

import dev.vigil.BadConfigException;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The background trainer of a running service: a bounded pool of training threads (off the stream threads) and a
 * bounded queue in front of it. Each topology gets a {@link TopologyTrainer} that its {@link DetectorProcessor}s
 * hand requests to; a request that finds the queue full is refused at once (the key trains the model in line at its
 * swap point), so event processing never waits for the queue. Trainings run at {@link Thread#MIN_PRIORITY}. Metrics go to the
 * service's registry, group {@value #GROUP}. Thread-safe.
 */
public final class ModelTrainingService implements AutoCloseable {
    /** Metric group of the trainer's metrics in the service registry. */
    public static final String GROUP = "vigil-trainer";
    private static final Logger LOG = LoggerFactory.getLogger(ModelTrainingService.class);
    private static final long CLOSE_WAIT_SECONDS = 30;
    /**
     * Thrown when the queue is full or the pool shut down: one instance, so that sustained back-pressure (many
     * keys' requests refused) does not build an exception and its stack trace per event.
     */
    private static final RejectedExecutionException QUEUE_FULL =
            new RejectedExecutionException("the training queue is full or the trainer has stopped");

    private final ThreadPoolExecutor pool;
    private final Metrics metrics;
    private final int parallelism;

    /** One thread per training. */
    public ModelTrainingService(int threads, int queueCapacity, Metrics metrics) {
        this(threads, queueCapacity, 1, metrics);
    }

    /**
     * @param threads       training threads: at most this many trainings run at once; 1..64
     * @param queueCapacity requests waiting for a thread; 1..1,000,000
     * @param parallelism   threads one training runs on (a training thread and a helper it starts): 1 or 2
     * @param metrics       the service's registry
     */
    public ModelTrainingService(int threads, int queueCapacity, int parallelism, Metrics metrics) {
        this.parallelism = dev.vigil.lstm.LstmTrainer.requireThreads("trainer.parallelism", parallelism);
        if (threads < 1 || threads > 64) {
            throw new BadConfigException("trainer.threads must be in [1, 64], got " + threads);
        }
        if (queueCapacity < 1 || queueCapacity > 1_000_000) {
            throw new BadConfigException("trainer.queue.capacity must be in [1, 1000000], got " + queueCapacity);
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, "vigil-trainer-" + n.incrementAndGet());
                    t.setDaemon(true);
                    t.setPriority(Thread.MIN_PRIORITY);
                    return t;
                }, (task, executor) -> {
                    throw QUEUE_FULL;
                });
        this.metrics = metrics;
        metrics.addMetric(name("queue-size", "Training requests waiting for a thread."),
                (Measurable) (config, now) -> pool.getQueue().size());
        metrics.addMetric(name("trainings-running", "Trainings running now."),
                (Measurable) (config, now) -> pool.getActiveCount());
        LOG.info("background trainer: {} thread(s) of parallelism {}, queue of {}", threads, parallelism,
                queueCapacity);
    }

    /**
     * The trainer of one topology.
     *
     * @param applicationId the topology's Streams application id
     * @param detector      the detector settings the topology runs with
     */
    public TopologyTrainer forTopology(TopologyConfig topology, String applicationId, DetectorConfig detector,
                                       RetrainConfig retrain) {
        return new TopologyTrainer(topology, applicationId, detector, retrain, pool, parallelism, metrics);
    }

    /** Requests waiting for a thread. */
    public int queued() {
        return pool.getQueue().size();
    }

    private MetricName name(String name, String description) {
        return metrics.metricName(name, GROUP, description, Map.of());
    }

    /** Stops the pool: queued requests are dropped, running trainings are told to stop and abandon their run. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("a training did not stop within {} s", CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
