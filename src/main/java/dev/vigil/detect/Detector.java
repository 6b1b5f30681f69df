package dev.vigil.detect;

import dev.vigil.ShapeMismatchException;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.LstmState;
import dev.vigil.lstm.LstmStepper;
import dev.vigil.lstm.Normalisation;
import dev.vigil.score.AlertTransition;
import dev.vigil.score.CalendarClock;
import dev.vigil.score.OnlineNormaliser;
import dev.vigil.score.ScoreOutcome;
import dev.vigil.score.ScoreState;
import dev.vigil.score.Scorer;
import dev.vigil.score.ScoringConfig;

import java.util.Optional;

/**
 * The pure per-key step {@code (model, state, event) → (result, new state)} shared by the stream, the
 * replay evaluator and the tests.
 *
 * <p>Per accepted event: score the reading against the prediction made before it arrived; advance the
 * LSTM one step on the normalised reading; store the de-normalised output as the prediction for the
 * next reading. Before a key has a model, the prediction is the last reading (persistence), so scoring
 * statistics build up while the first model is trained. The hidden state is held in float, as it is
 * persisted, so that a state read back is the state written and replay is bit-for-bit.
 *
 * <p>A model with context inputs ({@link CalendarInputs}) reads, after the normalised reading, the calendar
 * inputs of the event's time.
 *
 * <p>With {@link DetectorConfig#keyNormalised()} (a model shared by many keys), readings enter the model in the
 * key's own units, {@code (x - centre) / scale} from the key's running normaliser, and predictions leave it the
 * same way, so one model serves keys of any level and amplitude. A per-key detector does the same for a key whose
 * state is on the shared model while it waits for its own ({@link DetectorState#coldStart()}).
 *
 * <p>A per-key model works in the frame of the key's level when it was put in force: readings enter it less, and
 * predictions leave it plus, how far the key's running centre has moved since ({@link DetectorState#modelCentre()}),
 * so that a trend between two trainings does not carry the readings out of the range the model learnt.
 *
 * <p>Not thread-safe: holds the LSTM workspace. Use one per thread.
 */
public final class Detector {
    private final DetectorConfig config;
    private final Scorer scorer;
    /** The calendar the network's calendar inputs are read on ({@code scoring.timeZone}). */
    private final CalendarClock clock;
    private final LstmStepper stepper;
    /** Model inputs by context size k: {@code d + k} entries, the normalised reading then the context. */
    private final double[][] inputs;
    private final double[] output;
    /** Per channel, how far the key's running centre has moved since its model was put in force. */
    private final double[] shift;

    public Detector(DetectorConfig config) {
        this.config = config;
        this.scorer = new Scorer(config.scoring());
        this.clock = config.scoring().calendarClock();
        this.stepper = new LstmStepper(config.lstm());
        this.inputs = new double[config.lstm().contextSize() + 1][];
        for (int k = 0; k < inputs.length; k++) {
            inputs[k] = new double[config.channels() + k];
        }
        this.output = new double[config.channels()];
        this.shift = new double[config.channels()];
    }

    public DetectorConfig config() {
        return config;
    }

    /** A fresh state for a key never seen before. */
    public DetectorState newState() {
        return new DetectorState(config.lstm(), scorer.newState(config.channels()));
    }

    /**
     * The event {@link #step} scores for {@code event}, which {@link #refusal} accepted: the event itself or, with
     * counter channels ({@link DetectorConfig#counters()}), the event with each counter's reading replaced by its
     * increase since the key's previous reading. A reading below the previous one is a counter that restarted from
     * zero (a device reboot, a wrap), so its increase is the reading itself, as Prometheus' {@code rate} takes it.
     * After a gap ({@link ScoringConfig#gapFactor()}) the increase covers the gap, so it is spread over it: the mean
     * increase a usual interval (rounded for a channel that counts whole events).
     * Records the counters' totals in the key's state. Null for a counter key's first reading, which has nothing to
     * be an increase from: it only sets the totals and the key's latest event time, and the caller reports it with
     * {@link #baseline} instead of stepping.
     */
    public Event scoredEvent(DetectorState state, Event event) {
        if (config.counters() == 0) {
            return event;
        }
        double[] values = event.values();
        double[] totals = state.score().counterTotals();
        if (totals == null) {
            // the key's first reading: its totals only
            totals = new double[values.length];
            for (int c = 0; c < values.length; c++) {
                totals[c] = config.counter(c) ? values[c] : Double.NaN;
            }
            state.score().counterTotals(totals);
            state.lastTimestamp = Math.max(state.lastTimestamp, event.timestamp());
            return null;
        }
        double[] scored = values.clone();
        // after a gap the increase covers the gap: spread it, the mean increase a usual interval over the gap
        double spread = afterGap(state, event.timestamp())
                ? meanInterval(state) / (event.timestamp() - state.lastTimestamp) : 1;
        for (int c = 0; c < values.length; c++) {
            if (!config.counter(c)) {
                continue;
            }
            scored[c] = values[c] >= totals[c] ? values[c] - totals[c] : values[c];
            if (spread != 1) {
                double mean = scored[c] * spread;
                // a counter of whole events stays whole, so that its channel is still judged as a count
                scored[c] = state.score().counts()[c] ? Math.rint(mean) : mean;
            }
            // the state's live totals move on to this reading
            totals[c] = values[c];
        }
        return new Event(event.timestamp(), scored);
    }

