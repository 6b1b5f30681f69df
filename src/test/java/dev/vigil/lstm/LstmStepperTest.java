package dev.vigil.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.ShapeMismatchException;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LstmStepperTest {

    /** Steps compared with the reference. */
    private static final int REFERENCE_STEPS = 300;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldAgreeWithReferenceLstmForTwoLayersAndThreeChannels(boolean residual) {
        LstmConfig config = new LstmConfig(3, 8, 2, 1.0, residual);
        LstmModel model = LstmModel.initialise(config, Normalisation.identity(3), 7);
        ReferenceLstm reference = new ReferenceLstm(model);
        LstmStepper stepper = new LstmStepper(config);
        LstmState state = new LstmState(config);
        double[][] inputs = normalised(TestSeries.multiChannel(REFERENCE_STEPS, 3, 5));
        double[] prediction = new double[3];
        for (int t = 0; t < REFERENCE_STEPS; t++) {
            stepper.step(model, state, inputs[t], prediction);
            double[] expected = reference.step(inputs[t]);
            for (int k = 0; k < 3; k++) {
                assertEquals(expected[k], prediction[k], TestSeries.REFERENCE_TOLERANCE, "t=" + t + " k=" + k);
            }
            for (int l = 0; l < 2; l++) {
                assertArrayEquals(reference.h[l], ReferenceLstm.widen(state.h(l)), TestSeries.REFERENCE_TOLERANCE,
                        "h t=" + t);
                assertArrayEquals(reference.c[l], ReferenceLstm.widen(state.c(l)), TestSeries.REFERENCE_TOLERANCE,
                        "c t=" + t);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldAgreeWithReferenceLstmWhenTheModelReadsContextInputs(boolean residual) {
        LstmConfig config = new LstmConfig(2, 8, 2, 1.0, residual, 3);
        LstmModel model = LstmModel.initialise(config, Normalisation.identity(2), 13);
        ReferenceLstm reference = new ReferenceLstm(model);
        LstmStepper stepper = new LstmStepper(config.withContextSize(4));
        LstmState state = new LstmState(config);
        double[][] inputs = normalised(TestSeries.multiChannel(REFERENCE_STEPS, 5, 9));
        double[] prediction = new double[2];
        for (int t = 0; t < REFERENCE_STEPS; t++) {
            stepper.step(model, state, inputs[t], prediction);
            assertArrayEquals(reference.step(inputs[t]), prediction, TestSeries.REFERENCE_TOLERANCE, "t=" + t);
            assertArrayEquals(reference.h[1], ReferenceLstm.widen(state.h(1)), TestSeries.REFERENCE_TOLERANCE,
                    "h t=" + t);
        }
    }

    @Test
    void shouldRefuseAModelWithMoreContextInputsThanTheStepperAllows() {
        LstmConfig config = new LstmConfig(1, 4, 1, 1.0, true, 2);
        LstmModel model = LstmModel.initialise(config, Normalisation.identity(1), 1);
        LstmStepper stepper = new LstmStepper(config.withContextSize(0));
        assertThrows(ShapeMismatchException.class,
                () -> stepper.step(model, new LstmState(config), new double[3], new double[1]));
        assertThrows(ShapeMismatchException.class, () -> new LstmStepper(config).step(model, new LstmState(config),
                new double[1], new double[1]), "the input must hold the reading and the model's context inputs");
    }

    @Test
    void shouldGiveIdenticalBitsAcrossFreshSteppers() {
        LstmConfig config = new LstmConfig(2, 16, 2, 1.0, true);
        LstmModel model = LstmModel.initialise(config, Normalisation.identity(2), 11);
        double[][] inputs = normalised(TestSeries.multiChannel(500, 2, 3));
        double[][] first = run(config, model, inputs);
        double[][] second = run(config, model, inputs);
        for (int t = 0; t < inputs.length; t++) {
            for (int k = 0; k < 2; k++) {
                assertEquals(Double.doubleToRawLongBits(first[t][k]), Double.doubleToRawLongBits(second[t][k]));
            }
        }
    }

    @Test
    void shouldPredictTheInputWhenResidualHeadIsZero() {
        LstmConfig config = new LstmConfig(2, 4, 1, 1.0, true);
        LstmModel random = LstmModel.initialise(config, Normalisation.identity(2), 1);
        float[] p = random.parameters().clone();
        ParameterLayout layout = random.layout();
        java.util.Arrays.fill(p, layout.headWeightOffset(), p.length, 0f);
        LstmModel model = new LstmModel(config, Normalisation.identity(2), random.info(), p);
        double[] x = {0.25, -1.5};
        double[] prediction = new double[2];
        new LstmStepper(config).step(model, new LstmState(config), x, prediction);
        assertArrayEquals(x, prediction);
    }

    @Test
    void shouldNotModifyInput() {
        LstmConfig config = new LstmConfig(3, 5, 2, 1.0, true);
        LstmModel model = LstmModel.initialise(config, Normalisation.identity(3), 3);
        double[] x = {0.1, 0.2, 0.3};
        new LstmStepper(config).step(model, new LstmState(config), x, new double[3]);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3}, x);
    }

    @Test
    void shouldRejectModelStateOrArraysOfAnotherShape() {
        LstmConfig config = new LstmConfig(2, 8, 1, 1.0, true);
        LstmConfig other = new LstmConfig(2, 9, 1, 1.0, true);
        LstmStepper stepper = new LstmStepper(config);
        LstmModel model = LstmModel.initialise(config, Normalisation.identity(2), 1);
        LstmModel otherModel = LstmModel.initialise(other, Normalisation.identity(2), 1);
        LstmState state = new LstmState(config);
        double[] x = new double[2];
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> stepper.step(otherModel, state, x, new double[2]));
        assertTrue(e.getMessage().contains("H=9"), e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> stepper.step(model, new LstmState(other), x, new double[2]));
        assertThrows(ShapeMismatchException.class, () -> stepper.step(model, state, new double[3], new double[2]));
        assertThrows(ShapeMismatchException.class, () -> stepper.step(model, state, x, new double[1]));
    }

    @Test
    void shouldAllocateNothingPerStep() {
        LstmConfig config = LstmConfig.defaults();
        LstmModel model = LstmModel.initialise(config, Normalisation.identity(1), 1);
        LstmStepper stepper = new LstmStepper(config);
        LstmState state = new LstmState(config);
        double[] x = new double[config.inputSize() + config.contextSize()];
        double[] prediction = new double[1];
        for (int t = 0; t < 20_000; t++) {
            x[0] = Math.sin(t * 0.1);
            stepper.step(model, state, x, prediction);
        }
        // on a loaded machine the JIT may compile the step late, and until then the interpreter allocates what the
        // compiled code does not: measure rounds of 10,000 steps until one allocates nothing (at most 100 rounds);
        // a step that allocates in compiled code never gets there
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 100 && allocated >= 1024; round++) {
            long before = allocatedBytes();
            for (int t = 0; t < 10_000; t++) {
                x[0] = Math.sin(t * 0.1);
                stepper.step(model, state, x, prediction);
            }
            allocated = allocatedBytes() - before;
        }
        assertTrue(allocated < 1024, "10000 steps allocated " + allocated + " bytes");
    }

    /** Bytes allocated so far by this thread (HotSpot's com.sun.management extension). */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static double[][] run(LstmConfig config, LstmModel model, double[][] inputs) {
        LstmStepper stepper = new LstmStepper(config);
        LstmState state = new LstmState(config);
        double[][] out = new double[inputs.length][config.inputSize()];
        for (int t = 0; t < inputs.length; t++) {
            stepper.step(model, state, inputs[t], out[t]);
        }
        return out;
    }

    private static double[][] normalised(double[][] raw) {
        Normalisation normalisation = Normalisation.fit(raw);
        double[][] out = new double[raw.length][raw[0].length];
        for (int t = 0; t < raw.length; t++) {
            normalisation.normalise(raw[t], out[t]);
        }
        return out;
    }

    @Test
    void shouldStayFiniteOnExtremeInputs() {
        LstmConfig config = new LstmConfig(1, 8, 2, 1.0, false);
        LstmModel model = LstmModel.initialise(config, Normalisation.identity(1), 5);
        LstmStepper stepper = new LstmStepper(config);
        LstmState state = new LstmState(config);
        double[] prediction = new double[1];
        SplittableRandom random = new SplittableRandom(9);
        for (int t = 0; t < 100; t++) {
            stepper.step(model, state, new double[] {(random.nextBoolean() ? 1 : -1) * 1e300}, prediction);
            assertTrue(state.isFinite() && Double.isFinite(prediction[0]));
        }
    }
}
