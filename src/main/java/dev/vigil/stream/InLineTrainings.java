package dev.vigil.stream;

import org.apache.kafka.common.metrics.Sensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainings a detector task ran in line on its stream thread: each counted, and told of at most once per {@value
 * #LOG_EVERY_MS} ms of wall time, since each one held every key of the task while it trained, which a live fleet
 * should not see. One per {@link DetectorProcessor}; not thread-safe.
 */
final class InLineTrainings {
    /** At most one line a task per this much wall time tells of the trainings run in line on its stream thread. */
    static final long LOG_EVERY_MS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(InLineTrainings.class);

    private final Sensor counted;
    private final String task;
    /** Trainings run in line since the last line that told of them, and when that was (wall ms; none yet: MIN). */
    private long untold;
    private long toldAt = Long.MIN_VALUE;

    InLineTrainings(Sensor counted, String task) {
        this.counted = counted;
        this.task = task;
    }

    /** The training of {@code key} ran in line at wall time {@code now}. */
    void record(String key, long now) {
        counted.record();
        untold++;
        if (toldAt != Long.MIN_VALUE && now - toldAt < LOG_EVERY_MS) {
            return;
        }
        LOG.info("task {}: {} model training(s) ran in line on the stream thread{} (latest: key '{}'): the trainer had"
                + " not delivered them by their keys' swap points (swapDelayEvents), so the task's events waited."
                + " Expected in a backfill; in a live stream raise trainer.threads or retrainInterval, and for a fleet"
                + " deployed at once set retrain.firstSpreadEvents (docs/retraining.md, Sizing)", task, untold,
                toldAt == Long.MIN_VALUE ? "" : " in the last " + (now - toldAt) / 1000 + " s", key);
        untold = 0;
        toldAt = now;
    }
}
