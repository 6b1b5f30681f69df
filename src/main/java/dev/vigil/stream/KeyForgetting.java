package dev.vigil.stream;

import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.score.AlertReason;
import dev.vigil.score.AlertTransition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * How a detector task forgets keys ({@link DetectorProcessor}): those idle for {@code keyIdleExpiryMs} of event time,
 * and one a request on the input topic names ({@link ForgetRequests}). Every state held behind is written first (no
 * replay after this point runs a forgotten key's earlier events again), then the key's state and history are deleted,
 * an alert it had open is closed (reason {@code expired} or {@code deleted}), and a model of its own is retracted by a
 * tombstone in the task's partition of the models topic (per-key scope; a shared model is every key's). Each is
 * counted ({@link VigilMetrics#KEYS_EXPIRED}, {@link VigilMetrics#KEYS_DELETED}). Not thread-safe; one per processor.
 */
final class KeyForgetting {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorProcessor.class);

    /** Where the processor sends an alert record (a key's open alert closed). */
    @FunctionalInterface
    interface AlertSink {
        void alert(String key, long timestamp, DetectorResult result);
    }

    private final DetectorStores stores;
    private final StreamModels models;
    private final boolean shared;
    private final DeadLetterSink deadLetters;
    private final ProcessorContext<String, byte[]> context;
    private final TopologyNames names;
    private final AlertSink alerts;
    private final Sensor expired;
    private final Sensor deleted;
    private final String task;

    /**
     * @param shared  whether the topology's keys share one model (nothing of a key's own to retract)
     * @param context the task's context: a retracted model's tombstone is forwarded to the models sink, to the task's
     *                partition, in the task's transaction
     */
    KeyForgetting(DetectorStores stores, StreamModels models, boolean shared, DeadLetterSink deadLetters,
                  ProcessorContext<String, byte[]> context, TopologyNames names, AlertSink alerts, Sensor expired,
                  Sensor deleted) {
        this.stores = stores;
        this.models = models;
        this.shared = shared;
        this.deadLetters = deadLetters;
        this.context = context;
        this.names = names;
        this.alerts = alerts;
        this.expired = expired;
        this.deleted = deleted;
        this.task = context.taskId().toString();
    }

    /**
     * Forgets the task's keys whose latest event time is before {@code before}, at the task's clock {@code now};
     * {@code next} is the input offset after the task's latest record, {@code idleExpiryMs} names the setting in the
     * closed alerts' detail.
     */
    void expireIdle(long before, long now, long next, long idleExpiryMs) {
        List<String> idle = stores.scans().idleKeys(before);
        if (idle.isEmpty()) {
            return;
        }
        stores.writeAll(next);
        for (String key : idle) {
            forget(key, now, AlertReason.EXPIRED, "no event since %s, more than keyIdleExpiryMs " + idleExpiryMs
                    + " before " + Instant.ofEpochMilli(now) + ": the key is forgotten");
            expired.record();
        }
        LOG.info("forgot {} of {} key(s) of task {} with no event for keyIdleExpiryMs {} (latest event before {})",
                idle.size(), stores.scans().scanned(), task, idleExpiryMs, Instant.ofEpochMilli(before));
    }

    /**
     * A request on the input topic to forget its key ({@link ForgetRequests}); one without a key is dead-lettered.
     * {@code next} is the input offset after the task's latest record.
     */
    void onRequest(Record<String, byte[]> record, long next) {
        String key = record.key();
        if (key == null || key.isEmpty()) {
            deadLetters.send(record, RejectReason.MISSING_KEY, "a request to forget a key names no key");
            return;
        }
        stores.writeAll(next);
        boolean held = forget(key, record.timestamp(), AlertReason.DELETED,
                "the key is forgotten at a request (vigil forget); its latest event was at %s");
        deleted.record();
        LOG.info("forgot key '{}' of task {} at a request{}", key, task, held ? "" : " (it had no state)");
    }

    /**
     * Forgets {@code key}: its state and history deleted, an alert it had open closed for {@code reason} at {@code
     * timestamp} (the detail {@code detail} with its latest event time for {@code %s}), a model of its own retracted.
     * Returns whether the key had a state.
     */
    private boolean forget(String key, long timestamp, AlertReason reason, String detail) {
        DetectorState state = stores.delete(key);
        if (state != null && state.score().alertOpen()) {
            String said = String.format(Locale.ROOT, detail, Instant.ofEpochMilli(state.lastTimestamp()));
            alerts.alert(key, timestamp, new DetectorResult(timestamp, new double[0], null, null, 0, 0, 0, 0, false,
                    state.modelVersion(), false, AlertTransition.CLOSED, false, new int[0], false, reason, said, -1,
                    null));
        }
        if (!shared && models.retract(key)) {
            context.forward(new Record<>(key, ModelSink.tombstone(context.taskId().partition()),
                    context.currentSystemTimeMs(), new RecordHeaders()), names.modelsSink());
        }
        return state != null;
    }
}
