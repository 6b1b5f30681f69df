package dev.vigil.stream;

import dev.vigil.lstm.LstmModel;
import dev.vigil.BadConfigException;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.Refusal;
import dev.vigil.lifecycle.KeyLifecycle;
import dev.vigil.lifecycle.KeyOutcome;
import dev.vigil.lifecycle.TrainingRequests;
import dev.vigil.score.AlertTransition;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Kafka plumbing around the per-key lifecycle ({@link KeyLifecycle}) for the keys of one task. Per record:
 * <ol>
 *   <li>{@link EventParser}: size check and parse; a bad record goes to the dead-letter sink with its original
 *       key, value, timestamp and headers plus the {@link DeadLetterHeaders}, is counted per reason
 *       ({@link VigilMetrics}) and logged (the first {@value #WARN_FIRST} of each reason, then one in
 *       {@value #WARN_EVERY}, at WARN with topic/partition/offset; all at DEBUG; {@link DeadLetterSink});</li>
 *   <li>load the key's {@link DetectorState} ({@link DetectorStores});</li>
 *   <li>the lifecycle runs the event: model swap and re-warm, step, history append, training schedule (models from
 *       {@link StreamModels}: the model store through {@link ModelCache}, the {@link TopologyTrainer}'s deliveries);
 *       a refused event is dead-lettered ({@link RejectReason#LATE} or {@code REFUSED}) and nothing is saved;</li>
 *   <li>otherwise a score record (and on OPENED/CLOSED an alert record) is forwarded and the state saved, once.</li>
 * </ol>
 * With the topology's {@code keyIdleExpiryMs}, every quarter of it in stream time (and of wall time, for a partition
 * gone silent) the task forgets its keys whose latest event time is that far behind the newest of its keys', and a
 * request on the input topic to forget a key ({@link ForgetRequests}) does the same for that key at once
 * ({@link KeyForgetting}: state and history deleted, an open alert closed, a model of the key's own retracted, in
 * the task's transaction). A bad record never throws and
 * never changes a key's stored bytes. The lifecycle is the evaluator's, so a key's scores equal, bit for bit, {@code
 * SeriesReplay} on the same events (in shared scope: on the task of partition 0, which trains the shared model; other
 * tasks follow the model store). With {@code states.replayEvents} the states are written behind their events
 * ({@link DetectorStores}, {@link WriteBehind}): written at once at a swap of the key's model and before a key is
 * forgotten, and at a start the task's first record replays its input from its replay offset first ({@link
 * TaskReplay}). Not thread-safe; Kafka Streams creates one per task.
 */
public final class DetectorProcessor implements Processor<String, byte[], String, byte[]> {
    /** Bad records of one reason logged at WARN before switching to one in {@link #WARN_EVERY}. */
    public static final int WARN_FIRST = 10;
    public static final int WARN_EVERY = 1000;

    /**
     * Whether the {@code n}-th (from 1) of a line a task may repeat by the thousand is logged at its level (WARN, or
     * INFO): the first {@value #WARN_FIRST}, then one in {@value #WARN_EVERY}; the others go to DEBUG.
     */
    static boolean atLevel(long n) {
        return n <= WARN_FIRST || n % WARN_EVERY == 0;
    }
    private static final Logger LOG = LoggerFactory.getLogger(DetectorProcessor.class);

    private final TopologyNames names;
    private final DetectorConfig config;
    private final RetrainConfig retrain;
    private final TrainingRequests training;
    private final DecodedModels decoded;
    private final DecodedStates states;
    private final ModelStoreChanges modelChanges;
    private final boolean rekeyed;
    private final EventParser parser;
    private final ScoreRecordWriter scores;
    private final AlertRecordWriter alerts;
    private final long idleExpiryMs;
    private final KeyCounts keys;
    /** States written behind, at most once per this many offsets of the partition (0: at every event). */
    private final long replayEvents;
    /** Where the events of states written behind are read again after a restart; null: nowhere. */
    private final InputReplay input;
    /** The task's stored replay offset, until its first record replays what follows it ({@link WriteBehind#NONE}). */
    private long replayFrom = WriteBehind.NONE;
    /** Where queries find the states this task holds behind. */
    private final HeldStates held;
    /** This task in {@link #held} (null: its states are not held), whose lock processing and punctuations hold. */
    private HeldStates.Task heldTask;
    /** The input offset of the latest record, {@code NO_OFFSET} before the first. */
    private long lastOffset = DetectorStateCodec.NO_OFFSET;
    /**
     * The newest event time of the task's keys (from its stored states when it starts, then of each event it scores);
     * {@link Long#MIN_VALUE}: none yet.
     */
    private long newestEventTime = Long.MIN_VALUE;
    /** The wall time ({@code currentSystemTimeMs}) at which {@link #newestEventTime} last moved or was read. */
    private long newestAtWallTime;

    private ProcessorContext<String, byte[]> context;
    private KeyLifecycle lifecycle;
    private DetectorStores stores;
    private DeadLetterSink deadLetters;
    private Sensor scored;
    private Sensor alerted;
    private Sensor swaps;
    private Sensor replayed;
    private Sensor trainingRequested;
    private InLineTrainings trainedInLine;
    private Sensor scoreLatency;
    private StreamModels models;
    private KeyForgetting forgetting;

    /**
     * @param detector    the detector settings with the topology's channel count and lateness applied
     *                    ({@link VigilTopology#detectorConfig})
     * @param retrain     the retraining schedule and scope; its historySize is the readings kept per key
     * @param training    where trainings are done ahead of their swap points ({@link TopologyTrainer}, which also
     *                    publishes the models keys put in force); {@link TrainingRequests#IN_LINE}: every training in
     *                    line; {@link TrainingRequests#NONE}: none
     * @param decoded     the instance's decoded models, shared by its detectors ({@link ModelCache})
     * @param modelChanges the change counts of the model stores, raised by the tasks' {@link ModelStoreUpdater}s
     * @param states      the instance's decoded detector states, shared by its detectors ({@link DetectorStores})
     * @param keys        where the topology's detectors in this instance count the keys they hold
     */
    DetectorProcessor(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain,
                      TrainingRequests training, DecodedModels decoded, ModelStoreChanges modelChanges,
                      DecodedStates states, KeyCounts keys) {
        this(topology, detector, retrain, training, decoded, modelChanges, states, keys, 0, null, new HeldStates());
    }

    /**
     * As above, with states written behind ({@link DetectorStores}): at most once per {@code replayEvents} offsets of
     * the partition (0: at every event), the events after the task's replay offset read again from {@code input} at
     * its first record after a start, the states held registered in {@code held} for queries.
     */
    DetectorProcessor(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain,
                      TrainingRequests training, DecodedModels decoded, ModelStoreChanges modelChanges,
                      DecodedStates states, KeyCounts keys, long replayEvents, InputReplay input, HeldStates held) {
        if (detector.channels() != topology.channelCount()
                || detector.allowedLatenessMs() != topology.allowedLatenessMs()) {
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
        this.training = training;
        this.decoded = decoded;
        this.states = states;
        this.modelChanges = modelChanges;
        this.rekeyed = topology.keyField() != null;
        this.parser = EventParser.forTopology(topology);
        this.scores = new ScoreRecordWriter(topology.channels());
        this.alerts = new AlertRecordWriter(topology.channels());
        this.idleExpiryMs = topology.keyIdleExpiryMs();
        this.keys = keys;
        this.replayEvents = replayEvents;
        this.input = input;
        this.held = held;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        String topology = names.topology();
        deadLetters = new DeadLetterSink(context, names, rekeyed);
        scored = VigilMetrics.counter(context.metrics(), topology, VigilMetrics.SCORED);
        alerted = VigilMetrics.counter(context.metrics(), topology, VigilMetrics.ALERTS);
        swaps = VigilMetrics.counter(context.metrics(), topology, VigilMetrics.MODEL_SWAPS);
        replayed = VigilMetrics.counter(context.metrics(), topology, VigilMetrics.EVENTS_REPLAYED);
        trainingRequested = VigilMetrics.counter(context.metrics(), topology, VigilMetrics.TRAINING_REQUESTED);
        trainedInLine = new InLineTrainings(VigilMetrics.counter(context.metrics(), topology,
                VigilMetrics.TRAINED_IN_LINE), context.taskId().toString());
        scoreLatency = VigilMetrics.latency(context.metrics(), topology, VigilMetrics.SCORE);
        Sensor discarded = VigilMetrics.counter(context.metrics(), topology, VigilMetrics.STATE_DISCARDED);
        Detector fresh = new Detector(config);
        stores = new DetectorStores(context.getStateStore(names.stateStore()),
                context.getStateStore(names.historyStore()), config, fresh::newState, retrain.historySize(),
                discarded, states, keys.task(context.taskId().toString()), replayEvents);
        // the task's own model store: cached decoded models are told apart by task (each task has its shared copy)
        String storeAndTask = names.modelStoreOfTask(context.taskId());
        ModelCache cache = new ModelCache(context.getStateStore(names.modelStore()), storeAndTask, config.lstm(),
                retrain.maxModelBytes(), VigilMetrics.counter(context.metrics(), topology, VigilMetrics.MODELS_REFUSED),
                decoded, modelChanges.of(storeAndTask));
        // the task's partition of its source: its keys' events are there, so the models they put in force go there
        int partition = context.taskId().partition();
        // the shared model is trained by the task of partition 0 (one order of events, so one sequence of trainings)
        boolean trainsShared = partition == 0;
        models = new StreamModels(cache, training instanceof TopologyTrainer t ? t : null, partition, this::publish);
        lifecycle = new KeyLifecycle(config, retrain, trainsShared, stores, models, training);
        long newest = stores.scans().countKeys(idleExpiryMs > 0);
        replayFrom = stores.replayFrom();
        if (replayEvents > 0) {
            heldTask = held.register(partition, stores);
            // a quiet partition's held states are written when held too long, as an event would have them
            context.schedule(Duration.ofMillis(WriteBehind.WRITE_CHECK_MS), PunctuationType.WALL_CLOCK_TIME,
                    wallTime -> locked(() -> {
                        if (replayFrom == WriteBehind.NONE) {
                            stores.writeDue(lastOffset, wallTime);
                        }
                    }));
            // the instance closing: what is held is written now, so that the close's last commit holds it
            context.schedule(Duration.ofMillis(HeldStates.DRAIN_CHECK_MS), PunctuationType.WALL_CLOCK_TIME,
                    wallTime -> locked(() -> drainWhenAsked(lastOffset + 1)));
        }
        forgetting = new KeyForgetting(stores, models, retrain.shared(), deadLetters, context, names, this::emitAlert,
                VigilMetrics.counter(context.metrics(), topology, VigilMetrics.KEYS_EXPIRED),
                VigilMetrics.counter(context.metrics(), topology, VigilMetrics.KEYS_DELETED));
        if (idleExpiryMs > 0) {
            newestEventTime = newest;
            newestAtWallTime = context.currentSystemTimeMs();
            Duration every = Duration.ofMillis(Math.max(1000, idleExpiryMs / 4));
            context.schedule(every, PunctuationType.STREAM_TIME,
                    streamTime -> locked(() -> expireIdle(newestEventTime)));
            // a partition whose keys all fell silent moves no stream time: its clock goes on with the wall's
            context.schedule(every, PunctuationType.WALL_CLOCK_TIME,
                    wallTime -> locked(() -> expireIdle(newestEventTime + Math.max(0, wallTime - newestAtWallTime))));
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        locked(() -> processRecord(record));
    }

    /** Runs {@code work} holding this task's lock in {@link #held}, when its states are held behind. */
    private void locked(Runnable work) {
        if (heldTask == null) {
            work.run();
            return;
        }
        heldTask.lock.lock();
        try {
            work.run();
        } finally {
            heldTask.lock.unlock();
        }
    }

    /**
     * When the instance asked its tasks to write what they hold ({@link HeldStates#drain}) and this one has not yet
     * (and has replayed its input): writes every state held, the replay offset set to {@code next} (the input offset
     * after the latest event), and from then on every state at its event. A task that has still to replay its input
     * holds nothing: its first record replays, then drains.
     */
    private void drainWhenAsked(long next) {
        if (!held.draining()) {
            return;
        }
        if (replayFrom == WriteBehind.NONE && !stores.draining()) {
            stores.drain(next);
        }
        heldTask.drained = true;
    }

    private void processRecord(Record<String, byte[]> record) {
        long offset = context.recordMetadata().map(m -> m.offset()).orElse(DetectorStateCodec.NO_OFFSET);
        if (replayFrom != WriteBehind.NONE) {
            replay(offset);
        }
        if (heldTask != null) {
            drainWhenAsked(offset);
        }
        lastOffset = offset;
        if (ForgetRequests.isRequest(record.value(), record.headers())) {
            forgetting.onRequest(record, lastOffset + 1);
            return;
        }
        long started = System.nanoTime();
        ParsedRecord parsed = parser.parse(record.key(), record.value(), record.timestamp());
        if (!parsed.isAccepted()) {
            deadLetters.send(record, parsed.reason(), parsed.detail());
            return;
        }
        String key = parsed.key();
        DetectorState state = stores.loadState(key);
        boolean scoredIt;
        try {
            scoredIt = process(record, key, state, parsed, offset);
        } catch (RuntimeException e) {
            // the state loaded may have moved on without being saved: the key is read from its store next time
            stores.forget(key);
            throw e;
        }
        if (scoredIt) {
            scoredAt(parsed.event().timestamp());
            scoreLatency.record(System.nanoTime() - started);
        }
    }

    /**
     * Forgets the task's keys idle for {@code keyIdleExpiryMs} of event time before {@code now}: the newest event time
     * of its keys or, when a wall-clock punctuation finds the partition silent, that time moved on by the wall time
     * since it last moved. State and history deleted, an open alert closed, a model of the key's own retracted.
     */
    private void expireIdle(long now) {
        if (newestEventTime == Long.MIN_VALUE || replayFrom != WriteBehind.NONE) {
            // (a task that has still to replay its input has states behind its events: they wait for its first record)
            return;
        }
        forgetting.expireIdle(now - idleExpiryMs, now, lastOffset + 1, idleExpiryMs);
    }

    /** Scores the event, or sends it to the dead letters when the key refuses it; whether it was scored. */
    private boolean process(Record<String, byte[]> record, String key, DetectorState state, ParsedRecord parsed,
                            long offset) {
        KeyOutcome outcome = lifecycle.process(key, state, parsed.event());
        if (outcome instanceof KeyOutcome.Refused refused) {
            stores.refused(key);
            Refusal why = refused.refusal();
            RejectReason reason = why.kind() == Refusal.Kind.LATE ? RejectReason.LATE : RejectReason.REFUSED;
            deadLetters.send(record, reason, why.detail());
            return false;
        }
        KeyOutcome.Scored done = (KeyOutcome.Scored) outcome;
        for (int i = 0; i < done.rewarms(); i++) {
            swaps.record();
        }
        if (done.rewarms() > 0) {
            LOG.debug("key '{}' re-warmed onto model version {}", key, state.modelVersion());
        }
        if (done.requested()) {
            trainingRequested.record();
        }
        if (done.trainedInLine()) {
            trainedInLine.record(key, context.currentSystemTimeMs());
        }
        emit(key, record.timestamp(), done.result());
        stores.saveState(key, state, offset, context.currentSystemTimeMs(), done);
        return true;
    }

    /** An event of time {@code timestamp} was scored (or replayed): the task's clock for idle keys moves with it. */
    private void scoredAt(long timestamp) {
        if (idleExpiryMs > 0 && timestamp > newestEventTime) {
            newestEventTime = timestamp;
            newestAtWallTime = context.currentSystemTimeMs();
        }
    }

    /**
     * The task's first record after a start, at input offset {@code to}, with states written behind before it: runs
     * the events of its partition from the replay offset to {@code to} that their keys' states do not hold
     * ({@link TaskReplay}).
     */
    private void replay(long to) {
        long from = replayFrom;
        replayFrom = WriteBehind.NONE;
        if (rekeyed || input == null || to < 0) {
            LOG.warn("task {}: states were written behind its events from offset {}, but its input cannot be read again"
                    + " ({}): their keys go on from the states written", context.taskId(), from,
                    rekeyed ? "a topology with keyField reads a repartition topic" : "no input to replay from");
            stores.writeAll(Math.max(from, to));
            return;
        }
        var metadata = context.recordMetadata().orElseThrow();
        new TaskReplay(parser, stores, lifecycle, context::currentSystemTimeMs, (key, done, event) -> {
            replayed.record();
            if (done.trainedInLine()) {
                trainedInLine.record(key, context.currentSystemTimeMs());
            }
            scoredAt(event.timestamp());
        }).run(input, context.taskId().toString(), metadata.topic(), metadata.partition(), from, to);
        if (replayEvents == 0) {
            stores.writeAll(to);
        }
    }

    @Override
    public void close() {
        if (heldTask != null) {
            held.unregister(context.taskId().partition(), heldTask);
            heldTask = null;
        }
        if (stores != null) {
            stores.close();
            keys.remove(context.taskId().toString());
        }
    }

    /** Forwards a model a key put in force to the models sink, in this task's transaction ({@link ModelSink}). */
    private void publish(LstmModel model, int partition) {
        context.forward(new Record<>(model.info().modelId(), ModelSink.value(model, partition),
                context.currentSystemTimeMs(), new RecordHeaders()), names.modelsSink());
    }

    private void emit(String key, long timestamp, DetectorResult result) {
        context.forward(new Record<>(key, scores.write(key, result), timestamp, new RecordHeaders()),
                names.scoresSink());
        scored.record();
        if (result.transition() != AlertTransition.NONE) {
            emitAlert(key, timestamp, result);
        }
    }

    private void emitAlert(String key, long timestamp, DetectorResult result) {
        context.forward(new Record<>(key, alerts.write(key, result), timestamp, new RecordHeaders()),
                names.alertsSink());
        alerted.record();
    }
}
