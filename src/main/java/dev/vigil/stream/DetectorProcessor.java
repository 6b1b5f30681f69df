package dev.vigil.stream;

import dev.vigil.BadConfigException;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmModel;
import dev.vigil.score.AlertTransition;
import dev.vigil.train.RetrainClock;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;

/**
 * Runs {@link Detector} for every event of the keys of one task. Per record:
 * <ol>
 *   <li>{@link EventParser}: size check and parse; a bad record goes to the dead-letter sink with its original
 *       key, value, timestamp and headers plus the {@link DeadLetterHeaders}, is counted per reason
 *       ({@link VigilMetrics}) and logged (the first {@value #WARN_FIRST} of each reason, then one in
 *       {@value #WARN_EVERY}, at WARN with topic/partition/offset; all at DEBUG);</li>
 *   <li>load the key's {@link DetectorState} ({@link DetectorStores}); an event too late for the allowed lateness
 *       ({@link Detector#lateness}) is dead-lettered as {@link RejectReason#LATE} here;</li>
 *   <li>look up the key's model ({@link ModelCache}: decoded once per payload while it stays in the instance's
 *       bounded {@link DecodedModels}, and the task's model store's payload read again only when the store's
 *       generation changed or the key's model was evicted); when its version differs from the state's, the
 *       key's whole {@link HistoryWindow} is loaded and {@link Detector#rewarm} re-warms the hidden state from it;</li>
 *   <li>{@link Detector#step}; a refusal is dead-lettered ({@code REFUSED}) and nothing is saved; otherwise the
 *       reading is appended to the history (one small entry, not the whole window), and a score record (and on
 *       OPENED/CLOSED an alert record) is forwarded;</li>
 *   <li>when the key's {@link dev.vigil.detect.TrainingSchedule} says a training is due ({@link RetrainClock}), it is
 *       requested ({@link TrainingRequests}, never blocking) and a taken request is recorded in the schedule; then
 *       the state is saved, once, so the schedule survives restarts and rebalances.</li>
 * </ol>
 * In shared scope ({@link ModelScope}) every key is served by the topology's one shared model.
 * A bad record never throws and never changes a key's stored bytes. This is the offline lifecycle of
 * {@code SeriesReplay} with the model coming from the models topic instead of an in-line trainer, so a key's
 * scores equal, bit for bit, {@code Detector} run offline on the same events with the same models. Not
 * thread-safe; Kafka Streams creates one per task.
 */
public final class DetectorProcessor implements Processor<String, byte[], String, byte[]> {
    /** Bad records of one reason logged at WARN before switching to one in {@link #WARN_EVERY}. */
    public static final int WARN_FIRST = 10;
    public static final int WARN_EVERY = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(DetectorProcessor.class);

    private final TopologyNames names;
    private final DetectorConfig config;
    private final RetrainConfig retrain;
    private final RetrainClock clock;
    private final ModelScope scope;
    private final TrainingRequests training;
    private final DecodedModels decoded;
    private final int historySize;
    private final boolean rekeyed;
    private final EventParser parser;
    private final ScoreRecordWriter scores;
    private final AlertRecordWriter alerts;
    private final long[] rejected = new long[RejectReason.values().length];

    private ProcessorContext<String, byte[]> context;
    private Detector detector;
    private DetectorStores stores;
    private ModelCache models;
    private final Map<RejectReason, Sensor> deadLetters = new EnumMap<>(RejectReason.class);
    private Sensor scored;
    private Sensor alerted;
    private Sensor swaps;
    private Sensor trainingRequested;
    private Sensor scoreLatency;

