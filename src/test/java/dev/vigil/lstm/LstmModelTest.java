package dev.vigil.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.BadConfigException;
import dev.vigil.ShapeMismatchException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LstmModelTest {

    private static final LstmConfig CONFIG = new LstmConfig(3, 4, 2, 1.5, true);

    @Test
    void shouldCountParametersOfEveryLayerAndTheHead() {
        // layer 0: 4H(d + H + 1) = 16·8, layer 1: 16·9, head: d·H + d = 15
        assertEquals(128 + 144 + 15, LstmModel.initialise(CONFIG, Normalisation.identity(3), 1).parameterCount());
    }

    @Test
    void shouldInitialiseDeterministicallyFromTheSeed() {
        LstmModel a = LstmModel.initialise(CONFIG, Normalisation.identity(3), 7);
        LstmModel b = LstmModel.initialise(CONFIG, Normalisation.identity(3), 7);
        LstmModel c = LstmModel.initialise(CONFIG, Normalisation.identity(3), 8);
        assertArrayEquals(a.parameters(), b.parameters());
        assertFalse(Arrays.equals(a.parameters(), c.parameters()));
        assertEquals(TrainingInfo.untrained(7), a.info());
    }

    @Test
    void shouldSetForgetBiasAndZeroOtherBiasesAndBoundWeights() {
        LstmModel model = LstmModel.initialise(CONFIG, Normalisation.identity(3), 3);
        ParameterLayout layout = model.layout();
        float[] p = model.parameters();
        for (int l = 0; l < 2; l++) {
            for (int r = 0; r < 16; r++) {
                assertEquals(r >= 4 && r < 8 ? 1.5 : 0.0, p[layout.biasOffset(l) + r], "layer " + l + " bias " + r);
            }
            double limit = Math.sqrt(6.0 / (layout.columns(l) + 4));
            for (int j = layout.weightOffset(l); j < layout.biasOffset(l); j++) {
                assertTrue(Math.abs(p[j]) <= (float) limit);
            }
        }
    }

    @Test
    void shouldShareParametersWhenOnlyInfoChanges() {
        LstmModel model = LstmModel.initialise(CONFIG, Normalisation.identity(3), 3);
        TrainingInfo info = new TrainingInfo("m", 2, 3, 1, 0.1, 0.2, 100);
        LstmModel renamed = model.withInfo(info);
        assertSame(model.rows(), renamed.rows());
        assertEquals(info, renamed.info());
    }

    @Test
    void shouldCopyParametersInAndRejectBadOnes() {
        LstmModel model = LstmModel.initialise(CONFIG, Normalisation.identity(3), 3);
        float[] p = model.parameters().clone();
        LstmModel copy = new LstmModel(CONFIG, Normalisation.identity(3), model.info(), p);
        p[0] = 42;
        assertEquals(model.parameters()[0], copy.parameters()[0]);
        p[3] = Float.NaN;
        assertEquals("parameter 3 (layer 0 W (gate i)) must be finite, got NaN", assertThrows(BadConfigException.class,
                () -> new LstmModel(CONFIG, Normalisation.identity(3), model.info(), p)).getMessage());
        assertThrows(ShapeMismatchException.class,
                () -> new LstmModel(CONFIG, Normalisation.identity(3), model.info(), new float[5]));
        assertThrows(ShapeMismatchException.class, () -> LstmModel.initialise(CONFIG, Normalisation.identity(2), 1));
    }
}