    /**
     * The result of a counter key's first reading ({@link #scoredEvent} gave null): accepted and not scored, in
     * warm-up with score 0 and no prediction; its counter channels' values NaN (no increase yet), the others as read.
     */
    public DetectorResult baseline(DetectorState state, Event event) {
        double[] values = event.values().clone();
        for (int c = 0; c < values.length; c++) {
            if (config.counter(c)) {
                values[c] = Double.NaN;
            }
        }
        return new DetectorResult(event.timestamp(), values, null, null, 0, 0, 0, 0, true, state.modelVersion(),
                false, AlertTransition.NONE, state.score().alertOpen(), new int[0], false, null, null, -1, null);
    }

    /**
     * Processes one event. Modifies {@code state} (it becomes the new state) unless the event is refused,
     * in which case the state is left exactly as it was.
     *
     * @param model the key's current model, or null before it has one
     */
    public DetectorResult step(LstmModel model, DetectorState state, Event event) {
        Optional<Refusal> refusal = refusal(state, event);
        if (refusal.isPresent()) {
            return DetectorResult.rejected(event, state, refusal.get());
        }
        long version = model == null ? DetectorState.NO_MODEL : model.info().version();
        boolean adopted = version != state.modelVersion;
        if (adopted) {
            // a model the caller did not re-warm (or none any more: retracted) starts from a cold hidden state
            if (model != null) {
                requireShape(model);
            }
            state.lstm().reset();
            state.modelVersion = version;
            state.coldStart = false;
        }
        double[] prediction = state.hasPrediction && !afterGap(state, event.timestamp()) ? state.prediction().clone()
                : null;
        if (state.events == 0) {
            state.firstTimestamp = event.timestamp();
        }
        ScoreOutcome outcome = scorer.score(state.score(), event.values(), prediction,
                state.ageAt(event.timestamp()), event.timestamp());
        if (adopted) {
            state.frameModelAtCentre();
        }
        boolean reset = advance(model, state, event.values(), event.timestamp());
        state.events++;
        state.lastScore = outcome.anomalyScore();
        state.schedule().counted(outcome.alertOpen());
        state.lastTimestamp = Math.max(state.lastTimestamp, event.timestamp());
        return new DetectorResult(event.timestamp(), event.values(), prediction, outcome.residual(),
                outcome.rawScore(), outcome.likelihoodScore(), outcome.patternScore(), outcome.anomalyScore(), scorer.inWarmup(state.score()),
                state.modelVersion, outcome.outsideRange(), outcome.transition(), outcome.alertOpen(),
                outcome.topChannels(), reset, outcome.reason(), outcome.detail(), outcome.detailChannel(), null);
    }

    /**
     * Whether an event at {@code timestamp} comes after a gap ({@link ScoringConfig#gapFactor()}): more than that many
     * times the key's mean interval after its latest event.
     */
    private boolean afterGap(DetectorState state, long timestamp) {
        double factor = config.scoring().gapFactor();
        if (factor == 0 || state.events < 2 || state.firstTimestamp == DetectorState.NO_TIMESTAMP) {
            return false;
        }
        double mean = meanInterval(state);
        // events at one time (allowed lateness) have no interval to measure a gap by
        return mean > 0 && timestamp - state.lastTimestamp > factor * mean;
    }

    /** The key's mean interval between accepted events, ms (with at least two and its first known). */
    private static double meanInterval(DetectorState state) {
        return (double) (state.lastTimestamp - state.firstTimestamp) / (state.events - 1);
    }

    /**
     * Adopts a new model for a key: resets the hidden state and runs the model over the stored history,
     * oldest first, so that the next prediction comes from a warmed state; on the way, the key's
     * prediction-error baseline (recent level and long-run distribution) is rebuilt from the new model's
     * own errors on that history, so that scores after the swap measure surprise against what this model
     * usually misses rather than against the previous model. The normaliser, range and alert are kept.
     * Modifies {@code state}.
     */
    public void rewarm(LstmModel model, DetectorState state, HistoryWindow history) {
        rewarm(model, false, state, history);
    }

