package dev.vigil.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Float32 BPTT gradients against central finite differences, parameter by parameter, of the minibatch loss of
 * the double-precision {@link ReferenceLstm} at the same (float) parameters and the same float-rounded inputs.
 */
class LstmTrainerGradientTest {

    /** Central-difference step (on the double reference, so it can be small). */
    private static final double EPSILON = 1e-5;
    /**
     * Agreement: {@code |analytic - numeric| <= ABSOLUTE + RELATIVE·|numeric|}; float32 arithmetic in the
     * analytic gradient (it was 1e-9 and 1e-6 when the trainer computed in double).
     */
    private static final double ABSOLUTE_TOLERANCE = 2e-6;
    private static final double RELATIVE_TOLERANCE = 1e-4;
    private static final int STEPS = 6;
    private static final int[] OFFSETS = {0, 9, 23};

    @ParameterizedTest(name = "residual={0} context={1}")
    @CsvSource({"true, 0", "false, 0", "true, 2", "false, 2"})
    void shouldMatchFiniteDifferencesForEveryParameterGroup(boolean residual, int context) {
        LstmConfig config = new LstmConfig(2, 3, 2, 1.0, residual, context);
        double[][] series = withContext(TestSeries.multiChannel(40, 2, 17), context);
        Normalisation normalisation = Normalisation.fit(series, 2);
        LstmModel model = LstmModel.initialise(config, normalisation, 29);
        LstmTrainer trainer = new LstmTrainer(config, new TrainingConfig(1, OFFSETS.length, STEPS, 0.01, 1.0, 0.2, 1));
        float[] analytic = new float[model.parameterCount()];
        trainer.lossAndGradient(model, series, OFFSETS, analytic);

        double[][] inputs = floatInputs(series, normalisation, 2 + context);
        ParameterLayout layout = model.layout();
        Map<String, double[]> worstPerGroup = new LinkedHashMap<>();
        double[] p = ReferenceLstm.widen(model.parameters());
        for (int j = 0; j < p.length; j++) {
            double numeric = centralDifference(config, inputs, p, j);
            double error = Math.abs(analytic[j] - numeric);
            String group = layout.describe(j);
            assertTrue(error <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.abs(numeric),
                    group + " parameter " + j + ": analytic " + analytic[j] + " vs numeric " + numeric);
            double[] stats = worstPerGroup.computeIfAbsent(group, g -> new double[2]);
            stats[0] = Math.max(stats[0], Math.abs(numeric));
            stats[1]++;
        }
        // every gate block of every layer and both head blocks were checked, and none is trivially zero
        assertEquals(2 * 4 * 2 + 2, worstPerGroup.size(), worstPerGroup.keySet().toString());
        worstPerGroup.forEach((group, stats) -> assertTrue(stats[0] > 1e-6, group + " has an all-zero gradient"));
    }

    @ParameterizedTest(name = "residual={0} context={1}")
    @CsvSource({"true, 0", "false, 0", "true, 3", "false, 3"})
    void shouldComputeTheSameMinibatchLossAsTheReferenceLstm(boolean residual, int context) {
        LstmConfig config = new LstmConfig(2, 4, 2, 1.0, residual, context);
        double[][] series = withContext(TestSeries.multiChannel(40, 2, 3), context);
        Normalisation normalisation = Normalisation.fit(series, 2);
        LstmModel model = LstmModel.initialise(config, normalisation, 5);
        LstmTrainer trainer = new LstmTrainer(config, new TrainingConfig(1, OFFSETS.length, STEPS, 0.01, 1.0, 0.2, 1));
        double loss = trainer.lossAndGradient(model, series, OFFSETS, null);
        double[][] normalised = new double[series.length][2 + context];
        for (int t = 0; t < series.length; t++) {
            normalisation.normaliseInput(series[t], normalised[t]);
            for (int k = 2; k < 2 + context; k++) {
                assertEquals(series[t][k], normalised[t][k], "context inputs pass as they are");
            }
        }
        assertEquals(ReferenceLstm.minibatchLoss(model, normalised, OFFSETS, STEPS), loss,
                TestSeries.REFERENCE_TOLERANCE);
    }

    /** Readings followed by {@code k} context inputs in [-1, 1], phases of a cycle as calendar inputs are. */
    private static double[][] withContext(double[][] readings, int k) {
        double[][] rows = new double[readings.length][];
        for (int t = 0; t < readings.length; t++) {
            rows[t] = java.util.Arrays.copyOf(readings[t], readings[t].length + k);
            for (int j = 0; j < k; j++) {
                rows[t][readings[t].length + j] = j % 2 == 0 ? Math.sin(t / 7.0 + j) : Math.cos(t / 7.0 + j);
            }
        }
        return rows;
    }

    /** The series normalised as the trainer loads it: in double, then rounded to float. */
    private static double[][] floatInputs(double[][] series, Normalisation normalisation, int columns) {
        double[][] out = new double[series.length][columns];
        for (int t = 0; t < series.length; t++) {
            normalisation.normaliseInput(series[t], out[t]);
            for (int k = 0; k < columns; k++) {
                out[t][k] = (float) out[t][k];
            }
        }
        return out;
    }

    private static double centralDifference(LstmConfig config, double[][] inputs, double[] p, int j) {
        double saved = p[j];
        p[j] = saved + EPSILON;
        double plus = ReferenceLstm.minibatchLoss(config, p, inputs, OFFSETS, STEPS);
        p[j] = saved - EPSILON;
        double minus = ReferenceLstm.minibatchLoss(config, p, inputs, OFFSETS, STEPS);
        p[j] = saved;
        return (plus - minus) / (2 * EPSILON);
    }
}
