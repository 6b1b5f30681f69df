package dev.vigil.train;

import dev.vigil.VigilException;
import dev.vigil.detect.CalendarInputs;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.score.CalendarClock;
import dev.vigil.score.ScoringConfig;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.LstmState;
import dev.vigil.lstm.LstmStepper;
import dev.vigil.lstm.LstmTrainer;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.Normalisation;
import dev.vigil.lstm.TrainingResult;
import dev.vigil.lstm.TrainingStoppedException;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Trains a key's next model on its history window by truncated BPTT, validates it on the window's newest
 * tail and accepts it only if it is finite and (when configured) beats the current model on that tail. A retraining
 * fine-tunes the model in force while the window still fits it ({@link #fineTunes}), else starts from fresh weights.
 * Not thread-safe: owns the trainer's workspaces; one per training thread (which, with {@code parallelism} 2, runs a
 * helper thread while it trains).
 */
public final class ModelTrainer {
    /** Fine-tuning: the most a window's centre may lie from the model's, in the model's scales. */
    static final double FINE_TUNE_SHIFT = 1.0;
    /** Fine-tuning: the most a window's scale may differ from the model's, as a factor either way. */
    static final double FINE_TUNE_SCALE = 2.0;
    /** How the reason of a model refused for its payload size begins. */
    public static final String OVERSIZED = "payload";
    private final LstmConfig shape;
    private final RetrainConfig config;
    private final CalendarInputs calendar;
    /** Trainers by the shape of the models they train, made when first needed (their workspaces are sized for it). */
    private final Map<LstmConfig, LstmTrainer> trainers = new HashMap<>();
    private final LstmStepper stepper;
    private final int parallelism;
    private final CalendarClock clock;

    /**
     * @param shape the network's shape; its {@code contextSize} is the calendar inputs a model may use
     *              ({@link CalendarInputs}: 0, 2 or 4)
     */
    public ModelTrainer(LstmConfig shape, RetrainConfig config) {
        this(shape, config, 1);
    }

    /**
     * @param parallelism threads one training runs on, 1 or 2 ({@link LstmTrainer}: the same models either way)
     */
    public ModelTrainer(LstmConfig shape, RetrainConfig config, int parallelism) {
        this(shape, config, parallelism, CalendarClock.UTC);
    }

    /**
     * @param clock the calendar the network's calendar inputs are read on ({@link ScoringConfig#timeZone()}): the
     *              detector that runs the models must read them on the same one
     */
    public ModelTrainer(LstmConfig shape, RetrainConfig config, int parallelism, CalendarClock clock) {
        this.parallelism = LstmTrainer.requireThreads("trainer parallelism", parallelism);
        this.shape = shape;
        this.config = config;
        this.clock = clock;
        this.calendar = CalendarInputs.of(shape);
        this.stepper = new LstmStepper(shape);
    }

    /**
     * The trainer of the models a detector with {@code detector}'s settings runs: its network shape, and its calendar
     * ({@link ScoringConfig#timeZone()}), so that a model learns the calendar inputs the detector will give it.
     */
    public static ModelTrainer of(DetectorConfig detector, RetrainConfig config, int parallelism) {
        return new ModelTrainer(detector.lstm(), config, parallelism, detector.scoring().calendarClock());
    }

    public RetrainConfig config() {
        return config;
    }

    /**
     * One training attempt on the whole history window.
     *
     * @param modelId  the model's id (the key, in per-key scope)
     * @param history  the key's window (not modified)
     * @param current  the model in force, or null
     */
    public TrainingOutcome train(String modelId, HistoryWindow history, LstmModel current) {
        long version = current == null ? 1 : current.info().version() + 1;
        return train(modelId, version, history, current, () -> false);
    }

    /**
     * One training attempt on {@code history} (a key's window, or in shared scope windows of several keys in their
     * own units, one after the other), producing version {@code version}. The seed is a function of the configured
     * seed, the model id and the version (itself the version in force plus one), so the same inputs train the same
     * model wherever and whenever they run, on whichever thread.
     *
     * @param stop asked after every minibatch whether to give up (time limit, shutdown): then nothing is accepted
     */
    public TrainingOutcome train(String modelId, long version, HistoryWindow history, LstmModel current,
                                 BooleanSupplier stop) {
        long[] timestamps = new long[history.size()];
        for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = clock.local(history.timestamp(i));
        }
        return train(modelId, version, seedFor(modelId, version), history.lastReadings(history.size()),
                timestamps, current, stop);
    }

    /**
     * One training attempt on {@code readings} with their event times; the model reads the calendar inputs, up to
     * the shape's, that these times cover ({@link CalendarInputs#learnableFrom}).
     */
    private TrainingOutcome train(String modelId, long version, long seed, double[][] readings, long[] timestamps,
                                  LstmModel current, BooleanSupplier stop) {
        long start = System.nanoTime();
        CalendarInputs learnable = calendar.learnableFrom(timestamps);
        int h = learnable == CalendarInputs.NONE ? 1
                : CalendarInputs.harmonicsFor(readings, timestamps, shape.dayHarmonics());
        int k = learnable.size(h);
        double[][] series = CalendarInputs.rows(readings, timestamps, k, h);
        Normalisation norm = Normalisation.fit(series, shape.inputSize());
        TrainingResult result;
        try {
            result = fineTunes(current, k, h, norm)
                    ? trainer(k, h).fineTune(series, current, config.training().fineTuneEpochs(), seed, modelId,
                            version, stop)
                    : trainer(k, h).train(series, norm, seed, modelId, version, stop);
        } catch (TrainingStoppedException e) {
            return new TrainingOutcome(null, Double.NaN, Double.NaN, e.getMessage(), System.nanoTime() - start,
                    TrainingOutcome.Status.STOPPED);
        } catch (VigilException e) {
            return new TrainingOutcome(null, Double.NaN, Double.NaN, "training failed: " + e.getMessage(),
                    System.nanoTime() - start, TrainingOutcome.Status.FAILED);
        }
        int tailStart = series.length - Math.max(1, (int) (series.length * config.training().validationFraction()));
        double candidateLoss = tailLoss(result.model(), readings, timestamps, tailStart, norm);
        double currentLoss = current == null ? Double.NaN : tailLoss(current, readings, timestamps, tailStart, norm);
        String reason = "accepted";
        LstmModel accepted = result.model();
        if (!Double.isFinite(candidateLoss)) {
            reason = "candidate validation loss is not finite";
            accepted = null;
        } else if (config.requireImprovement() && current != null && !(candidateLoss < currentLoss)) {
            reason = "candidate loss " + candidateLoss + " does not beat current " + currentLoss;
            accepted = null;
        } else if (ModelCodec.encode(accepted).length > config.maxModelBytes()) {
            reason = OVERSIZED + " of " + ModelCodec.encode(accepted).length + " bytes > retrain.maxModelBytes = "
                    + config.maxModelBytes();
            accepted = null;
        }
        return new TrainingOutcome(accepted, candidateLoss, currentLoss, reason, System.nanoTime() - start,
                accepted == null ? TrainingOutcome.Status.REFUSED : TrainingOutcome.Status.ACCEPTED);
    }

    /**
     * Mean squared one-step prediction error of {@code model} on rows {@code from..end} of the readings, in the
     * units of {@code units} (so two models with different normalisations compare fairly), running the model
     * statefully from the first row with the calendar inputs it reads.
     */
    double tailLoss(LstmModel model, double[][] series, long[] timestamps, int from, Normalisation units) {
        int d = shape.inputSize();
        int k = model.config().contextSize();
        LstmState state = new LstmState(shape);
        double[] x = new double[d + k];
        double[] out = new double[d];
        Normalisation own = model.normalisation();
        double sum = 0;
        long count = 0;
        for (int t = 0; t + 1 < series.length; t++) {
            System.arraycopy(series[t], 0, x, 0, d);
            CalendarInputs.write(timestamps[t], k, model.config().dayHarmonics(), x, d);
            own.normaliseInput(x, x);
            stepper.step(model, state, x, out);
            if (t + 1 >= from) {
                for (int c = 0; c < d; c++) {
                    double predicted = own.denormalise(c, out[c]);
                    double e = units.normalise(c, series[t + 1][c]) - units.normalise(c, predicted);
                    sum += e * e;
                    count++;
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * Whether a training with {@code k} calendar inputs on a window whose readings fit {@code fresh} starts from
     * {@code current} ({@link dev.vigil.lstm.TrainingConfig#fineTuneEpochs} epochs, keeping its normalisation)
     * rather than from fresh weights: when fine-tuning is on, a model is in force, it has the shape (calendar inputs
     * included) the window calls for, and on every channel the window's centre lies within {@link #FINE_TUNE_SHIFT}
     * of the model's scales of the model's centre and its scale within a factor {@link #FINE_TUNE_SCALE} of the
     * model's. A window that moved further (a new level, a louder or quieter sensor) is learnt afresh, in its own
     * units.
     */
    boolean fineTunes(LstmModel current, int k, int h, Normalisation fresh) {
        if (config.training().fineTuneEpochs() == 0 || current == null) {
            return false;
        }
        if (!modelShape(k, h).trainsFrom(current.config())) {
            return false;
        }
        Normalisation own = current.normalisation();
        for (int c = 0; c < own.size(); c++) {
            double scale = own.scale()[c];
            double ratio = fresh.scale()[c] / scale;
            if (Math.abs(fresh.center()[c] - own.center()[c]) > FINE_TUNE_SHIFT * scale
                    || ratio > FINE_TUNE_SCALE || ratio < 1 / FINE_TUNE_SCALE) {
                return false;
            }
        }
        return true;
    }

    /** The shape of a model with {@code k} calendar inputs of {@code h} harmonics of the day. */
    private LstmConfig modelShape(int k, int h) {
        return shape.withContextSize(k).withDayHarmonics(h);
    }

    /** The trainer of models with {@code k} calendar inputs of {@code h} harmonics of the day. */
    private LstmTrainer trainer(int k, int h) {
        return trainers.computeIfAbsent(modelShape(k, h), s -> new LstmTrainer(s, config.training(), parallelism));
    }

    private long seedFor(String modelId, long version) {
        return config.seed() * 1_000_003L + modelId.hashCode() * 31L + version;
    }
}
