package dev.vigil.lstm;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfPrecisionTest {
    @Test
    void shouldMapEveryFiniteHalfToItsFloatAndBack() {
        for (int h = 0; h < 0x10000; h++) {
            short bits = (short) h;
            if (((h >>> 10) & 0x1f) == 0x1f) {
                continue; // infinities and NaNs: never a parameter
            }
            float f = HalfPrecision.widenBits(bits);
            assertTrue(HalfPrecision.exact(f), "exact " + Integer.toHexString(h) + " = " + f);
            assertEquals(h, HalfPrecision.bits(f) & 0xffff, "bits of " + f);
            assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(HalfPrecision.widen(bits)),
                    "the JDK's widening of " + Integer.toHexString(h) + " (where it has one) agrees");
        }
        assertEquals(65504f, HalfPrecision.widenBits((short) 0x7bff));
        assertEquals(0x1p-24f, HalfPrecision.widenBits((short) 0x0001));
        assertEquals(-2f, HalfPrecision.widenBits((short) 0xc000));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(HalfPrecision.widenBits((short) 0x8000)));
    }

    @Test
    void shouldRoundToTheNearestHalfTiesToEven() {
        assertEquals(0.333251953125f, HalfPrecision.round(1f / 3));
        assertEquals(2048f, HalfPrecision.round(2049f), "a tie goes to the even mantissa");
        assertEquals(2052f, HalfPrecision.round(2051f));
        assertEquals(0f, HalfPrecision.round(0x1p-25f), "half the smallest subnormal rounds to 0 (even)");
        assertEquals(0x1p-23f, HalfPrecision.round(3 * 0x1p-25f), "1.5 quanta round to 2");
        assertEquals(65504f, HalfPrecision.round(65519f));
        assertEquals(-65504f, HalfPrecision.round(-1e9f), "beyond the largest half: the largest");
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(HalfPrecision.round(-1e-9f)));
        assertFalse(HalfPrecision.exact(0.1f));
        assertFalse(HalfPrecision.exact(Float.NaN));
        // the nearest: no half lies strictly closer than the rounded value (its neighbours checked)
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            float f = (float) ((random.nextDouble() - 0.5) * Math.pow(2, random.nextInt(-30, 17)));
            float r = HalfPrecision.round(f);
            assertTrue(HalfPrecision.exact(r), f + " -> " + r);
            short b = HalfPrecision.bits(r);
            for (int step : new int[] {-1, 1}) {
                int neighbour = (b & 0xffff) + step;
                if (neighbour < 0 || neighbour > 0xffff || ((neighbour >>> 10) & 0x1f) == 0x1f
                        || (neighbour & 0x7fff) == 0x7fff || ((neighbour ^ b) & 0x8000) != 0) {
                    continue;
                }
                float other = HalfPrecision.widenBits((short) neighbour);
                assertTrue(Math.abs((double) other - f) >= Math.abs((double) r - f), f + " -> " + r + ", " + other + " is nearer");
            }
        }
    }

    @Test
    void shouldStepAModelWithHalfRowsToTheBitsOfItsFloatRows() {
        // every shape of the gate products' tail (0 to 3 columns beyond the groups of four), two layers, a head of 2
        LstmConfig[] shapes = {
                new LstmConfig(1, 32, 1, 1.0, false, 2), // 35 columns: a tail of 3
                new LstmConfig(1, 32, 1, 1.0, true, 0), // 33: 1
                new LstmConfig(2, 32, 1, 1.0, false, 0), // 34: 2
                new LstmConfig(2, 16, 2, 1.0, true, 2), // 20 and 32: none
        };
        for (LstmConfig config : shapes) {
            float[] parameters = LstmModel.initialise(config, Normalisation.identity(config.inputSize()), 11).parameters();
            HalfPrecision.roundAll(parameters);
            LstmModel floats = new LstmModel(config, Normalisation.identity(config.inputSize()), TrainingInfo.untrained(11),
                    parameters);
            floats = floats.halves() == null ? floats : floatRows(floats);
            LstmModel halves = floats.withHalfRowsIfExact();
            assertNull(floats.halves());
            assertNotNull(halves.halves(), "every parameter is a half: 16-bit rows");
            assertArrayEquals(floats.parameters(), halves.parameters());
            assertEquals(4L * floats.parameterCount(), floats.parameterBytes());
            assertEquals(2L * halves.parameterCount(), halves.parameterBytes(), "16-bit rows are counted at 2 bytes");
            LstmStepper stepper = new LstmStepper(config);
            LstmState a = new LstmState(config);
            LstmState b = new LstmState(config);
            SplittableRandom random = new SplittableRandom(3);
            int width = config.inputSize() + config.contextSize();
            for (int t = 0; t < 300; t++) {
                double[] x = new double[width];
                for (int k = 0; k < width; k++) {
                    x[k] = random.nextGaussian() * 2;
                }
                double[] p = new double[config.inputSize()];
                double[] q = new double[config.inputSize()];
                stepper.step(floats, a, x, p);
                stepper.step(halves, b, x, q);
                assertArrayEquals(p, q, 0.0, config.shapeText() + " step " + t);
                for (int l = 0; l < config.layers(); l++) {
                    assertArrayEquals(a.h(l), b.h(l), 0f);
                    assertArrayEquals(a.c(l), b.c(l), 0f);
                }
            }
        }
    }

    @Test
    void shouldKeepFloatRowsForParametersThatAreNotHalves() {
        LstmConfig config = LstmConfig.defaults();
        LstmModel model = LstmModel.initialise(config, Normalisation.identity(1), 2); // Glorot draws: not halves
        assertNull(model.halves());
        assertNull(model.withHalfRowsIfExact().halves());
    }

    /** The same model holding float rows (on a JDK where the constructor chose 16-bit ones). */
    private static LstmModel floatRows(LstmModel model) {
        return LstmModel.wrapping(model.config(), model.normalisation(), model.rows()).withInfo(model.info());
    }
}
