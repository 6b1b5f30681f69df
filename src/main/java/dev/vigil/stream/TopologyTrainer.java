package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.Normalisation;
import dev.vigil.train.ModelTrainer;
import dev.vigil.train.RetrainConfig;
import dev.vigil.train.TrainingOutcome;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Trains the models of one topology in the {@link ModelTrainingService}'s pool, on request of the topology's
 * {@link DetectorProcessor}s. A training:
 * <ol>
 *   <li>reads its data from this instance's stores through interactive queries: in per-key scope the key's history
 *       window ({@link StoredKeyReader#history}); in shared scope the windows of up to {@code sharedKeys} keys
 *       sampled from this instance's keys, each put in the key's own units ({@link Detector#keyNormalisation}) and
 *       laid end to end; a key no longer on this instance (moved by a rebalance) is skipped: its new owner asks
 *       again when its schedule says so;</li>
 *   <li>reads the model in force from the model store of the request's partition, and trains the next version with
 *       {@link ModelTrainer}
 *       (truncated BPTT, validation on the newest tail, published only if it beats the model in force there),
 *       stopping at {@code maxTrainingMs} or at shutdown;</li>
 *   <li>publishes the model to the compacted models topic, keyed by its id, unless its payload is larger than
 *       {@code maxModelBytes}: a key's model explicitly to the request's partition (where the key's events are,
 *       whatever partitioner their producer used, so the key's task picks it up), a shared model to every
 *       partition (every task holds a copy); the key (or every key) then re-warms onto it.</li>
 * </ol>
 * Versions increase: the next version is one more than the larger of the version in force and the last this
 * trainer published (which may not have reached the store yet). A shared model is trained by one instance only:
 * the one that owns partition 0 of the input topic, and about once per round of its keys' requests
 * ({@link SharedModelSchedule}), not once per key. A training that fails, is refused, takes too long or is too
 * large is logged and counted in metrics; nothing else happens (the key keeps its model, and its schedule asks
 * again later). At most one training per model is queued or running at a time. Thread-safe.
 */
public final class TopologyTrainer implements TrainingRequests {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyTrainer.class);

    private final TopologyConfig topology;
    private final TopologyNames names;
    private final DetectorConfig detector;
    private final RetrainConfig retrain;
    private final Producer<String, byte[]> producer;
    private final Executor pool;
    private final ThreadLocal<ModelTrainer> trainers;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> published = new ConcurrentHashMap<>();
    private final SharedModelSchedule shared = new SharedModelSchedule();
    private volatile KafkaStreams streams;
    /** Whether this instance last found itself the trainer of the shared model (null: not asked yet), for its log line. */
    private final AtomicReference<Boolean> sharedOwner = new AtomicReference<>();

    private final Sensor queued;
    private final Sensor deferred;
    private final Sensor publishedModels;
    private final Sensor notBetter;
    private final Sensor failed;
    private final Sensor timedOut;
    private final Sensor oversized;
    private final Sensor skipped;
    private final Sensor publishFailed;
    private final Sensor trainingTime;

    TopologyTrainer(TopologyConfig topology, String applicationId, DetectorConfig detector, RetrainConfig retrain,
                    Producer<String, byte[]> producer, Executor pool, Metrics metrics) {
        this.topology = topology;
        this.names = new TopologyNames(topology.name());
        this.detector = detector;
        this.retrain = retrain;
        this.producer = producer;
        this.pool = pool;
        this.trainers = ThreadLocal.withInitial(() -> new ModelTrainer(detector.lstm(), retrain));
        Map<String, String> tags = Map.of("topology", topology.name(), "application-id", applicationId);
        queued = counter(metrics, tags, "trainings-queued", "Training requests taken into the queue.");
        deferred = counter(metrics, tags, "trainings-deferred",
                "Training requests refused because the queue was full (the key asks again).");
        publishedModels = counter(metrics, tags, "models-published", "Models trained and published to the models topic.");
        notBetter = counter(metrics, tags, "models-not-better",
                "Trained models not published: they did not beat the model in force on the validation tail.");
        failed = counter(metrics, tags, "trainings-failed", "Trainings that failed (e.g. non-finite loss).");
        timedOut = counter(metrics, tags, "trainings-timed-out", "Trainings abandoned at retrain.maxTrainingMs.");
        oversized = counter(metrics, tags, "models-oversized", "Models not published: payload above retrain.maxModelBytes.");
        skipped = counter(metrics, tags, "trainings-skipped",
                "Requests dropped: the data is not on this instance (rebalance) or too short.");
        publishFailed = counter(metrics, tags, "models-publish-failed", "Models the producer failed to publish.");
        trainingTime = metrics.sensor("vigil-trainer-time-" + topology.name());
        trainingTime.add(metrics.metricName("training-time-ms-avg", ModelTrainingService.GROUP,
                "Mean wall time of a training, ms.", tags), new Avg());
        trainingTime.add(metrics.metricName("training-time-ms-max", ModelTrainingService.GROUP,
                "Longest training, ms.", tags), new Max());
        trainingTime.add(metrics.metricName("trainings-total", ModelTrainingService.GROUP,
                "Trainings run to an outcome (published or not).", tags), new CumulativeCount());
    }

    /** Connects the trainer to the running application whose stores it reads; requests before this are refused. */
    public void attach(KafkaStreams application) {
        this.streams = application;
    }

    @Override
    public boolean offer(Request request) {
        if (streams == null) {
            return false;
        }
        if (retrain.shared() && !shared.due(request.key(), request.trigger())) {
            return true;
        }
        if (!pending.add(request.modelId())) {
            return true;
        }
        try {
            pool.execute(() -> run(request));
            queued.record();
            if (retrain.shared()) {
                shared.started();
            }
            return true;
        } catch (RejectedExecutionException e) {
            pending.remove(request.modelId());
            deferred.record();
            return false;
        }
    }

    private void run(Request request) {
        try {
            train(request);
        } catch (InvalidStateStoreException e) {
            skipped.record();
            LOG.info("topology {}: training of '{}' skipped, its stores are not queryable here now: {}", topology.name(),
                    request.modelId(), e.getMessage());
        } catch (RuntimeException e) {
            failed.record();
            LOG.warn("topology {}: training of '{}' failed", topology.name(), request.modelId(), e);
        } finally {
            pending.remove(request.modelId());
        }
    }

    private void train(Request request) {
        String id = request.modelId();
        KafkaStreams app = streams;
        if (retrain.shared()) {
            boolean owner = ownsSharedModel(app);
            if (!Boolean.valueOf(owner).equals(sharedOwner.getAndSet(owner))) {
                LOG.info(owner ? "topology {}: this instance owns partition 0 of '{}' and trains the shared model on its keys"
                        : "topology {}: the shared model is trained by the instance that owns partition 0 of '{}', not by"
                        + " this one; its keys' requests are left to that instance, which trains on its own keys",
                        topology.name(), topology.inputTopic());
            }
            if (!owner) {
                return;
            }
        }
        LstmModel current = currentModel(app, id, request.partition());
        long version = Math.max(current == null ? 0 : current.info().version(), published.getOrDefault(id, 0L)) + 1;
        HistoryWindow series = retrain.shared() ? sharedSeries(app, version) : keySeries(app, request.key());
        if (series == null) {
            skipped.record();
            LOG.info("topology {}: training of '{}' ({}) skipped: not enough history on this instance", topology.name(),
                    id, request.trigger());
            return;
        }
        long deadline = System.nanoTime() + retrain.maxTrainingMs() * 1_000_000L;
        boolean[] late = new boolean[1];
        TrainingOutcome outcome = trainers.get().train(id, version, series, current, () -> {
            late[0] = System.nanoTime() > deadline;
            return late[0] || Thread.currentThread().isInterrupted();
        });
        long ms = outcome.nanos() / 1_000_000;
        trainingTime.record(ms);
        if (!outcome.accepted()) {
            Sensor why = late[0] ? timedOut : outcome.reason().startsWith("training failed") ? failed
                    : Thread.currentThread().isInterrupted() ? skipped : notBetter;
            why.record();
            String line = "topology {}: '{}' version {} not published ({}, {} readings, {} ms): {}";
            Object[] args = {topology.name(), id, version, request.trigger(), series.size(), ms, late[0]
                    ? "took longer than retrain.maxTrainingMs = " + retrain.maxTrainingMs() + " ms" : outcome.reason()};
            if (why == notBetter) {
                LOG.debug(line, args);
            } else {
                LOG.info(line, args);
            }
            return;
        }
        byte[] payload = ModelCodec.encode(outcome.model());
        if (payload.length > retrain.maxModelBytes()) {
            oversized.record();
            LOG.warn("topology {}: '{}' version {} not published: payload {} bytes > retrain.maxModelBytes = {}",
                    topology.name(), id, version, payload.length, retrain.maxModelBytes());
            return;
        }
        published.merge(id, version, Math::max);
        publish(request, version, payload, String.format("(%s, %d readings, %d ms, validation loss %.4g vs %.4g)",
                request.trigger(), series.size(), ms, outcome.candidateLoss(), outcome.currentLoss()));
    }

    /**
     * Publishes a trained model ({@link ModelRecords}): a key's to the request's partition, a shared one to every
     * partition; {@code how} (how it was trained) goes into the log line.
     */
    private void publish(Request request, long version, byte[] payload, String how) {
        String id = request.modelId();
        List<ProducerRecord<String, byte[]>> records = ModelRecords.of(topology.modelsTopic(), id, payload,
                ModelRecords.shared(id) ? producer.partitionsFor(topology.modelsTopic()).size() : 1, request.partition());
        String where = records.size() == 1 ? topology.modelsTopic() + "-" + request.partition()
                : topology.modelsTopic() + " (all " + records.size() + " partitions)";
        for (int i = 0; i < records.size(); i++) {
            publish(records.get(i), version, i < records.size() - 1 ? null : where + " " + how);
        }
    }

    /**
     * Sends one record of a model ({@link ModelRecords}); logs and counts the model as published when {@code published}
     * (where to and how it was trained) is not null.
     */
    private void publish(ProducerRecord<String, byte[]> record, long version, String published) {
        String id = record.key();
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                publishFailed.record();
                LOG.warn("topology {}: publishing '{}' version {} to partition {} failed", topology.name(), id, version,
                        record.partition(), e);
            } else if (published != null) {
                publishedModels.record();
                LOG.info("topology {}: '{}' version {} published to {}", topology.name(), id, version, published);
            }
        });
    }

    /** The model in force for {@code id} in the model store of {@code partition} (the task's own), or null. */
    private LstmModel currentModel(KafkaStreams app, String id, int partition) {
        byte[] payload = StoredKeyReader.store(app, names.modelStore(), partition).get(id);
        if (payload == null) {
            return null;
        }
        try {
            return ModelPayloads.decode(id, payload, detector.lstm(), retrain.maxModelBytes());
        } catch (BadBytesException e) {
            return null;
        }
    }

    /** The key's window, or null when this instance has too little of it. */
    private HistoryWindow keySeries(KafkaStreams app, String key) {
        return window(StoredKeyReader.store(app, names.historyStore()), key);
    }

    private HistoryWindow window(ReadOnlyKeyValueStore<String, byte[]> histories, String key) {
        try {
            HistoryWindow window = StoredKeyReader.history(histories, key);
            boolean usable = window != null && window.channels() == detector.channels()
                    && window.size() >= Math.max(2 * retrain.training().bpttSteps() + 2, retrain.minTrainPoints() / 2);
            return usable ? window : null;
        } catch (BadBytesException e) {
            return null;
        }
    }

    /**
     * Windows of up to {@code sharedKeys} of this instance's keys (sampled with a seed derived from the version, so
     * one training's sample is reproducible), each in its key's own units, one after the other; null when no key
     * has enough history.
     */
    private HistoryWindow sharedSeries(KafkaStreams app, long version) {
        ReadOnlyKeyValueStore<String, byte[]> states = StoredKeyReader.store(app, names.stateStore());
        ReadOnlyKeyValueStore<String, byte[]> histories = StoredKeyReader.store(app, names.historyStore());
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = states.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        Collections.sort(keys);
        Collections.shuffle(keys, new java.util.Random(new SplittableRandom(retrain.seed() ^ version).nextLong()));
        List<double[]> rows = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        int used = 0;
        for (String key : keys) {
            if (used == retrain.sharedKeys()) {
                break;
            }
            DetectorState state;
            try {
                state = StoredKeyReader.state(states, key);
            } catch (BadBytesException e) {
                continue;
            }
            if (state == null || state.events() < detector.scoring().warmupEvents()) {
                continue;
            }
            HistoryWindow window = window(histories, key);
            if (window == null || window.size() < retrain.minTrainPoints()) {
                continue;
            }
            Normalisation units = Detector.keyNormalisation(state.score());
            double[] raw = new double[window.channels()];
            for (int i = 0; i < window.size(); i++) {
                window.copyReading(i, raw);
                double[] row = new double[raw.length];
                units.normalise(raw, row);
                rows.add(row);
                times.add(window.timestamp(i));
            }
            used++;
        }
        if (used == 0) {
            return null;
        }
        HistoryWindow series = new HistoryWindow(rows.size(), detector.channels());
        for (int i = 0; i < rows.size(); i++) {
            series.append(times.get(i), rows.get(i));
        }
        return series;
    }

    /** Whether this instance trains the shared model: it owns partition 0 of the input topic. */
    private boolean ownsSharedModel(KafkaStreams app) {
        for (ThreadMetadata thread : app.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                boolean owns = task.topicPartitions().stream()
                        .anyMatch(tp -> tp.partition() == 0 && tp.topic().equals(topology.inputTopic()));
                if (owns) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Sensor counter(Metrics metrics, Map<String, String> tags, String name, String description) {
        Sensor sensor = metrics.sensor("vigil-trainer-" + name + "-" + tags.get("topology"));
        sensor.add(metrics.metricName(name + "-total", ModelTrainingService.GROUP, description, tags),
                new CumulativeCount());
        return sensor;
    }
}
