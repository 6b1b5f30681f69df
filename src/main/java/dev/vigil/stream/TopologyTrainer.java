package dev.vigil.stream;

import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.lifecycle.TrainingPoint;
import dev.vigil.lifecycle.TrainingRequests;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.train.ModelTrainer;
import dev.vigil.train.RetrainConfig;
import dev.vigil.train.TrainingOutcome;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains the models of one topology in the {@link ModelTrainingService}'s pool, ahead of their swap points, on
 * request of the topology's {@link DetectorProcessor}s, and publishes the models keys put in force. A request carries
 * its training data (the key's window as it was at the training's point, in shared scope in the key's units), the
 * version to produce and the model in force, so a training here gives the model the key would train in line at its
 * swap point ({@link dev.vigil.lifecycle.KeyLifecycle}): {@link ModelTrainer} (truncated BPTT, validation on the
 * newest tail, accepted only if it beats the model in force there and its payload fits {@code maxModelBytes}),
 * stopped at {@code maxTrainingMs} or at shutdown. The outcome (accepted, refused or failed; not a stopped one) is
 * kept until the key takes it at its swap point ({@link #delivered}); one per model id (a newer one replaces it). A
 * key that reaches its swap point while its training runs waits for it rather than training it a second time, and
 * while it waits its stream thread runs the oldest queued training itself (a queued request goes to whichever thread
 * claims it first), so that when many keys come due together (a fleet started at once, a backfill) the stream thread
 * and the trainer work through them side by side, none twice. A training the key asked for and found still queued at
 * its swap point (it then trains it in line) is withdrawn: skipped when a thread claims it, so that after a backfill
 * the trainer does not spend itself on trainings no key will take. A
 * model a key put in force is published to the compacted models topic keyed by its id ({@link #publish}), to the
 * partition of the key's events (a shared model to every partition); the key's task's model store then picks it up. A training that fails, is refused or takes too long is logged and
 * counted in metrics; at most one training per model is queued or running at a time. Thread-safe.
 */
public final class TopologyTrainer implements TrainingRequests {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyTrainer.class);
    /** Longest wait for a running training's end before looking again (its end notifies sooner). */
    private static final long WAIT_MS = 10;

    private final TopologyConfig topology;
    private final RetrainConfig retrain;
    private final Executor pool;
    private final ThreadLocal<ModelTrainer> trainers;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    /** Trainings their key found queued at its swap point and trained in line (they may have started since): by id. */
    private final Map<String, TrainingPoint> withdrawn = new ConcurrentHashMap<>();
    /** Trainings running now, on a training thread or a stream thread that claimed them: by model id. */
    private final Map<String, TrainingPoint> running = new ConcurrentHashMap<>();
    /** Requests not yet claimed by a thread, oldest first (a claimed one leaves when its claimer removes it). */
    private final Queue<Job> waiting = new ConcurrentLinkedQueue<>();
    /** Notified whenever a training ends; a stream thread waiting for one waits on it. */
    private final Object ended = new Object();

    private final Sensor queued;
    private final Sensor deferred;
    private final Sensor publishedModels;
    private final Sensor notBetter;
    private final Sensor failed;
    private final Sensor timedOut;
    private final Sensor oversized;
    private final Sensor skipped;
    private final Sensor waitedFor;
    private final Sensor helped;
    private final Sensor trainingTime;

    private record Delivery(TrainingPoint point, TrainingOutcome outcome) {
    }

    /** One request, run by whichever thread claims it first: a training thread, or a stream thread that waits. */
    private final class Job implements Runnable {
        final Request request;
        private final AtomicBoolean claimed = new AtomicBoolean();

        Job(Request request) {
            this.request = request;
        }

        /** Runs the training here if no other thread has claimed it. */
        @Override
        public void run() {
            if (claim()) {
                TopologyTrainer.this.run(request);
            }
        }

        /** Takes the job for the calling thread, out of the waiting queue; false when another thread has it. */
        boolean claim() {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            waiting.remove(this);
            return true;
        }
    }

    TopologyTrainer(TopologyConfig topology, String applicationId, DetectorConfig detector, RetrainConfig retrain,
                    Executor pool, int parallelism, Metrics metrics) {
        this.topology = topology;
        this.retrain = retrain;
        this.pool = pool;
        this.trainers = ThreadLocal.withInitial(() -> ModelTrainer.of(detector, retrain, parallelism));
        Map<String, String> tags = Map.of("topology", topology.name(), "application-id", applicationId);
        queued = counter(metrics, tags, "trainings-queued", "Training requests taken into the queue.");
        deferred = counter(metrics, tags, "trainings-deferred",
                "Training requests refused because the queue was full (the key trains in line at its swap point).");
        publishedModels = counter(metrics, tags, "models-published", "Models put in force and published to the models topic.");
        notBetter = counter(metrics, tags, "models-not-better",
                "Trained models refused: they did not beat the model in force on the validation tail.");
        failed = counter(metrics, tags, "trainings-failed", "Trainings that failed (e.g. non-finite loss).");
        timedOut = counter(metrics, tags, "trainings-timed-out", "Trainings abandoned at retrain.maxTrainingMs.");
        oversized = counter(metrics, tags, "models-oversized", "Models refused: payload above retrain.maxModelBytes.");
        skipped = counter(metrics, tags, "trainings-skipped",
                "Trainings stopped by a shutdown, or withdrawn: their key trained them in line at its swap point.");
        waitedFor = counter(metrics, tags, "trainings-waited-for",
                "Trainings a key found running at its swap point and waited for instead of training them again.");
        helped = counter(metrics, tags, "trainings-helped",
                "Queued trainings a stream thread ran itself while it waited at a swap point for a running one.");
        trainingTime = metrics.sensor("vigil-trainer-time-" + topology.name());
        trainingTime.add(metrics.metricName("training-time-ms-avg", ModelTrainingService.GROUP,
                "Mean wall time of a training, ms.", tags), new Avg());
        trainingTime.add(metrics.metricName("training-time-ms-max", ModelTrainingService.GROUP,
                "Longest training, ms.", tags), new Max());
        trainingTime.add(metrics.metricName("trainings-total", ModelTrainingService.GROUP,
                "Trainings run to an outcome (published or not).", tags), new CumulativeCount());
    }

    @Override
    public boolean offer(Request request) {
        String id = request.point().modelId();
        if (!pending.add(id)) {
            return true;
        }
        Job job = new Job(request);
        waiting.add(job);
        try {
            pool.execute(job);
            queued.record();
            return true;
        } catch (RejectedExecutionException e) {
            waiting.remove(job);
            pending.remove(id);
            deferred.record();
            return false;
        }
    }

    /**
     * Whether an offer of {@code point} would be queued now: the pool's queue has room, and no training of its model
     * is queued or running here nor delivered for that point.
     */
    @Override
    public boolean wants(TrainingPoint point) {
        if (pending.contains(point.modelId())) {
            return false;
        }
        Delivery d = deliveries.get(point.modelId());
        if (d != null && d.point().equals(point)) {
            return false;
        }
        return !(pool instanceof ThreadPoolExecutor executor) || executor.getQueue().remainingCapacity() > 0;
    }

    /**
     * The outcome of the training {@code point} if this trainer finished it; taking it removes it. When it is running,
     * waits for it to end (on the calling stream thread, which meanwhile runs queued trainings itself), so that it is
     * not trained twice. When it did not finish (not asked, still queued, stopped), the key trains it in line, and this
     * trainer withdraws it if it is queued.
     */
    Optional<TrainingOutcome> delivered(TrainingPoint point) {
        Optional<TrainingOutcome> outcome = take(point);
        if (outcome.isEmpty() && point.equals(running.get(point.modelId()))) {
            awaitEnd(point);
            outcome = take(point);
            if (outcome.isPresent()) {
                waitedFor.record();
            }
        }
        if (outcome.isEmpty() && pending.contains(point.modelId())) {
            withdrawn.put(point.modelId(), point);
        }
        return outcome;
    }

    private Optional<TrainingOutcome> take(TrainingPoint point) {
        Delivery d = deliveries.get(point.modelId());
        if (d == null || !d.point().equals(point) || !deliveries.remove(point.modelId(), d)) {
            return Optional.empty();
        }
        return Optional.of(d.outcome());
    }

    /** Until the running training {@code point} ends, runs the oldest queued training here, or waits for one to end. */
    private void awaitEnd(TrainingPoint point) {
        while (point.equals(running.get(point.modelId()))) {
            Job next = waiting.peek();
            if (next != null) {
                if (next.claim()) {
                    if (!isWithdrawn(next.request.point())) {
                        helped.record();
                    }
                    run(next.request);
                } else {
                    waiting.remove(next); // its claimer removes it too; gone either way
                }
                continue;
            }
            synchronized (ended) {
                if (!point.equals(running.get(point.modelId()))) {
                    return;
                }
                try {
                    ended.wait(WAIT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * A key whose model id is {@code modelId} was forgotten: the outcome kept for it is dropped and a training of it
     * queued or running is withdrawn (skipped, or stopped and not kept), so that no model waits here for a key that
     * will never take it.
     */
    void forget(String modelId) {
        deliveries.remove(modelId);
        TrainingPoint now = running.get(modelId);
        if (now != null) {
            withdrawn.put(modelId, now);
        }
        for (Job job : waiting) {
            if (job.request.point().modelId().equals(modelId)) {
                withdrawn.put(modelId, job.request.point());
            }
        }
    }

    /** Whether the training of {@code modelId} is running now (tests). */
    boolean running(String modelId) {
        return running.containsKey(modelId);
    }

    /**
     * Counts and logs a model a key put in force: the detector publishes it to the models topic through its models
     * sink, in the task's transaction ({@link ModelSink}), to {@code partition} (a shared model to every partition).
     */
    void published(LstmModel model, int partition) {
        publishedModels.record();
        LOG.debug("topology {}: '{}' version {} published to {} (put in force, in the task's transaction)",
                topology.name(),
                model.info().modelId(), model.info().version(), ModelRecords.shared(model.info().modelId())
                        ? topology.modelsTopic() + " (every partition)" : topology.modelsTopic() + "-" + partition);
    }

    private void run(Request request) {
        String id = request.point().modelId();
        running.put(id, request.point());
        try {
            train(request);
        } catch (RuntimeException e) {
            failed.record();
            LOG.warn("topology {}: training of '{}' failed", topology.name(), id, e);
        } finally {
            withdrawn.remove(id, request.point());
            running.remove(id, request.point());
            pending.remove(id);
            synchronized (ended) {
                ended.notifyAll();
            }
        }
    }

    private boolean isWithdrawn(TrainingPoint point) {
        return point.equals(withdrawn.get(point.modelId()));
    }

    private void train(Request request) {
        TrainingPoint point = request.point();
        if (isWithdrawn(point)) {
            skipped.record();
            LOG.debug("topology {}: '{}' version {} withdrawn before it started: the key trained it in line",
                    topology.name(), point.modelId(), point.version());
            return;
        }
        long deadline = System.nanoTime() + retrain.maxTrainingMs() * 1_000_000L;
        boolean[] late = new boolean[1];
        TrainingOutcome outcome = trainers.get().train(point.modelId(), point.version(), request.window(),
                request.current(), () -> {
                    late[0] = System.nanoTime() > deadline;
                    return late[0] || Thread.currentThread().isInterrupted() || isWithdrawn(point);
                });
        long ms = outcome.nanos() / 1_000_000;
        if (outcome.status() == TrainingOutcome.Status.STOPPED && !late[0] && isWithdrawn(point)) {
            skipped.record();
            LOG.debug("topology {}: '{}' version {} withdrawn after {} ms: the key trained it in line", topology.name(),
                    point.modelId(), point.version(), ms);
            return;
        }
        trainingTime.record(ms);
        // a withdrawn training that ended before it noticed is not kept: its key trained it in line, or is forgotten
        if (outcome.status() != TrainingOutcome.Status.STOPPED && !isWithdrawn(point)) {
            deliveries.put(point.modelId(), new Delivery(point, outcome));
        }
        Sensor why = switch (outcome.status()) {
            case ACCEPTED -> null;
            case REFUSED -> outcome.reason().startsWith(ModelTrainer.OVERSIZED) ? oversized : notBetter;
            case FAILED -> failed;
            case STOPPED -> late[0] ? timedOut : skipped;
        };
        if (why != null) {
            why.record();
        }
        String line = "topology {}: '{}' version {} trained through {} ({}, {} readings, {} ms): {}";
        Object[] args = {topology.name(), point.modelId(), point.version(), point.through(), request.trigger(),
                request.window().size(), ms, late[0] ? "took longer than retrain.maxTrainingMs = "
                + retrain.maxTrainingMs() + " ms; the key trains it in line" : outcome.reason()};
        if (why == null || why == notBetter) {
            LOG.debug(line, args);
        } else {
            LOG.info(line, args);
        }
    }

    private static Sensor counter(Metrics metrics, Map<String, String> tags, String name, String description) {
        Sensor sensor = metrics.sensor("vigil-trainer-" + name + "-" + tags.get("topology"));
        sensor.add(metrics.metricName(name + "-total", ModelTrainingService.GROUP, description, tags),
                new CumulativeCount());
        return sensor;
    }
}
