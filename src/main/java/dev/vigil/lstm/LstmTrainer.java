package dev.vigil.lstm;

import dev.vigil.BadConfigException;
import dev.vigil.ShapeMismatchException;
import dev.vigil.VigilException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Trains an {@link LstmModel} to forecast {@code x_{t+1}} from {@code x_{≤t}} by truncated
 * backpropagation through time ({@link BpttEngine}), Adam ({@link AdamOptimizer}), global
 * gradient-norm clipping and early stopping on a held-back validation tail.
 *
 * <p>A run: the series is split into a training part and the last {@code max(1, floor(validationFraction · n))}
 * readings (the validation tail, never trained on). Each minibatch takes {@code batchSize} subsequences of {@code
 * bpttSteps + 1} readings at seeded random offsets in the training part, each from zero state (and, with {@link
 * TrainingConfig#levelJitter()}, its readings shifted by a seeded level), and minimises the one-step MSE on normalised
 * values. An epoch is {@code max(1, ceil(trainPoints / (batchSize · bpttSteps)))} minibatches; after each, the
 * validation loss is the MSE of the {@link LstmStepper}'s one-step forecasts of the tail, run statefully from zero
 * state {@link #WARMUP_WINDOWS}{@code · bpttSteps} readings before the tail (or from the first reading, if that is
 * later) so that the tail is scored warm. Training stops after {@code patience} epochs without a lower validation loss
 * or at {@code maxEpochs}, and returns the parameters of the best epoch, each rounded to the nearest half-precision
 * value ({@link HalfPrecision}).
 *
 * <p>Non-finite readings are rejected before training starts with a
 * {@link NonFiniteTrainingException}; a loss or gradient that becomes non-finite aborts the run
 * with the same exception. The same seed, series and configs give bit-identical models.
 *
 * <p>Arithmetic is float32 ({@link BpttEngine}, {@link AdamOptimizer}); losses are summed in double. A
 * minibatch of at least {@link MinibatchGradient#SPLIT_BATCH} subsequences is computed as two halves whose
 * gradients are summed in a fixed order ({@link MinibatchGradient}); with {@code threads = 2} a helper thread the
 * trainer starts for each run takes one of the halves (or, for a smaller batch, some of the subsequences and of the
 * weight gradient's rows, whichever the training thread has not taken first), and the same seed, series and configs
 * give bit-identical models with one thread or two.
 *
 * <p>Workspaces (sized for the two configs) are allocated once in the constructor; minibatches and validation
 * passes allocate nothing (with two threads, but for the helper started per run). Reusable for any number of runs;
 * not thread-safe.
 */
public final class LstmTrainer {

    /** Largest workspace (in doubles, 8 bytes each) a trainer may allocate: 2 GiB. */
    public static final long MAX_WORKSPACE_DOUBLES = 1L << 28;

    /**
     * Truncation windows of readings the validation pass steps through before the tail, from zero state. The
     * model is trained on subsequences of {@code bpttSteps + 1} readings from zero state, so eight windows warm
     * its state as well as the whole series would, at a fraction of the cost (the pass runs after every epoch).
     */
    public static final int WARMUP_WINDOWS = 8;
    /** Mixed into the run's seed for the level shifts' stream ({@link TrainingConfig#levelJitter()}). */
    private static final long JITTER_STREAM = 0x5DEECE66DL;

    private final LstmConfig config;
    private final TrainingConfig training;
    private final ParameterLayout layout;
    private final AdamOptimizer adam;
    private final float[] parameters;
    /**
     * The parameters as the stepper reads them ({@link ParameterLayout#newRows}), rows of each {@code W_l}ᵀ (views
     * of those) and rows of each {@code W_l} in two parts (the columns of h, of the input), refreshed from
     * {@code parameters} after each update.
     */
    private final float[][] stepRows;
    private final float[][][] transposedRows;
    private final float[][][] hiddenWeightRows;
    private final float[][][] inputWeightRows;
    /** Gradient of the last minibatch. */
    private final float[] gradient;
    private final float[] bestParameters;
    private final int[] offsets;
    /** Per subsequence of a minibatch, its level shift in normalised units ({@link TrainingConfig#levelJitter()}). */
    private final float[] shifts;
    private final MinibatchGradient minibatch;
    private final LstmModel working;
    private final LstmStepper stepper;
    /** {@code h} and {@code c} of the validation pass, per layer, in float ({@link LstmStepper#advance}). */
    private final float[][] validationHidden;
    private final float[][] validationCell;
    private final double[] current;
    private final double[] next;
    private final double[] prediction;

    private double[][] series;
    private Normalisation normalisation;
    private SplittableRandom random;
    /** Draws the level shifts; a stream of its own, so that without jitter the offsets are drawn as ever. */
    private SplittableRandom jitterRandom;
    private int trainPoints;
    /** Where the validation pass starts: {@link #WARMUP_WINDOWS} truncation windows before the tail. */
    private int validationStart;

    /**
     * @throws BadConfigException when the workspaces for these configs would exceed
     *                            {@link #MAX_WORKSPACE_DOUBLES}
     */
    public LstmTrainer(LstmConfig config, TrainingConfig training) {
        this(config, training, 1);
    }

    /**
     * The thread counts a training can run on, 1 or 2; {@code setting} names the value in the error (callers that
     * make their trainers later, or on other threads, check theirs up front with it).
     *
     * @throws BadConfigException when {@code threads} is neither
     */
    public static int requireThreads(String setting, int threads) {
        if (threads != 1 && threads != 2) {
            throw new BadConfigException(setting + " must be 1 or 2, got " + threads);
        }
        return threads;
    }

    /**
     * A trainer that computes each minibatch on {@code threads} threads (1 or 2; the results are the same bits either
     * way). With 2, {@link #train} runs a daemon helper thread while it trains; {@link #trainMinibatch} starts one
     * that lives until the next {@link #train} ends or {@link #release}.
     *
     * @throws BadConfigException when {@code threads} is not 1 or 2, or when the workspaces for these configs
     *                            would exceed {@link #MAX_WORKSPACE_DOUBLES}
     */
    public LstmTrainer(LstmConfig config, TrainingConfig training, int threads) {
        requireThreads("trainer threads", threads);
        if (config == null || training == null) {
            throw new BadConfigException("config and training must not be null");
        }
        long doubles = BpttEngine.workspaceDoubles(config, training.batchSize(), training.bpttSteps());
        if (doubles > MAX_WORKSPACE_DOUBLES) {
            throw new BadConfigException("training workspace for batchSize " + training.batchSize() + " x bpttSteps "
                    + training.bpttSteps() + " at " + config.shapeText() + " needs " + (doubles >> 17)
                    + " MiB, more than the limit of " + (MAX_WORKSPACE_DOUBLES >> 17) + " MiB");
        }
        this.config = config;
        this.training = training;
        this.layout = new ParameterLayout(config);
        int batch = training.batchSize();
        this.adam = new AdamOptimizer(layout.size());
        this.parameters = new float[layout.size()];
        this.stepRows = layout.newRows();
        this.transposedRows = new float[layout.layers][][];
        for (int l = 0; l < layout.layers; l++) {
            int first = layout.layerRow(l);
            transposedRows[l] = Arrays.copyOfRange(stepRows, first, first + layout.columns(l));
        }
        this.hiddenWeightRows = layout.newWeightRows(true);
        this.inputWeightRows = layout.newWeightRows(false);
        this.gradient = new float[layout.size()];
        this.bestParameters = new float[layout.size()];
        this.offsets = new int[batch];
        this.shifts = new float[batch];
        this.working = LstmModel.wrapping(config, Normalisation.identity(config.inputSize()), stepRows);
        this.minibatch = new MinibatchGradient(config, training, threads, parameters, transposedRows, hiddenWeightRows,
                inputWeightRows, gradient);
        this.stepper = new LstmStepper(config);
        this.validationHidden = new float[config.layers()][config.hiddenSize()];
        this.validationCell = new float[config.layers()][config.hiddenSize()];
        this.current = new double[config.inputSize() + config.contextSize()];
        this.next = new double[config.inputSize() + config.contextSize()];
        this.prediction = new double[config.inputSize()];
    }

    /**
     * Trains a fresh model ({@link LstmModel#initialise} with {@code seed}).
     *
     * @param series        {@code [t][column]} raw readings ({@code d} channels) followed by the {@code k} context
     *                      inputs of the config, finite, {@code n >= 2·bpttSteps} and a
     *                      training part of at least {@code bpttSteps + 1}; not modified
     * @param normalisation maps raw readings to the model's inputs (e.g. {@link Normalisation#fit})
     * @param seed          seeds initialisation and minibatch offsets
     * @param modelId       stored in the model's {@link TrainingInfo}
     * @param version       stored in the model's {@link TrainingInfo}
     * @throws BadConfigException         when the series is too short, or modelId or version is invalid
     * @throws ShapeMismatchException     when rows or normalisation do not have {@code inputSize} channels
     * @throws NonFiniteTrainingException on a non-finite reading, loss or gradient
     */
    public TrainingResult train(double[][] series, Normalisation normalisation, long seed, String modelId,
                                long version) {
        return train(series, LstmModel.initialise(config, normalisation, seed), seed, modelId, version);
    }

    /**
     * Like {@link #train(double[][], Normalisation, long, String, long)} but starts from
     * {@code initial}'s parameters and normalisation (fine-tuning a deployed model).
     */
    public TrainingResult train(double[][] series, LstmModel initial, long seed, String modelId, long version) {
        return run(series, initial, seed, modelId, version, () -> false, training.maxEpochs());
    }

    /**
     * Like {@link #train(double[][], LstmModel, long, String, long)} (starting from {@code initial}'s parameters and
     * normalisation) but with at most {@code epochs} epochs instead of the config's {@code maxEpochs}, asking
     * {@code stop} after every minibatch whether to give up: a retraining that fine-tunes the model in force.
     *
     * @throws TrainingStoppedException when {@code stop} answered true; the run is abandoned
     */
    public TrainingResult fineTune(double[][] series, LstmModel initial, int epochs, long seed, String modelId,
                                   long version, BooleanSupplier stop) {
        if (epochs < 1) {
            throw new BadConfigException("fine-tuning epochs must be >= 1, got " + epochs);
        }
        return run(series, initial, seed, modelId, version, stop, epochs);
    }

    /**
     * Like {@link #train(double[][], Normalisation, long, String, long)}, asking {@code stop} after every
     * minibatch whether to give up (a time limit, a shutdown).
     *
     * @throws TrainingStoppedException when {@code stop} answered true; the run is abandoned
     */
    public TrainingResult train(double[][] series, Normalisation normalisation, long seed, String modelId,
                                long version, BooleanSupplier stop) {
        return run(series, LstmModel.initialise(config, normalisation, seed), seed, modelId, version, stop,
                training.maxEpochs());
    }

    private TrainingResult run(double[][] series, LstmModel initial, long seed, String modelId, long version,
                               BooleanSupplier stop, int maxEpochs) {
        new TrainingInfo(modelId, version, seed, 0, Double.NaN, Double.NaN, 0); // fail before training, not after
        startRun(series, initial, seed);
        try {
            return runEpochs(seed, modelId, version, stop, maxEpochs);
        } finally {
            this.series = null;
            release();
        }
    }

    /** Ends the helper thread of a two-thread trainer, if one runs (the next minibatch starts another). */
    public void release() {
        minibatch.release();
    }

    private TrainingResult runEpochs(long seed, String modelId, long version, BooleanSupplier stop, int maxEpochs) {
        int minibatches = minibatchesPerEpoch();
        double bestValidation = Double.POSITIVE_INFINITY;
        double bestTrain = Double.NaN;
        int stale = 0;
        int epochs = 0;
        while (epochs < maxEpochs && stale < training.patience()) {
            double sum = 0;
            for (int k = 0; k < minibatches; k++) {
                if (stop.getAsBoolean()) {
                    throw new TrainingStoppedException("training stopped after " + epochs + " epoch(s) and " + k
                            + " minibatch(es)");
                }
                sum += trainMinibatch();
            }
            epochs++;
            double validation = validationLoss();
            if (validation < bestValidation) {
                bestValidation = validation;
                bestTrain = sum / minibatches;
                System.arraycopy(parameters, 0, bestParameters, 0, parameters.length);
                stale = 0;
            } else {
                stale++;
            }
        }
        TrainingInfo info = new TrainingInfo(modelId, version, seed, epochs, bestTrain, bestValidation, series.length);
        // the model keeps the best epoch's parameters rounded to half precision: 16 bits a weight where the step reads
        // them so (HalfPrecision), the same values everywhere else
        float[] kept = bestParameters.clone();
        HalfPrecision.roundAll(kept);
        LstmModel model = new LstmModel(config, normalisation, info, kept);
        return new TrainingResult(model, epochs, bestTrain, bestValidation);
    }

    /**
     * Starts a run by hand (what {@link #train} does first): checks and keeps a reference to
     * {@code series} (the caller must not change it during the run), copies {@code initial}'s
     * parameters, resets Adam and seeds the minibatch offsets. For benchmarks and custom loops.
     */
    public void startRun(double[][] series, LstmModel initial, long seed) {
        if (!config.trainsFrom(initial.config())) {
            throw new ShapeMismatchException("initial model " + initial.config().shapeText() + " residual="
                    + initial.config().residual() + " does not match trainer " + config.shapeText()
                    + " residual=" + config.residual());
        }
        this.trainPoints = TrainingSeries.check(config, training, series, initial.normalisation());
        this.validationStart = Math.max(0, trainPoints - WARMUP_WINDOWS * training.bpttSteps());
        this.series = series;
        this.normalisation = initial.normalisation();
        System.arraycopy(initial.parameters(), 0, parameters, 0, parameters.length);
        System.arraycopy(parameters, 0, bestParameters, 0, parameters.length);
        refreshWeightRows();
        adam.reset();
        this.random = new SplittableRandom(seed).split();
        this.jitterRandom = new SplittableRandom(seed ^ JITTER_STREAM);
        Arrays.fill(shifts, 0f);
    }

    /**
     * One optimisation step of the started run: draws {@code batchSize} offsets, runs forward and
     * BPTT, clips and applies Adam. Allocation-free.
     *
     * @return the minibatch loss before the update (MSE, normalised units)
     * @throws NonFiniteTrainingException when the loss or gradient is not finite
     */
    public double trainMinibatch() {
        if (series == null) {
            throw new VigilException("no run started: call startRun first");
        }
        for (int b = 0; b < offsets.length; b++) {
            offsets[b] = random.nextInt(trainPoints - training.bpttSteps());
        }
        double jitter = training.levelJitter();
        if (jitter > 0) {
            for (int b = 0; b < shifts.length; b++) {
                shifts[b] = (float) (jitter * (2 * jitterRandom.nextDouble() - 1));
            }
        }
        double loss = computeLossAndGradient();
        if (!Double.isFinite(loss)) {
            throw new NonFiniteTrainingException("training loss became " + loss);
        }
        double norm = AdamOptimizer.norm(gradient);
        if (!Double.isFinite(norm)) {
            throw new NonFiniteTrainingException("gradient norm became " + norm + " at loss " + loss);
        }
        double scale = norm > training.clipNorm() ? training.clipNorm() / norm : 1.0;
        adam.update(parameters, gradient, scale, training.learningRate());
        refreshWeightRows();
        return loss;
    }

    /** Minibatches per epoch for the started run: {@code max(1, ceil(trainPoints / (B·T)))}. */
    public int minibatchesPerEpoch() {
        long perBatch = (long) training.batchSize() * training.bpttSteps();
        return (int) Math.max(1, (trainPoints + perBatch - 1) / perBatch);
    }

    /**
     * Loss and gradient of {@code model} on the minibatch at {@code offsets}, without updating
     * anything but the workspaces and the trainer's parameter copy. For gradient checks.
     *
     * @param gradient output in {@link ParameterLayout} order, or null for the loss only
     */
    double lossAndGradient(LstmModel model, double[][] series, int[] offsets, float[] gradient) {
        if (offsets.length != training.batchSize()) {
            throw new ShapeMismatchException("offsets must have batchSize = " + training.batchSize()
                    + " entries, got " + offsets.length);
        }
        startRun(series, model, 0);
        System.arraycopy(offsets, 0, this.offsets, 0, offsets.length);
        double loss = computeLossAndGradient();
        if (gradient != null) {
            System.arraycopy(this.gradient, 0, gradient, 0, gradient.length);
        }
        return loss;
    }

    /** Loss of the minibatch at {@link #offsets}; its gradient into {@link #gradient}. */
    private double computeLossAndGradient() {
        return minibatch.compute(series, normalisation, offsets, shifts);
    }

    private void refreshWeightRows() {
        layout.writeRows(parameters, stepRows);
        layout.writeWeightRows(parameters, hiddenWeightRows, true);
        layout.writeWeightRows(parameters, inputWeightRows, false);
    }

    /**
     * One-step MSE over the validation tail, stepping the current parameters statefully from zero state at
     * {@link #validationStart}. Allocation-free.
     */
    private double validationLoss() {
        for (int l = 0; l < validationHidden.length; l++) {
            Arrays.fill(validationHidden[l], 0f);
            Arrays.fill(validationCell[l], 0f);
        }
        normalisation.normaliseInput(series[validationStart], current);
        double sum = 0;
        double[] x = current;
        double[] target = next;
        for (int t = validationStart; t + 1 < series.length; t++) {
            stepper.advance(working, validationHidden, validationCell, x, prediction);
            normalisation.normaliseInput(series[t + 1], target);
            if (t + 1 >= trainPoints) {
                for (int k = 0; k < prediction.length; k++) {
                    double diff = prediction[k] - target[k];
                    sum += diff * diff;
                }
            }
            double[] swap = x;
            x = target;
            target = swap;
        }
        double loss = sum / ((double) (series.length - trainPoints) * config.inputSize());
        if (!Double.isFinite(loss)) {
            throw new NonFiniteTrainingException("validation loss became " + loss);
        }
        return loss;
    }
}
