package dev.vigil.lstm;

import dev.vigil.VigilException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Loss and gradient of one minibatch for an {@link LstmTrainer}: from {@link #SPLIT_BATCH} subsequences on, as
 * two halves (the first {@code ceil(B/2)} subsequences, then the rest), each with its own {@link BpttEngine}
 * workspace and gradient, summed as {@code g_first + g_rest} in that order whatever the thread count. With
 * {@code threads = 2} the second half runs on a daemon helper thread owned by this object, so one thread and
 * two give the same bits. Reads the trainer's parameter arrays (shared, never modified) and writes its gradient.
 * Not thread-safe: one caller at a time.
 */
final class MinibatchGradient {

    /**
     * Smallest batch computed as two halves (below it, one part: a small minibatch gains less from a second
     * thread than the halves cost; which it is depends on the config only, so the bits do not change).
     */
    static final int SPLIT_BATCH = 16;

    private final BpttEngine[] engines;
    private final float[] parameters;
    private final float[][][] transposedRows;
    private final float[][][] hiddenRows;
    private final float[][][] inputRows;
    private final float[] gradient;
    private final float[] restGradient;
    /** Runs the second half with two threads; null with one. */
    private final ExecutorService helper;

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
        this.parameters = parameters;
        this.transposedRows = transposedRows;
        this.hiddenRows = hiddenRows;
        this.inputRows = inputRows;
        this.gradient = gradient;
        this.restGradient = engines.length == 2 ? new float[gradient.length] : null;
        this.helper = threads == 2 && engines.length == 2 ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vigil-lstm-trainer-helper");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** Loss of the minibatch at {@code offsets} of the normalised {@code series}; its gradient into the trainer's. */
    double compute(double[][] series, Normalisation normalisation, int[] offsets) {
        if (engines.length == 1) {
            return half(0, series, normalisation, offsets, gradient);
        }
        double firstLoss;
        double restLoss;
        if (helper == null) {
            firstLoss = half(0, series, normalisation, offsets, gradient);
            restLoss = half(1, series, normalisation, offsets, restGradient);
        } else {
            Future<Double> rest = helper.submit(() -> half(1, series, normalisation, offsets, restGradient));
            firstLoss = half(0, series, normalisation, offsets, gradient);
            restLoss = join(rest);
        }
        // g = g_first + g_rest, L = L_first + L_rest: a fixed order, whichever thread finished first
        for (int j = 0; j < gradient.length; j++) {
            gradient[j] += restGradient[j];
        }
        return firstLoss + restLoss;
    }

    /** Loss share and gradient of half {@code part} of the minibatch. */
    private double half(int part, double[][] series, Normalisation normalisation, int[] offsets, float[] out) {
        BpttEngine engine = engines[part];
        engine.loadBatch(series, normalisation, offsets, part == 0 ? 0 : (offsets.length + 1) / 2);
        double loss = engine.forward(parameters, transposedRows);
        engine.backward(parameters, hiddenRows, inputRows, out);
        return loss;
    }

    private static double join(Future<Double> rest) {
        try {
            return rest.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrainingStoppedException("interrupted while the helper thread trained");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new VigilException("trainer helper thread failed: " + e.getCause(), e.getCause());
        }
    }
}