    /**
     * @param detector    the detector settings with the topology's channel count and lateness applied
     *                    ({@link VigilTopology#detectorConfig})
     * @param retrain     the retraining schedule and scope; its historySize is the readings kept per key
     * @param training    where to ask for trainings when a key's schedule says so
     * @param decoded     the instance's decoded models, shared by its detectors ({@link ModelCache})
     */
    public DetectorProcessor(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain,
                             TrainingRequests training, DecodedModels decoded) {
        if (detector.channels() != topology.channelCount() || detector.allowedLatenessMs() != topology.allowedLatenessMs()) {
            throw new BadConfigException("detector settings must have the topology's " + topology.channelCount()
                    + " channel(s) and allowedLatenessMs " + topology.allowedLatenessMs() + ", got "
                    + detector.channels() + " and " + detector.allowedLatenessMs());
        }
        this.names = new TopologyNames(topology.name());
        if (detector.keyNormalised() != retrain.shared()) {
            throw new BadConfigException("a shared model needs key-normalised detector settings and a per-key model"
                    + " the model's own normalisation (keyNormalised " + detector.keyNormalised() + ", scope "
                    + retrain.scope() + ")");
        }
        this.config = detector;
        this.retrain = retrain;
        this.clock = new RetrainClock(retrain);
        this.scope = new ModelScope(retrain, detector.scoring().warmupEvents());
        this.training = training;
        this.decoded = decoded;
        this.historySize = retrain.historySize();
        this.rekeyed = topology.keyField() != null;
        this.parser = EventParser.forTopology(topology);
        this.scores = new ScoreRecordWriter(topology.channels());
        this.alerts = new AlertRecordWriter(topology.channels());
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.detector = new Detector(config);
        String topology = names.topology();
        for (RejectReason reason : RejectReason.values()) {
            deadLetters.put(reason, VigilMetrics.counter(context.metrics(), topology, reason.metricName()));
        }
        scored = VigilMetrics.counter(context.metrics(), topology, VigilMetrics.SCORED);
        alerted = VigilMetrics.counter(context.metrics(), topology, VigilMetrics.ALERTS);
        swaps = VigilMetrics.counter(context.metrics(), topology, VigilMetrics.MODEL_SWAPS);
        trainingRequested = VigilMetrics.counter(context.metrics(), topology, VigilMetrics.TRAINING_REQUESTED);
        scoreLatency = VigilMetrics.latency(context.metrics(), topology, VigilMetrics.SCORE);
        Sensor discarded = VigilMetrics.counter(context.metrics(), topology, VigilMetrics.STATE_DISCARDED);
        stores = new DetectorStores(context.getStateStore(names.stateStore()), context.getStateStore(names.historyStore()),
                config, detector::newState, historySize, discarded);
        // the task's own model store: cached decoded models are told apart by task (each task has its shared copy)
        models = new ModelCache(context.getStateStore(names.modelStore()), names.modelStore() + "/" + context.taskId(),
                config.lstm(), retrain.maxModelBytes(),
                VigilMetrics.counter(context.metrics(), topology, VigilMetrics.MODELS_REFUSED), decoded);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long started = System.nanoTime();
        RecordOrigin origin = origin(record);
        ParsedRecord parsed = parser.parse(record.key(), record.value(), record.timestamp());
        if (!parsed.isAccepted()) {
            deadLetter(record, origin, parsed.reason(), parsed.detail());
            return;
        }
        String key = parsed.key();
        Event event = parsed.event();
        DetectorState state = stores.loadState(key);
        String late = detector.lateness(state, event);
        if (late != null) {
            deadLetter(record, origin, RejectReason.LATE, late);
            return;
        }
        LstmModel inForce = models.current(scope.modelId(key));
        LstmModel model = scope.eligible(state) ? inForce : null;
        HistoryWindow history = null;
        if (model != null && model.info().version() != state.modelVersion()) {
            history = stores.loadHistory(key);
            LOG.info("key '{}' moves from model version {} to {}, re-warmed over {} readings", key, state.modelVersion(),
                    model.info().version(), history.size());
            detector.rewarm(model, state, history);
            swaps.record();
        }
        DetectorResult result = detector.step(model, state, event);
        if (!result.accepted()) {
            // lateness was ruled out above and the state's last event time is unchanged: any other refusal
            deadLetter(record, origin, RejectReason.REFUSED, result.rejectReason());
            return;
        }
        int readings = stores.appendHistory(key, event.timestamp(), event.values(), history);
        emit(key, record.timestamp(), result);
        RetrainClock.Trigger trigger = clock.due(state.schedule(), readings, inForce != null, state.lastTimestamp());
        if (trigger != null && training.offer(new TrainingRequests.Request(scope.modelId(key), key, partition(), trigger))) {
            state.schedule().attempted(state.lastTimestamp());
            trainingRequested.record();
        }
        stores.saveState(key, state);
        scoreLatency.record(System.nanoTime() - started);
    }

    private void emit(String key, long timestamp, DetectorResult result) {
        context.forward(new Record<>(key, scores.write(key, result), timestamp, new RecordHeaders()), names.scoresSink());
        scored.record();
        if (result.transition() != AlertTransition.NONE) {
            context.forward(new Record<>(key, alerts.write(key, result), timestamp, new RecordHeaders()),
                    names.alertsSink());
            alerted.record();
        }
    }

    /** The partition of the record being processed: where the key's events, and so its model, are. */
    private int partition() {
        return context.recordMetadata().map(m -> m.partition()).orElse(context.taskId().partition());
    }

    private RecordOrigin origin(Record<String, byte[]> record) {
        RecordOrigin stamped = rekeyed ? RecordOrigin.from(record.headers()) : null;
        if (stamped != null) {
            return stamped;
        }
        return context.recordMetadata()
                .map(m -> new RecordOrigin(record.key(), m.topic(), m.partition(), m.offset()))
                .orElseGet(() -> new RecordOrigin(record.key(), "", -1, -1));
    }

    private void deadLetter(Record<String, byte[]> record, RecordOrigin origin, RejectReason reason, String detail) {
        deadLetters.get(reason).record();
        long n = ++rejected[reason.ordinal()];
        if (n <= WARN_FIRST || n % WARN_EVERY == 0) {
            LOG.warn("record at {}-{} offset {} sent to the dead-letter topic, {} (#{} of this reason): {}", origin.topic(),
                    origin.partition(), origin.offset(), reason, n, detail);
        } else {
            LOG.debug("record at {}-{} offset {} sent to the dead-letter topic, {}: {}", origin.topic(),
                    origin.partition(), origin.offset(), reason, detail);
        }
        context.forward(new Record<>(origin.key(), record.value(), record.timestamp(), DeadLetterHeaders.of(
                record.headers(), reason, detail, origin.topic(), origin.partition(), origin.offset())), names.dlqSink());
    }
}
