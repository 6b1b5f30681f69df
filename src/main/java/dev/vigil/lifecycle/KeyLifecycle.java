package dev.vigil.lifecycle;

import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.detect.Refusal;
import dev.vigil.detect.TrainingSchedule;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.Normalisation;
import dev.vigil.train.ModelTrainer;
import dev.vigil.train.RetrainClock;
import dev.vigil.train.RetrainConfig;
import dev.vigil.train.TrainingOutcome;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A key's per-event lifecycle, in one place for the stream and the evaluator. Per event of a key:
 * <ol>
 *   <li>an event {@link Detector#refusal} refuses is returned as {@link KeyOutcome.Refused}, nothing changed;</li>
 *   <li>with counter channels, the event is scored as its counters' increases ({@link Detector#scoredEvent}); a
 *       counter key's first event only records its totals and is returned as {@link Detector#baseline};</li>
 *   <li>the model in force for the key's model id ({@link ModelScope}, {@link ModelSource#inForce}); when its version
 *       differs from the state's, the key re-warms onto it over its whole window ({@link Detector#rewarm});</li>
 *   <li>{@link Detector#step}, then the reading is appended to the key's window ({@link KeyHistory});</li>
 *   <li>when the key's schedule says a training is due ({@link RetrainClock}) and none is pending, a training of the
 *       next version on the window as it is now (its newest {@code historySize - swapDelayEvents} readings) is
 *       recorded as pending and offered to the background trainer ({@link TrainingRequests});</li>
 *   <li>at the swap point, {@code retrain.swapDelayEvents} accepted events after the training's point, the pending
 *       model is taken from the background trainer's deliveries or, if it delivered none, trained in line on the
 *       same data; an accepted model is put in force ({@link ModelSource#putInForce}) and the key re-warms onto it.</li>
 * </ol>
 * So a model takes effect at a fixed event of the key's sequence, whenever the training ran, and the versions
 * (in force plus one) and seeds (from the model id and version) do not depend on timing: the same events give the
 * same scores in the stream, in a replay and in {@code vigil evaluate}.
 *
 * <p>In per-key scope the pending swap is kept in the key's {@link TrainingSchedule} (persisted with its state). In
 * shared scope only the lifecycle that {@code trainsShared} (the stream's partition-0 task; the evaluator) trains the
 * shared model: a due key's request starts a training on its own window in its own units when the
 * {@link SharedModelSchedule} says so and none is pending; the swap point counts this lifecycle's accepted events,
 * and after it every key re-warms onto the new version at its next event. The shared pending training and schedule
 * are kept in memory (a restart forgets them; the keys ask again). Other lifecycles follow the shared model the
 * source has.
 *
 * <p>Cold start ({@code retrain.coldStart=shared}, per-key scope): the lifecycle that {@code trainsShared} also trains
 * the shared model as shared scope does, from the keys' own requests (each in the key's units); a key past warm-up
 * with no model of its own in force is scored by the shared model in force ({@link DetectorState#coldStart()}),
 * re-warming onto each new version, until its own model is accepted: it re-warms onto that and never goes back.
 * Not thread-safe: one per stream task, or per replay.
 */
public final class KeyLifecycle {
    private final Detector detector;
    private final RetrainConfig retrain;
    private final RetrainClock clock;
    private final ModelScope scope;
    private final boolean trainsShared;
    private final KeyHistory histories;
    private final ModelSource models;
    private final TrainingRequests training;
    private final SharedModelSchedule sharedSchedule = new SharedModelSchedule();
    private final int delay;
    private ModelTrainer trainer;
    private SharedPending sharedPending;
    private long accepted;
    private int trainings;
    private int modelsAccepted;
    private long trainingNanos;

    private record SharedPending(TrainingRequests.Request request, long dueAt) {
    }

    /**
     * @param detector     the detector settings (channel count and lateness of the topology)
     * @param retrain      the schedule, scope and swap delay
     * @param trainsShared in shared scope, or per-key scope with cold start, whether this lifecycle trains the
     *                     shared model (else it follows the source's); otherwise ignored
     */
    public KeyLifecycle(DetectorConfig detector, RetrainConfig retrain, boolean trainsShared, KeyHistory histories,
                        ModelSource models, TrainingRequests training) {
        this.detector = new Detector(detector);
        this.retrain = retrain;
        this.clock = new RetrainClock(retrain);
        this.scope = new ModelScope(retrain, detector.scoring().warmupEvents());
        this.trainsShared = trainsShared;
        this.histories = histories;
        this.models = models;
        this.training = training;
        this.delay = retrain.swapDelayEvents();
    }

    public Detector detector() {
        return detector;
    }

    /** Runs one event of {@code key} whose state is {@code state} (modified unless the event is refused). */
    public KeyOutcome process(String key, DetectorState state, Event event) {
        Optional<Refusal> refusal = detector.refusal(state, event);
        if (refusal.isPresent()) {
            return new KeyOutcome.Refused(refusal.get());
        }
        Event scored = detector.scoredEvent(state, event);
        if (scored == null) {
            return new KeyOutcome.Scored(detector.baseline(state, event), 0, false, false);
        }
        String id = scope.modelId(key);
        LstmModel inForce = models.inForce(id, state);
        LstmModel model = scope.eligible(state) ? inForce : null;
        boolean cold = false;
        if (model == null && scope.coldStart() && scope.settled(state)) {
            model = models.inForce(ModelScope.SHARED_MODEL_ID);
            cold = model != null;
        }
        HistoryWindow history = null;
        int rewarms = 0;
        if (model != null && (model.info().version() != state.modelVersion() || cold != state.coldStart())) {
            history = histories.load(key);
            detector.rewarm(model, cold, state, history);
            rewarms++;
        }
        DetectorResult result = detector.step(model, state, scored);
        int readings = histories.append(key, scored.timestamp(), scored.values(), history);
        accepted++;
        if (!training.enabled() || (scope.shared() && !trainsShared)) {
            return new KeyOutcome.Scored(result, rewarms, false, false);
        }
        int before = trainings;
        boolean requested;
        if (scope.shared()) {
            requested = scope.eligible(state) && requestShared(key, state, readings, inForce);
            swapSharedIfDue();
        } else {
            requested = requestOwn(key, state, readings, inForce);
            rewarms += swapOwnIfDue(key, state) ? 1 : 0;
            if (scope.coldStart() && trainsShared) {
                swapSharedIfDue();
            }
        }
        return new KeyOutcome.Scored(result, rewarms, requested, trainings > before);
    }

    /** Trainings this lifecycle ran in line, so far. */
    public int trainings() {
        return trainings;
    }

    /** Models this lifecycle put in force, so far. */
    public int modelsAccepted() {
        return modelsAccepted;
    }

    /** Wall time of the trainings run in line, so far. */
    public long trainingNanos() {
        return trainingNanos;
    }

    private boolean requestOwn(String key, DetectorState state, int readings, LstmModel inForce) {
        TrainingSchedule schedule = state.schedule();
        if (schedule.hasPendingSwap()) {
            offerAgain(key, state, inForce);
            return false;
        }
        RetrainClock.Trigger trigger = clock.due(key, state, readings, inForce != null);
        if (trigger == null) {
            return false;
        }
        TrainingPoint point = new TrainingPoint(key, nextVersion(inForce), state.events());
        schedule.attempted(state.lastTimestamp());
        schedule.swapPending(point.through(), point.version());
        if (delay > 0) {
            training.offer(new TrainingRequests.Request(point, key, trigger, trainingWindow(histories.load(key), 0),
                    inForce));
        }
        if (scope.coldStart() && trainsShared && scope.settled(state)) {
            // the fleet's model, for keys still without their own: every key's request counts as in shared scope
            LstmModel shared = models.inForce(ModelScope.SHARED_MODEL_ID);
            offerShared(key, state, shared == null ? RetrainClock.Trigger.FIRST : RetrainClock.Trigger.INTERVAL,
                    shared);
        }
        return true;
    }

    /**
     * Before the swap point, a pending training the trainer has not taken (its queue was full when the key came due)
     * is offered again once the trainer {@link TrainingRequests#wants wants} it: the same point and the same data
     * (the window as it was at the point), so the model is the one the key would train in line at the swap point.
     */
    private void offerAgain(String key, DetectorState state, LstmModel inForce) {
        TrainingSchedule schedule = state.schedule();
        long since = state.events() - schedule.pendingThrough();
        if (since <= 0 || since >= delay) {
            return;
        }
        TrainingPoint point = pendingPoint(key, schedule);
        if (!training.wants(point)) {
            return;
        }
        training.offer(new TrainingRequests.Request(point, key, inForce == null ? RetrainClock.Trigger.FIRST
                : RetrainClock.Trigger.INTERVAL, pendingData(histories.load(key), state, point), inForce));
    }

    /** At the key's swap point: takes or trains the pending model, and re-warms onto it when accepted. */
    private boolean swapOwnIfDue(String key, DetectorState state) {
        TrainingSchedule schedule = state.schedule();
        if (!schedule.hasPendingSwap() || state.events() < schedule.pendingThrough() + delay) {
            return false;
        }
        TrainingPoint point = pendingPoint(key, schedule);
        schedule.swapDone();
        HistoryWindow history = histories.load(key);
        LstmModel model = outcome(point, () -> pendingData(history, state, point), models.inForce(key));
        if (model == null) {
            return false;
        }
        detector.rewarm(model, state, history);
        return true;
    }

    private boolean requestShared(String key, DetectorState state, int readings, LstmModel inForce) {
        TrainingSchedule schedule = state.schedule();
        RetrainClock.Trigger trigger = clock.due(key, state, readings, inForce != null);
        if (trigger == null) {
            return false;
        }
        schedule.attempted(state.lastTimestamp());
        offerShared(key, state, trigger, inForce);
        return true;
    }

    /**
     * A key's request for the shared model: starts a training of its next version on the key's window in the key's
     * units when none is pending and the {@link SharedModelSchedule} says so (else the fleet's next one covers it).
     */
    private void offerShared(String key, DetectorState state, RetrainClock.Trigger trigger, LstmModel inForce) {
        if (sharedPending != null || !sharedSchedule.due(key, trigger)) {
            return;
        }
        sharedSchedule.started();
        TrainingPoint point = new TrainingPoint(ModelScope.SHARED_MODEL_ID, nextVersion(inForce), accepted);
        HistoryWindow window = inKeyUnits(trainingWindow(histories.load(key), 0), state);
        TrainingRequests.Request request = new TrainingRequests.Request(point, key, trigger, window, inForce);
        sharedPending = new SharedPending(request, accepted + delay);
        if (delay > 0) {
            training.offer(request);
        }
    }

    /**
     * At the shared swap point: takes or trains the pending shared model; keys re-warm onto it at their next event.
     * Before it, offers the pending training again if the trainer refused it and now {@link TrainingRequests#wants
     * wants} it (the request keeps its data).
     */
    private void swapSharedIfDue() {
        if (sharedPending == null) {
            return;
        }
        if (accepted < sharedPending.dueAt()) {
            if (training.wants(sharedPending.request().point())) {
                training.offer(sharedPending.request());
            }
            return;
        }
        TrainingRequests.Request request = sharedPending.request();
        sharedPending = null;
        outcome(request.point(), request::window, request.current());
    }

    /**
     * The pending model of {@code point}: the background trainer's delivery, else trained in line on {@code data};
     * put in force when accepted. Null when refused or failed (the model in force stays).
     */
    private LstmModel outcome(TrainingPoint point, Supplier<HistoryWindow> data, LstmModel current) {
        Optional<TrainingOutcome> delivered = models.delivered(point);
        TrainingOutcome outcome;
        if (delivered.isPresent()) {
            outcome = delivered.get();
        } else {
            if (trainer == null) {
                trainer = ModelTrainer.of(detector.config(), retrain, 1);
            }
            outcome = trainer.train(point.modelId(), point.version(), data.get(), current, () -> false);
            trainings++;
            trainingNanos += outcome.nanos();
        }
        if (!outcome.accepted()) {
            return null;
        }
        modelsAccepted++;
        models.putInForce(outcome.model());
        return outcome.model();
    }

    /** The key's pending training: its point and the version it produces. */
    private static TrainingPoint pendingPoint(String key, TrainingSchedule schedule) {
        return new TrainingPoint(key, schedule.pendingVersion(), schedule.pendingThrough());
    }

    /**
     * The data of the key's training {@code point}: its window as it was at the point (the readings since left out),
     * whether it is offered again before the swap point or trained in line at it.
     */
    private HistoryWindow pendingData(HistoryWindow history, DetectorState state, TrainingPoint point) {
        return trainingWindow(history, (int) Math.min(history.size(), state.events() - point.through()));
    }

    /** The window as it was {@code skipNewest} appends ago, cut to the newest historySize - swapDelayEvents. */
    private HistoryWindow trainingWindow(HistoryWindow history, int skipNewest) {
        int length = retrain.historySize() - delay;
        return history.before(skipNewest, length, length);
    }

    /** The window's readings in the key's own units (its running centre and scale now): a shared model's data. */
    private static HistoryWindow inKeyUnits(HistoryWindow window, DetectorState state) {
        Normalisation units = Detector.keyNormalisation(state.score());
        HistoryWindow out = new HistoryWindow(Math.max(1, window.size()), window.channels());
        double[] raw = new double[window.channels()];
        double[] row = new double[window.channels()];
        for (int i = 0; i < window.size(); i++) {
            window.copyReading(i, raw);
            units.normalise(raw, row);
            out.append(window.timestamp(i), row);
        }
        return out;
    }

    private static long nextVersion(LstmModel inForce) {
        return (inForce == null ? 0 : inForce.info().version()) + 1;
    }
}