    /**
     * {@link #rewarm(LstmModel, DetectorState, HistoryWindow)} onto the key's own model ({@code coldStart} false) or,
     * in per-key scope, onto the topology's shared model while the key has none of its own (true: the model reads
     * the key's own units, {@link DetectorState#coldStart()}).
     */
    public void rewarm(LstmModel model, boolean coldStart, DetectorState state, HistoryWindow history) {
        requireShape(model);
        state.lstm().reset();
        state.modelVersion = model.info().version();
        state.coldStart = coldStart;
        state.frameModelAtCentre();
        state.hasPrediction = false;
        scorer.resetErrorStatistics(state.score());
        double[] reading = new double[config.channels()];
        double[] previous = new double[config.channels()];
        for (int i = 0; i < history.size(); i++) {
            history.copyReading(i, reading);
            if (state.hasPrediction) {
                System.arraycopy(state.prediction(), 0, previous, 0, previous.length);
                scorer.absorbResidual(state.score(), reading, previous);
            }
            advance(model, state, reading, history.timestamp(i));
        }
    }

    /**
     * The key's own units ({@link DetectorConfig#keyNormalised()}): its running centre and scale per channel, as
     * a {@link Normalisation}. A shared model is trained on windows put in these units, and scores in them.
     */
    public static Normalisation keyNormalisation(ScoreState score) {
        double[] scale = new double[score.channels()];
        for (int c = 0; c < scale.length; c++) {
            scale[c] = OnlineNormaliser.unit(score, c);
        }
        return new Normalisation(score.center().clone(), scale);
    }

    /** Advances the network (or persistence) one step; returns true when the state had to be reset. */
    private boolean advance(LstmModel model, DetectorState state, double[] values, long timestamp) {
        double[] next = state.prediction();
        if (model == null) {
            System.arraycopy(values, 0, next, 0, values.length);
            state.hasPrediction = true;
            return false;
        }
        Normalisation norm = model.normalisation();
        ScoreState score = state.score();
        int k = model.config().contextSize();
        double[] input = inputs[k];
        boolean keyUnits = config.keyNormalised() || state.coldStart;
        for (int c = 0; c < values.length; c++) {
            double since = score.center()[c] - state.modelCentre()[c];
            shift[c] = keyUnits || Double.isNaN(since) ? 0.0 : since;
            input[c] = keyUnits ? (values[c] - score.center()[c]) / OnlineNormaliser.unit(score, c)
                    : values[c] - shift[c];
        }
        CalendarInputs.write(clock.local(timestamp), k, model.config().dayHarmonics(), input, values.length);
        norm.normaliseInput(input, input);
        LstmState lstm = state.lstm();
        stepper.step(model, lstm, input, output);
        boolean finite = lstm.isFinite();
        for (int c = 0; c < next.length && finite; c++) {
            double y = norm.denormalise(c, output[c]);
            next[c] = keyUnits ? score.center()[c] + y * OnlineNormaliser.unit(score, c) : y + shift[c];
            finite = Double.isFinite(next[c]);
        }
        if (!finite) {
            lstm.reset();
            System.arraycopy(values, 0, next, 0, values.length);
            state.resets++;
        }
        state.hasPrediction = true;
        return !finite;
    }

    /**
     * Why {@link #step} would refuse {@code event} for the key's state, if it would: a bad reading ({@link
     * Refusal.Kind#INVALID}: wrong channel count, non-finite value, no timestamp) or one that comes too late
     * ({@link Refusal.Kind#LATE}: not after the key's latest event, or further back than the allowed lateness).
     */
    public Optional<Refusal> refusal(DetectorState state, Event event) {
        double[] values = event.values();
        if (values == null || values.length != state.channels()) {
            return invalid("expected " + state.channels() + " channel(s), got " + (values == null ? 0 : values.length));
        }
        for (int c = 0; c < values.length; c++) {
            if (!Double.isFinite(values[c])) {
                return invalid("channel " + c + " is not a finite number: " + values[c]);
            }
        }
        if (event.timestamp() == DetectorState.NO_TIMESTAMP) {
            return invalid("missing timestamp");
        }
        long lateness = config.allowedLatenessMs();
        if (state.lastTimestamp != DetectorState.NO_TIMESTAMP) {
            if (lateness == 0 && event.timestamp() <= state.lastTimestamp) {
                return late("timestamp " + event.timestamp() + " is not after the key's previous event "
                        + state.lastTimestamp);
            }
            if (lateness > 0 && event.timestamp() < state.lastTimestamp - lateness) {
                return late("timestamp " + event.timestamp() + " is more than the allowed lateness (" + lateness
                        + " ms) before the key's latest event " + state.lastTimestamp);
            }
        }
        return Optional.empty();
    }

    private static Optional<Refusal> invalid(String detail) {
        return Optional.of(new Refusal(Refusal.Kind.INVALID, detail));
    }

    private static Optional<Refusal> late(String detail) {
        return Optional.of(new Refusal(Refusal.Kind.LATE, detail));
    }

    private void requireShape(LstmModel model) {
        var m = model.config();
        var k = config.lstm();
        if (!k.fits(m)) {
            throw new ShapeMismatchException("model shape (" + m.shapeText() + ") does not match the key's ("
                    + k.shapeText() + ")");
        }
    }
}
