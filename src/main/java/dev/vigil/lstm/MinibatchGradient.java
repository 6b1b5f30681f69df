package dev.vigil.lstm;

/**
 * Loss and gradient of one minibatch for an {@link LstmTrainer}: from {@link #SPLIT_BATCH} subsequences on, as
 * two halves (the first {@code ceil(B/2)} subsequences, then the rest), each with its own {@link BpttEngine}
 * workspace and gradient, summed as {@code g_first + g_rest} in that order whatever the thread count; below it, with
 * one engine. With {@code threads = 2} a helper thread ({@link PartRunner}) takes one of the halves, or, with one
 * engine, some of the subsequences (each one's passes) and some of the weight gradient's rows, whichever the caller has
 * not taken first; the sums over rows stay on the caller, in their order: one thread and two give the same bits.
 * Reads the trainer's parameter arrays (shared, never modified) and writes its gradient. Not thread-safe: one caller
 * at a time.
 */
final class MinibatchGradient {

    /**
     * Smallest batch computed as two halves (below it, one engine: which it is depends on the config only, so the
     * bits do not change with the thread count).
     */
    static final int SPLIT_BATCH = 16;
    /** How long each side of a hand-off spins before it parks ({@link PartRunner}). */
    static final long SPIN_NANOS = 20_000;
    /** Chunks of the weight gradient's rows (columns of W) the two threads share out. */
    static final int WEIGHT_CHUNKS = 4;

    private final BpttEngine[] engines;
    private final boolean twoThreads;
    private final float[] parameters;
    private final float[][][] transposedRows;
    private final float[][][] hiddenRows;
    private final float[][][] inputRows;
    private final float[] gradient;
    private final float[] restGradient;
    /** The phases handed to the helper, by chunk: the halves; one subsequence; a share of the weight rows. */
    private final PartRunner.Chunk halves;
    private final PartRunner.Chunk rows;
    private final PartRunner.Chunk weightRows;
    /** The helper while a run lasts ({@link #release}); null with one thread. */
    private PartRunner runner;
    /** The arguments of the phase being handed over. */
    private double[][] series;
    private Normalisation normalisation;
    private int[] offsets;
    private float[] shifts;
    private double firstLoss;
    private double restLoss;

    /**
     * @param parameters     flat parameters ({@link ParameterLayout})
     * @param transposedRows rows of each {@code W_l}ᵀ of {@code parameters}
     * @param hiddenRows     rows of each {@code W_l}, columns of {@code h}
     * @param inputRows      rows of each {@code W_l}, columns of the input
     * @param gradient       where {@link #compute} writes the gradient
     */
    MinibatchGradient(LstmConfig config, TrainingConfig training, int threads, float[] parameters,
                      float[][][] transposedRows, float[][][] hiddenRows, float[][][] inputRows, float[] gradient) {
        int batch = training.batchSize();
        int first = (batch + 1) / 2;
        this.engines = batch < SPLIT_BATCH
                ? new BpttEngine[] {new BpttEngine(config, batch, batch, training.bpttSteps())}
                : new BpttEngine[] {new BpttEngine(config, first, batch, training.bpttSteps()),
                        new BpttEngine(config, batch - first, batch, training.bpttSteps())};
        this.twoThreads = threads == 2;
        this.parameters = parameters;
        this.transposedRows = transposedRows;
        this.hiddenRows = hiddenRows;
        this.inputRows = inputRows;
        this.gradient = gradient;
        this.restGradient = engines.length == 2 ? new float[gradient.length] : null;
        this.halves = (part, worker) -> {
            if (part == 0) {
                firstLoss = half(0, series, normalisation, offsets, shifts, gradient);
            } else {
                restLoss = half(1, series, normalisation, offsets, shifts, restGradient);
            }
        };
        BpttEngine one = engines[0];
        this.rows = (b, worker) -> one.rows(b, b + 1, worker, parameters, transposedRows, hiddenRows, inputRows);
        this.weightRows = (chunk, worker) -> {
            for (int l = 0; l < transposedRows.length; l++) {
                int columns = one.columns(l);
                one.weightGradient(l, columns * chunk / WEIGHT_CHUNKS, columns * (chunk + 1) / WEIGHT_CHUNKS);
            }
        };
    }

    /**
     * Loss of the minibatch at {@code offsets} of the normalised {@code series}, each subsequence's readings shifted by
     * its entry of {@code shifts} (normalised units); its gradient into the trainer's.
     */
    double compute(double[][] series, Normalisation normalisation, int[] offsets, float[] shifts) {
        if (twoThreads && runner == null) {
            runner = new PartRunner(SPIN_NANOS);
        }
        if (engines.length == 1) {
            return runner == null ? half(0, series, normalisation, offsets, shifts, gradient)
                    : shared(series, normalisation, offsets, shifts);
        }
        if (runner == null) {
            firstLoss = half(0, series, normalisation, offsets, shifts, gradient);
            restLoss = half(1, series, normalisation, offsets, shifts, restGradient);
        } else {
            setArguments(series, normalisation, offsets, shifts);
            runner.run(2, halves);
            setArguments(null, null, null, null);
        }
        // g = g_first + g_rest, L = L_first + L_rest: a fixed order, whichever thread finished first
        for (int j = 0; j < gradient.length; j++) {
            gradient[j] += restGradient[j];
        }
        return firstLoss + restLoss;
    }

    /** Ends the helper thread, if one runs; the next {@link #compute} starts another. */
    void release() {
        if (runner != null) {
            runner.stop();
            runner = null;
        }
    }

    /**
     * One engine, two threads: the passes through each subsequence, then the weight gradient's rows, each shared; the
     * sums over rows (the loss, the head's and the biases' gradients) here, after them.
     */
    private double shared(double[][] series, Normalisation normalisation, int[] offsets, float[] shifts) {
        BpttEngine one = engines[0];
        one.loadBatch(series, normalisation, offsets, shifts, 0);
        one.loadHead(parameters);
        runner.run(one.batch(), rows);
        runner.run(WEIGHT_CHUNKS, weightRows);
        one.finish(gradient);
        return one.loss();
    }

    private void setArguments(double[][] series, Normalisation normalisation, int[] offsets, float[] shifts) {
        this.series = series;
        this.normalisation = normalisation;
        this.offsets = offsets;
        this.shifts = shifts;
    }

    /** Loss share and gradient of half {@code part} of the minibatch. */
    private double half(int part, double[][] series, Normalisation normalisation, int[] offsets, float[] shifts,
                        float[] out) {
        BpttEngine engine = engines[part];
        engine.loadBatch(series, normalisation, offsets, shifts, part == 0 ? 0 : (offsets.length + 1) / 2);
        double loss = engine.forward(parameters, transposedRows);
        engine.backward(parameters, hiddenRows, inputRows, out);
        return loss;
    }
}
