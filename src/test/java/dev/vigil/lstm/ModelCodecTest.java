package dev.vigil.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.BadBytesException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class ModelCodecTest {

    /** Predictions of the golden fixture, recorded when it was written. */
    private static final double[] FIXTURE_PREDICTION = {-0.49307349219206437, -0.015006765023697998};
    private static final double FIXTURE_FIRST_PARAMETER = 0.37423070100475414;
    private static final double[][] FIXTURE_INPUTS = {{0.1, -0.2}, {0.3, 0.4}, {-0.5, 0.0}};
    /** Prediction of the format-3 golden fixture, recorded when it was written. */
    private static final double FIXTURE_V3_PREDICTION = 1.027274489402771;
    /** Prediction of the format-4 golden fixture (the format-3 one rounded to binary16), recorded when it was written. */
    private static final double FIXTURE_V4_PREDICTION = 1.0273900553584099;

    @Test
    void shouldRoundTripBitIdenticalParametersAndPredictions() {
        LstmConfig config = new LstmConfig(3, 6, 2, 0.5, false);
        LstmModel model = LstmModel.initialise(config, new Normalisation(new double[] {1, 2, 3}, new double[] {4, 5, 6}), 9)
                .withInfo(new TrainingInfo("sensor-α/7", 12, 9, 4, 0.5, 0.75, 2500));
        LstmModel decoded = ModelCodec.decode(ModelCodec.encode(model));
        assertEquals(config, decoded.config());
        assertEquals(model.normalisation(), decoded.normalisation());
        assertEquals(model.info(), decoded.info());
        assertArrayEquals(bits(model.parameters()), bits(decoded.parameters()));
        double[][] inputs = TestSeries.multiChannel(50, 3, 1);
        assertArrayEquals(bits(predictAfter(model, inputs)), bits(predictAfter(decoded, inputs)));
        assertArrayEquals(ModelCodec.encode(model), ModelCodec.encode(decoded));
    }

    @Test
    void shouldRoundTripUntrainedInfoWithNaNLosses() {
        LstmModel model = LstmModel.initialise(LstmConfig.defaults(), Normalisation.identity(1), 1);
        assertEquals(model.info(), ModelCodec.decode(ModelCodec.encode(model)).info());
    }

    @Test
    void shouldRejectWrongMagic() {
        byte[] bytes = ModelCodec.encode(smallModel());
        bytes[0] = 'X';
        assertMessage(bytes, "not a Vigil model: magic is 0x58474C4D, expected 0x56474C4D (\"VGLM\")");
    }

    @Test
    void shouldRejectUnknownFormatVersion() {
        byte[] bytes = ModelCodec.encode(smallModel());
        ByteBuffer.wrap(bytes).putInt(4, 7);
        assertMessage(bytes, "model format version 7 is not supported (expected 1, 2, 3 or 4)");
    }

    @Test
    void shouldRejectTruncatedBytesAtEveryLength() {
        byte[] bytes = ModelCodec.encode(smallModel());
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            BadBytesException e = assertThrows(BadBytesException.class, () -> ModelCodec.decode(cut));
            assertTrue(e.getMessage().startsWith("model bytes truncated"), length + ": " + e.getMessage());
        }
    }

    @Test
    void shouldRejectTrailingBytes() {
        byte[] bytes = Arrays.copyOf(ModelCodec.encode(smallModel()), ModelCodec.encode(smallModel()).length + 3);
        BadBytesException e = assertThrows(BadBytesException.class, () -> ModelCodec.decode(bytes));
        assertTrue(e.getMessage().contains("3 trailing bytes"), e.getMessage());
    }

    @Test
    void shouldRejectBadChecksumWhenAParameterByteFlips() {
        byte[] bytes = ModelCodec.encode(smallModel());
        bytes[bytes.length - 20] ^= 0x10;
        BadBytesException e = assertThrows(BadBytesException.class, () -> ModelCodec.decode(bytes));
        assertTrue(e.getMessage().startsWith("model checksum mismatch: stored CRC32 0x"), e.getMessage());
    }

    @Test
    void shouldRejectInconsistentShape() {
        byte[] bytes = ModelCodec.encode(smallModel());
        ByteBuffer.wrap(bytes).putInt(12, 0);
        assertMessage(bytes, "inconsistent model shape: hiddenSize must be > 0, got 0");
    }

    @Test
    void shouldRejectNonFiniteParametersEvenWithValidChecksum() {
        LstmModel model = smallModel();
        byte[] bytes = ModelCodec.encode(model);
        int firstParameter = bytes.length - 4 - 4 * model.parameterCount();
        ByteBuffer.wrap(bytes).putFloat(firstParameter + 4 * 5, Float.NaN);
        rewriteChecksum(bytes);
        assertMessage(bytes, "parameter 5 (layer 0 W (gate f)) is NaN; parameters must be finite float32 values");
    }

    @Test
    void shouldRejectNonPositiveScaleEvenWithValidChecksum() {
        byte[] bytes = ModelCodec.encode(smallModel());
        ByteBuffer.wrap(bytes).putDouble(33 + 2 * 8, -1.0); // scale[0], after config and center[2]
        rewriteChecksum(bytes);
        assertMessage(bytes, "inconsistent model contents: scale[0] must be finite and > 0, got -1.0");
    }

    @Test
    void shouldDecodeGoldenFixtureV1() throws IOException {
        byte[] bytes = fixture();
        LstmModel model = ModelCodec.decode(bytes);
        assertEquals(new LstmConfig(2, 4, 2, 1.0, true), model.config());
        assertEquals(new Normalisation(new double[] {1.5, -2.0}, new double[] {2.0, 0.5}), model.normalisation());
        assertEquals(new TrainingInfo("fixture-model", 3, 42, 5, 0.125, 0.25, 1000), model.info());
        assertEquals(266, model.parameterCount());
        assertEquals((float) FIXTURE_FIRST_PARAMETER, model.parameters()[0], "rounded to float");
        LstmStepper stepper = new LstmStepper(model.config());
        LstmState state = new LstmState(model.config());
        double[] prediction = new double[2];
        for (double[] x : FIXTURE_INPUTS) {
            stepper.step(model, state, x, prediction);
        }
        assertArrayEquals(FIXTURE_PREDICTION, prediction, TestSeries.REFERENCE_TOLERANCE, "float32 step");
        assertReencodedAsFormat3(model);
    }

    @Test
    void shouldDecodeGoldenFixtureV2OfAModelWithCalendarInputs() throws IOException {
        byte[] bytes = fixture("/fixtures/model-v2.bin");
        assertEquals(ModelCodec.CONTEXT_FORMAT_VERSION, ByteBuffer.wrap(bytes).getInt(4));
        LstmModel model = ModelCodec.decode(bytes);
        assertEquals(new LstmConfig(1, 4, 1, 1.0, true, 2), model.config());
        assertEquals(new TrainingInfo("calendar-fixture", 2, 42, 7, 0.0625, 0.125, 2016), model.info());
        assertEquals(133, model.parameterCount(), "4H x (d + k + H) + 4H + d x H + d = 16 x 7 + 16 + 4 + 1");
        assertEquals((float) -0.17109605166793312, model.parameters()[0]);
        LstmStepper stepper = new LstmStepper(model.config());
        LstmState state = new LstmState(model.config());
        double[] prediction = new double[1];
        for (double[] x : new double[][] {{0.5, 0.0, 1.0}, {-0.25, 1.0, 0.0}, {1.0, 0.0, -1.0}}) {
            stepper.step(model, state, x, prediction);
        }
        assertEquals(1.0272744857679357, prediction[0], TestSeries.REFERENCE_TOLERANCE, "float32 step");
        assertReencodedAsFormat3(model);
    }

    @Test
    void shouldDecodeGoldenFixtureV3OfAFloatModel() throws IOException {
        byte[] bytes = fixture("/fixtures/model-v3.bin");
        assertEquals(ModelCodec.FLOAT_FORMAT_VERSION, ByteBuffer.wrap(bytes).getInt(4));
        LstmModel model = ModelCodec.decode(bytes);
        assertEquals(new LstmConfig(1, 4, 1, 1.0, true, 2), model.config());
        assertEquals(new TrainingInfo("calendar-fixture", 2, 42, 7, 0.0625, 0.125, 2016), model.info());
        assertEquals(133, model.parameterCount());
        assertEquals((float) -0.17109605166793312, model.parameters()[0]);
        LstmStepper stepper = new LstmStepper(model.config());
        LstmState state = new LstmState(model.config());
        double[] prediction = new double[1];
        for (double[] x : new double[][] {{0.5, 0.0, 1.0}, {-0.25, 1.0, 0.0}, {1.0, 0.0, -1.0}}) {
            stepper.step(model, state, x, prediction);
        }
        assertEquals(FIXTURE_V3_PREDICTION, prediction[0], "the float32 step's bits, recorded with the fixture");
        assertArrayEquals(bytes, ModelCodec.encode(model), "re-encoding the fixture must give the same bytes");
    }

    @Test
    void shouldDecodeGoldenFixtureV4OfAHalfPrecisionModel() throws IOException {
        byte[] bytes = fixture("/fixtures/model-v4.bin");
        assertEquals(ModelCodec.HALF_FORMAT_VERSION, ByteBuffer.wrap(bytes).getInt(4));
        LstmModel model = ModelCodec.decode(bytes);
        assertEquals(new LstmConfig(1, 4, 1, 1.0, true, 2), model.config());
        assertEquals(new TrainingInfo("calendar-fixture", 2, 42, 7, 0.0625, 0.125, 2016), model.info());
        assertEquals(133, model.parameterCount());
        assertEquals(-1402 * 0x1p-13f, model.parameters()[0], "the format-3 fixture's -0.171096... to the nearest binary16");
        LstmStepper stepper = new LstmStepper(model.config());
        LstmState state = new LstmState(model.config());
        double[] prediction = new double[1];
        for (double[] x : new double[][] {{0.5, 0.0, 1.0}, {-0.25, 1.0, 0.0}, {1.0, 0.0, -1.0}}) {
            stepper.step(model, state, x, prediction);
        }
        assertEquals(FIXTURE_V4_PREDICTION, prediction[0], "the step's bits, recorded with the fixture");
        assertArrayEquals(bytes, ModelCodec.encode(model), "re-encoding the fixture must give the same bytes");
        LstmModel fromV3 = ModelCodec.decode(fixture("/fixtures/model-v3.bin")).roundedToHalfPrecision();
        assertArrayEquals(bytes, ModelCodec.encode(fromV3), "the format-3 fixture rounded, written as format 4");
    }

    @Test
    void shouldWriteATrainedModelInTwoBytesAParameterAndReadTheSameBits() {
        LstmModel model = LstmModel.initialise(new LstmConfig(1, 32, 1, 1.0, true), Normalisation.identity(1), 5)
                .roundedToHalfPrecision().withInfo(new TrainingInfo("k", 3, 5, 9, 0.25, 0.5, 2000));
        byte[] bytes = ModelCodec.encode(model);
        assertEquals(ModelCodec.HALF_FORMAT_VERSION, ByteBuffer.wrap(bytes).getInt(4));
        byte[] asFloat = ModelCodec.encode(LstmModel.initialise(model.config(), Normalisation.identity(1), 5)
                .withInfo(model.info()));
        assertEquals(ModelCodec.FLOAT_FORMAT_VERSION, ByteBuffer.wrap(asFloat).getInt(4));
        assertEquals(2 * model.parameterCount(), asFloat.length - bytes.length, "2 bytes a parameter instead of 4");
        LstmModel decoded = ModelCodec.decode(bytes);
        assertEquals(model.info(), decoded.info());
        assertArrayEquals(bits(model.parameters()), bits(decoded.parameters()));
        double[][] inputs = TestSeries.multiChannel(50, 1, 1);
        assertArrayEquals(bits(predictAfter(model, inputs)), bits(predictAfter(decoded, inputs)));
    }

    @Test
    void shouldRejectInfiniteAndNaNHalvesEvenWithValidChecksum() {
        LstmModel model = smallModel().roundedToHalfPrecision();
        byte[] bytes = ModelCodec.encode(model);
        int firstParameter = bytes.length - 4 - 2 * model.parameterCount();
        ByteBuffer.wrap(bytes).putShort(firstParameter + 2 * 5, (short) 0x7c00);
        rewriteChecksum(bytes);
        assertMessage(bytes, "parameter 5 (layer 0 W (gate f)) is infinite; parameters must be finite binary16 values");
        ByteBuffer.wrap(bytes).putShort(firstParameter + 2 * 5, (short) 0xfe01);
        rewriteChecksum(bytes);
        assertMessage(bytes, "parameter 5 (layer 0 W (gate f)) is NaN; parameters must be finite binary16 values");
    }

    /** A model read from an older format is written as format 3, which reads back to the same parameter bits. */
    private static void assertReencodedAsFormat3(LstmModel model) {
        byte[] again = ModelCodec.encode(model);
        assertEquals(ModelCodec.FLOAT_FORMAT_VERSION, ByteBuffer.wrap(again).getInt(4));
        LstmModel decoded = ModelCodec.decode(again);
        assertEquals(model.config(), decoded.config());
        assertEquals(model.info(), decoded.info());
        assertArrayEquals(bits(model.parameters()), bits(decoded.parameters()));
    }

    @Test
    void shouldWriteFormat3WithAndWithoutContextInputs() {
        LstmModel plain = smallModel();
        LstmModel calendar = LstmModel.initialise(new LstmConfig(2, 3, 1, 1.0, true, 4), Normalisation.identity(2), 3);
        assertEquals(ModelCodec.FLOAT_FORMAT_VERSION, ByteBuffer.wrap(ModelCodec.encode(plain)).getInt(4));
        assertEquals(plain.config(), ModelCodec.decode(ModelCodec.encode(plain)).config());
        byte[] bytes = ModelCodec.encode(calendar);
        assertEquals(ModelCodec.FLOAT_FORMAT_VERSION, ByteBuffer.wrap(bytes).getInt(4));
        LstmModel decoded = ModelCodec.decode(bytes);
        assertEquals(calendar.config(), decoded.config());
        assertArrayEquals(calendar.parameters(), decoded.parameters());
    }

    @Test
    void shouldKeepTheDaysHarmonicsInTheContextIntAndRefuseTooMany() {
        LstmModel harmonics = LstmModel.initialise(new LstmConfig(1, 3, 1, 1.0, true, 8, 4), Normalisation.identity(1),
                3).roundedToHalfPrecision();
        byte[] bytes = ModelCodec.encode(harmonics);
        int contextInt = 29;
        assertEquals(8 | 3 << 8, ByteBuffer.wrap(bytes).getInt(contextInt), "k in the low byte, h - 1 above it");
        LstmModel decoded = ModelCodec.decode(bytes);
        assertEquals(new LstmConfig(1, 3, 1, 1.0, true, 8, 4), decoded.config());
        assertEquals(4, decoded.config().dayHarmonics());
        assertArrayEquals(bits(harmonics.parameters()), bits(decoded.parameters()));
        LstmModel sameSize = LstmModel.initialise(new LstmConfig(1, 3, 1, 1.0, true, 4, 2), Normalisation.identity(1),
                3);
        assertEquals(2, ModelCodec.decode(ModelCodec.encode(sameSize)).config().dayHarmonics(),
                "four inputs of two harmonics are not the day's and the week's phase");
        ByteBuffer.wrap(bytes).putInt(contextInt, 10 | 4 << 8);
        rewriteChecksum(bytes);
        assertMessage(bytes, "inconsistent model shape: dayHarmonics must be <= 4, got 5");
    }

    /** The released format-1 model fixture. */
    static byte[] fixture() throws IOException {
        return fixture("/fixtures/model-v1.bin");
    }

    private static byte[] fixture(String path) throws IOException {
        try (InputStream in = ModelCodecTest.class.getResourceAsStream(path)) {
            assertTrue(in != null, path + " is missing");
            return in.readAllBytes();
        }
    }

    private static LstmModel smallModel() {
        return LstmModel.initialise(new LstmConfig(2, 3, 1, 1.0, true), Normalisation.identity(2), 3);
    }

    private static void assertMessage(byte[] bytes, String message) {
        BadBytesException e = assertThrows(BadBytesException.class, () -> ModelCodec.decode(bytes));
        assertEquals(message, e.getMessage());
    }

    private static void rewriteChecksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int j = 0; j < values.length; j++) {
            bits[j] = Float.floatToRawIntBits(values[j]);
        }
        return bits;
    }

    private static long[] bits(double[] values) {
        long[] bits = new long[values.length];
        for (int j = 0; j < values.length; j++) {
            bits[j] = Double.doubleToRawLongBits(values[j]);
        }
        return bits;
    }

    private static double[] predictAfter(LstmModel model, double[][] raw) {
        LstmStepper stepper = new LstmStepper(model.config());
        LstmState state = new LstmState(model.config());
        double[] x = new double[model.config().inputSize()];
        double[] prediction = new double[x.length];
        for (double[] reading : raw) {
            model.normalisation().normalise(reading, x);
            stepper.step(model, state, x, prediction);
        }
        return prediction;
    }
}
