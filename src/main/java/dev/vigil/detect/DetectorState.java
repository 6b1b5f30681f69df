package dev.vigil.detect;

import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmState;
import dev.vigil.score.ScoreState;
import dev.vigil.score.Scorer;
import dev.vigil.score.ScoringConfig;

/**
 * Everything one key carries from event to event: the LSTM's h and c per layer, the scoring state
 * (normaliser, error statistics, alert), the prediction for the next reading, counters, the version of
 * the model the hidden state belongs to, the last event time and the key's {@link TrainingSchedule}. Mutable, not thread-safe.
 *
 * <p>Persisted by {@link DetectorStateCodec}; its size for the default configuration is reported
 * in the README.
 */
public final class DetectorState {
    /** Sentinel for "no event yet". */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;
    /** Model version of a key that has no model yet. */
    public static final long NO_MODEL = 0;

    private final LstmState lstm;
    private final ScoreState score;
    private final double[] prediction;
    /** The key's running centre when its model was put in force, per channel (NaN: none yet). */
    private final double[] modelCentre;
    private final TrainingSchedule schedule = new TrainingSchedule();
    boolean hasPrediction;
    long events;
    long resets;
    long lastTimestamp = NO_TIMESTAMP;
    long firstTimestamp = NO_TIMESTAMP;
    long modelVersion = NO_MODEL;
    boolean coldStart;
    double lastScore;
    /** A model source's handle on the key's model ({@link #modelHandle}); not part of the state. */
    private Object modelHandle;

    public DetectorState(LstmConfig shape, ScoreState score) {
        this.lstm = new LstmState(shape);
        this.score = score;
        this.prediction = new double[shape.inputSize()];
        this.modelCentre = new double[shape.inputSize()];
        java.util.Arrays.fill(modelCentre, Double.NaN);
    }

    DetectorState(LstmState lstm, ScoreState score, double[] prediction, double[] modelCentre) {
        this.lstm = lstm;
        this.score = score;
        this.prediction = prediction;
        this.modelCentre = modelCentre;
    }

    public int channels() {
        return prediction.length;
    }

    public LstmState lstm() {
        return lstm;
    }

    public ScoreState score() {
        return score;
    }

    /** Prediction for the next reading, raw units (meaningful when {@link #hasPrediction()}). Live array. */
    public double[] prediction() {
        return prediction;
    }

    /**
     * The key's running centre per channel ({@link ScoreState#center()}) when its model was put in force (NaN before
     * its first model): a per-key model reads and predicts the key's readings shifted by how far the centre has moved
     * since, so that a key whose level trends stays in the range its model was trained on. Live array.
     */
    public double[] modelCentre() {
        return modelCentre;
    }

    /** Puts the model in force in the frame of the key's level now: its running centre. */
    void frameModelAtCentre() {
        System.arraycopy(score.center(), 0, modelCentre, 0, modelCentre.length);
    }

    public boolean hasPrediction() {
        return hasPrediction;
    }

    /** The key's retraining schedule (persisted with the state). Live object. */
    public TrainingSchedule schedule() {
        return schedule;
    }

    /** Accepted events. */
    public long events() {
        return events;
    }

    /** Times the hidden state went non-finite and was reset. */
    public long resets() {
        return resets;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    /**
     * Event time of the key's first accepted event; {@link #NO_TIMESTAMP} before it, and for a key whose state was
     * written by a release that did not keep it (format 8 or earlier), which counts as established.
     */
    public long firstTimestamp() {
        return firstTimestamp;
    }

    /**
     * Event time from the key's first accepted event to {@code timestamp} (the range rule's age,
     * {@link ScoringConfig#rangeTolerance}); {@link Scorer#ESTABLISHED} when the first is not known.
     */
    public long ageAt(long timestamp) {
        return firstTimestamp == NO_TIMESTAMP ? Scorer.ESTABLISHED : timestamp - firstTimestamp;
    }

    /** The anomaly score of the key's latest accepted event (0 before the first). */
    public double lastScore() {
        return lastScore;
    }

    /** Version of the model the hidden state was computed with; {@link #NO_MODEL} before the first. */
    public long modelVersion() {
        return modelVersion;
    }

    /**
     * Whether the hidden state belongs to the topology's shared model serving, in per-key scope, a key that has no
     * model of its own yet ({@code retrain.coldStart=shared}): that model reads the key's own units. False otherwise,
     * in shared scope too (there every model is shared; {@link DetectorConfig#keyNormalised()} says so).
     */
    public boolean coldStart() {
        return coldStart;
    }

    /**
     * What the key's model source keeps with the state to find the key's model again without a lookup (the stream's
     * handle on the key's decoded model); null until a source sets one. Not part of the key's state: never encoded,
     * and a state decoded again has none.
     */
    public Object modelHandle() {
        return modelHandle;
    }

    /** Sets {@link #modelHandle()}. */
    public void modelHandle(Object handle) {
        this.modelHandle = handle;
    }

    void restoreCounters(boolean hasPrediction, long events, long resets, long lastTimestamp,
                         long modelVersion) {
        this.hasPrediction = hasPrediction;
        this.events = events;
        this.resets = resets;
        this.lastTimestamp = lastTimestamp;
        this.modelVersion = modelVersion;
    }
}
