package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a task's model store from its partition of the compacted models topic (key = model id: the sensor key, or
 * {@code shared} for a topology's shared model, which is published to every partition; value = {@code ModelCodec}
 * bytes). It runs in the detector's sub-topology, so partition p's models land in the store the detector of
 * partition p reads. A payload is stored only if {@link ModelPayloads} accepts it; a refused one is logged at WARN
 * with topic/partition/offset and counted ({@link VigilMetrics#MODELS_REFUSED}), and the key's previous payload
 * stays in the store, so the previous model stays in force. A tombstone removes the key's model (the key falls back
 * to the persistence predictor until a new model arrives). After each change the store's {@link ModelGeneration}
 * (entry under the empty key) is raised, and the change recorded in the task's {@link ModelStoreChanges}, so that
 * detectors re-read the generation only then, and only the changed key's payload. A model accepted is also cached,
 * decoded, in the instance's {@link DecodedModels} for the task's detector ({@link ModelCache#accepted}), so that its
 * payload is decoded once, not again at the key's next event. Each acceptance is logged (the task's first {@value
 * DetectorProcessor#WARN_FIRST} and then one in {@value DetectorProcessor#WARN_EVERY} at INFO, every one at DEBUG).
 *
 * <p>The store is changelogged: after a restart it resumes from its local state, and on a lost state directory
 * (or on another instance, after a rebalance) Kafka Streams restores it from the changelog, which holds exactly the
 * payloads this processor accepted; the models topic is then read on from the committed offset. Restoring from
 * the models topic itself would put its records into the store unchecked (a corrupt newest payload would replace
 * a good one), which is why the store keeps a changelog of its own.
 */
final class ModelStoreUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ModelStoreUpdater.class);

    private final TopologyNames names;
    private final LstmConfig shape;
    private final int maxBytes;
    private final ModelStoreChanges changes;
    private final DecodedModels decoded;
    private ProcessorContext<Void, Void> context;
    /** The store and task, as the task's detector names its entries in {@link #decoded}. */
    private String storeAndTask;
    /** Models accepted by this task, numbered in its log lines ({@link DetectorProcessor#atLevel}). */
    private long acceptedCount;
    private ModelStoreChanges.Task changed;
    private KeyValueStore<String, byte[]> store;
    private Sensor accepted;
    private Sensor refused;
    private Sensor retracted;

    /**
     * @param decoded the instance's decoded models: a model accepted is cached there for the task's detector, which
     *                would otherwise decode its payload again at the key's next event
     */
    ModelStoreUpdater(TopologyNames names, LstmConfig shape, int maxBytes, ModelStoreChanges changes,
                      DecodedModels decoded) {
        this.names = names;
        this.changes = changes;
        this.decoded = decoded;
        this.shape = shape;
        this.maxBytes = maxBytes;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(names.modelStore());
        this.storeAndTask = names.modelStoreOfTask(context.taskId());
        this.changed = changes.of(storeAndTask);
        // a store restored from its changelog (or changed on another instance while the task was away): track from here
        changed.restart(ModelGeneration.decode(store.get(ModelGeneration.KEY)));
        this.accepted = VigilMetrics.counter(context.metrics(), names.topology(), VigilMetrics.MODELS_ACCEPTED);
        this.refused = VigilMetrics.counter(context.metrics(), names.topology(), VigilMetrics.MODELS_REFUSED);
        this.retracted = VigilMetrics.counter(context.metrics(), names.topology(), VigilMetrics.MODELS_RETRACTED);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null || key.isEmpty()) {
            refuse(key, "the record has no key (a model's key is its model id, the sensor key)");
            return;
        }
        if (record.value() == null) {
            boolean held = store.delete(key) != null;
            advanceGeneration(key, held ? -1 : 0);
            retracted.record();
            LOG.info("model for key '{}' retracted by a tombstone at {}", key, where());
            return;
        }
        try {
            LstmModel model = ModelPayloads.decode(key, record.value(), shape, maxBytes);
            boolean held = store.get(key) != null;
            store.put(key, record.value());
            long generation = advanceGeneration(key, held ? 0 : 1);
            ModelCache.accepted(decoded, storeAndTask, key, record.value(), model, generation);
            accepted.record();
            logAccepted(key, model);
        } catch (BadBytesException e) {
            refuse(key, e.getMessage());
        }
    }

    /**
     * Raises the store's {@link ModelGeneration} after a change (so readers notice it without reading payloads) and
     * moves its model count by {@code delta}, then records the change of {@code key} at it in the task's {@link
     * ModelStoreChanges} (so they read the generation, and re-read {@code key}'s payload only). A count not known yet
     * (an entry written before it existed) is counted once, over the store's keys.
     */
    private long advanceGeneration(String key, int delta) {
        byte[] entry = store.get(ModelGeneration.KEY);
        long current = ModelGeneration.decode(entry);
        long models = ModelGeneration.models(entry);
        models = models == ModelGeneration.UNKNOWN ? countModels() : models + delta;
        long next = current == ModelGeneration.UNKNOWN ? 1 : current + 1;
        store.put(ModelGeneration.KEY, ModelGeneration.encode(next, models));
        changed.changed(key, next);
        return next;
    }

    /**
     * Logs a model accepted: at INFO when {@link DetectorProcessor#atLevel} says so (a fleet's models arrive by the
     * thousand a minute, and {@code vigil_model_payloads_total} counts them all), at DEBUG otherwise.
     */
    private void logAccepted(String key, LstmModel model) {
        long n = ++acceptedCount;
        if (DetectorProcessor.atLevel(n)) {
            LOG.info("model for key '{}' version {} accepted at {} (#{} of this task)", key, model.info().version(),
                    where(), n);
        } else {
            LOG.debug("model for key '{}' version {} accepted at {}", key, model.info().version(), where());
        }
    }

    private long countModels() {
        long n = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                n += ModelGeneration.KEY.equals(all.next().key) ? 0 : 1;
            }
        }
        return n;
    }

    private void refuse(String key, String why) {
        refused.record();
        LOG.warn("model payload for key '{}' at {} refused, the previous model stays in force: {}", key, where(), why);
    }

    private String where() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + " offset " + m.offset())
                .orElse("(unknown offset)");
    }
}
