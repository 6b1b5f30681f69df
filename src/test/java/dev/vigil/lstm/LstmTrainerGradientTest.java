package dev.vigil.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BPTT gradients against central finite differences of the minibatch loss, parameter by parameter. */
class LstmTrainerGradientTest {

    /** Central-difference step. */
    private static final double EPSILON = 1e-6;
    /** Agreement: {@code |analytic - numeric| <= ABSOLUTE + RELATIVE·|numeric|}. */
    private static final double ABSOLUTE_TOLERANCE = 1e-9;
    private static final double RELATIVE_TOLERANCE = 1e-6;
    private static final int STEPS = 6;
    private static final int[] OFFSETS = {0, 9, 23};

    @ParameterizedTest(name = "residual={0} context={1}")
    @CsvSource({"true, 0", "false, 0", "true, 2", "false, 2"})
    void shouldMatchFiniteDifferencesForEveryParameterGroup(boolean residual, int context) {
        LstmConfig config = new LstmConfig(2, 3, 2, 1.0, residual, context);
        double[][] series = withContext(TestSeries.multiChannel(40, 2, 17), context);
        LstmModel model = LstmModel.initialise(config, Normalisation.fit(series, 2), 29);
        LstmTrainer trainer = new LstmTrainer(config, new TrainingConfig(1, OFFSETS.length, STEPS, 0.01, 1.0, 0.2, 1));
        double[] analytic = new double[model.parameterCount()];
        trainer.lossAndGradient(model, series, OFFSETS, analytic);

        ParameterLayout layout = model.layout();
        Map<String, double[]> worstPerGroup = new LinkedHashMap<>();
        double[] p = model.parameters().clone();
        for (int j = 0; j < p.length; j++) {
            double numeric = centralDifference(trainer, model, series, p, j);
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

    private static double centralDifference(LstmTrainer trainer, LstmModel model, double[][] series, double[] p,
                                            int j) {
        double saved = p[j];
        p[j] = saved + EPSILON;
        double plus = trainer.lossAndGradient(perturbed(model, p), series, OFFSETS, null);
        p[j] = saved - EPSILON;
        double minus = trainer.lossAndGradient(perturbed(model, p), series, OFFSETS, null);
        p[j] = saved;
        return (plus - minus) / (2 * EPSILON);
    }

    private static LstmModel perturbed(LstmModel model, double[] p) {
        return new LstmModel(model.config(), model.normalisation(), model.info(), p);
    }
}
