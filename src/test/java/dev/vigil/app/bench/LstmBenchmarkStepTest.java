package dev.vigil.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.lstm.LstmConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LstmBenchmarkStepTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 8})
    void stepStateBuildsAModelReadingItsCalendarInputs(int context) {
        LstmBenchmark.StepState s = new LstmBenchmark.StepState();
        s.hiddenSize = 32;
        s.context = context;
        s.setUp();
        assertEquals(context, s.model.config().contextSize());
        assertEquals(Math.max(1, context / 2), s.model.config().dayHarmonics());
        assertEquals(1 + context, s.inputs[0].length);
        double first = new LstmBenchmark().step(s);
        double second = new LstmBenchmark().step(s);
        assertTrue(Double.isFinite(first) && Double.isFinite(second));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 8})
    void phaseColumnsAreTheHarmonicsOfOneTurnEvery288Rows(int context) {
        LstmConfig shape = new LstmConfig(1, 32, 1, 1.0, true, context, context / 2);
        double[][] rows = LstmBenchmark.withPhase(LstmBenchmark.sine(300, 7), shape);
        for (int j = 1; 2 * j <= context; j++) {
            double phase = 2 * Math.PI * 72 / 288.0;
            assertEquals(Math.sin(j * phase), rows[72][2 * j - 1], 1e-12);
            assertEquals(Math.cos(j * phase), rows[72][2 * j], 1e-12);
            assertEquals(rows[0][2 * j], rows[288][2 * j], 1e-12);
        }
    }
}
