package dev.vigil.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.ShapeMismatchException;
import org.junit.jupiter.api.Test;

class LstmStateTest {

    private static final LstmConfig CONFIG = new LstmConfig(1, 3, 2, 1.0, true);

    @Test
    void shouldStartAtZeroAndResetToZero() {
        LstmState state = new LstmState(CONFIG);
        assertEquals(2, state.layers());
        assertEquals(3, state.hiddenSize());
        state.h(1)[2] = 5;
        state.c(0)[0] = -1;
        state.reset();
        assertArrayEquals(new float[3], state.h(1));
        assertArrayEquals(new float[3], state.c(0));
    }

    @Test
    void shouldCopyValuesNotArrays() {
        LstmState source = new LstmState(CONFIG);
        source.h(0)[1] = 0.5f;
        source.c(1)[2] = -0.25f;
        LstmState target = new LstmState(CONFIG);
        target.copyFrom(source);
        source.h(0)[1] = 9;
        assertEquals(0.5, target.h(0)[1]);
        assertEquals(-0.25, target.c(1)[2]);
    }

    @Test
    void shouldRejectCopyFromAnotherShape() {
        LstmState other = new LstmState(new LstmConfig(1, 4, 2, 1.0, true));
        assertThrows(ShapeMismatchException.class, () -> new LstmState(CONFIG).copyFrom(other));
    }

    @Test
    void shouldReportNonFiniteValues() {
        LstmState state = new LstmState(CONFIG);
        assertTrue(state.isFinite());
        state.c(1)[1] = Float.POSITIVE_INFINITY;
        assertFalse(state.isFinite());
        state.reset();
        state.h(0)[0] = Float.NaN;
        assertFalse(state.isFinite());
    }
}
