package dev.vigil.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.BadConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Single-field validation and defaults of {@link LstmConfig}, {@link TrainingConfig} and {@link TrainingInfo}. */
class ConfigRecordsTest {

    @Test
    void shouldProvideDocumentedLstmDefaults() {
        assertEquals(new LstmConfig(1, 32, 1, 1.0, false, 8, 4), LstmConfig.defaults());
        assertEquals(new LstmConfig(5, 32, 1, 1.0, false, 8, 4), LstmConfig.defaults().withInputSize(5));
        assertEquals(new LstmConfig(5, 32, 1, 1.0, false, 8, 1), LstmConfig.defaults().withInputSize(5)
                .withDayHarmonics(1));
    }

    @Test
    void shouldRejectOutOfRangeLstmConfigWithNamedMessages() {
        assertMessage("hiddenSize must be > 0, got -3", () -> new LstmConfig(1, -3, 1, 1.0, true));
        assertMessage("hiddenSize must be <= 1024, got 1025", () -> new LstmConfig(1, 1025, 1, 1.0, true));
        assertMessage("inputSize must be > 0, got 0", () -> new LstmConfig(0, 4, 1, 1.0, true));
        assertMessage("inputSize must be <= 64, got 65", () -> new LstmConfig(65, 4, 1, 1.0, true));
        assertMessage("layers must be <= 4, got 5", () -> new LstmConfig(1, 4, 5, 1.0, true));
        assertMessage("forgetBias must be finite, got NaN", () -> new LstmConfig(1, 4, 1, Double.NaN, true));
    }

    @Test
    void shouldProvideDocumentedTrainingDefaults() {
        assertEquals(new TrainingConfig(15, 8, 32, 0.01, 1.0, 0.2, 5, 5, 0), TrainingConfig.defaults());
    }

    @Test
    void shouldRejectOutOfRangeTrainingConfigWithNamedMessages() {
        assertMessage("maxEpochs must be > 0, got 0", () -> new TrainingConfig(0, 8, 32, 0.01, 1.0, 0.2, 5));
        assertMessage("batchSize must be <= 4096, got 5000", () -> new TrainingConfig(1, 5000, 32, 0.01, 1.0, 0.2, 5));
        assertMessage("bpttSteps must be > 0, got -1", () -> new TrainingConfig(1, 8, -1, 0.01, 1.0, 0.2, 5));
        assertMessage("learningRate must be in (0, 1], got 0.0", () -> new TrainingConfig(1, 8, 32, 0, 1.0, 0.2, 5));
        assertMessage("clipNorm must be > 0 (or Infinity for no clipping), got NaN",
                () -> new TrainingConfig(1, 8, 32, 0.01, Double.NaN, 0.2, 5));
        assertMessage("validationFraction must be in (0, 0.9], got 0.0",
                () -> new TrainingConfig(1, 8, 32, 0.01, 1.0, 0.0, 5));
        assertMessage("patience must be > 0, got 0", () -> new TrainingConfig(1, 8, 32, 0.01, 1.0, 0.2, 0));
        assertMessage("fineTuneEpochs must be in [0, 100000], got -1",
                () -> new TrainingConfig(1, 8, 32, 0.01, 1.0, 0.2, 5, -1));
        assertEquals(0, new TrainingConfig(1, 8, 32, 0.01, 1.0, 0.2, 5).fineTuneEpochs());
        assertMessage("levelJitter must be in [0, 10], got -0.1",
                () -> new TrainingConfig(1, 8, 32, 0.01, 1.0, 0.2, 5, 0, -0.1));
        assertMessage("levelJitter must be in [0, 10], got NaN",
                () -> new TrainingConfig(1, 8, 32, 0.01, 1.0, 0.2, 5, 0, Double.NaN));
        assertMessage("levelJitter must be in [0, 10], got 10.5",
                () -> new TrainingConfig(1, 8, 32, 0.01, 1.0, 0.2, 5, 0, 10.5));
        assertEquals(0.0, new TrainingConfig(1, 8, 32, 0.01, 1.0, 0.2, 5, 5).levelJitter());
        new TrainingConfig(1, 8, 32, 0.01, Double.POSITIVE_INFINITY, 0.9, 1);
    }

    @Test
    void shouldValidateTrainingInfo() {
        assertEquals(new TrainingInfo("untrained", 0, 5, 0, Double.NaN, Double.NaN, 0), TrainingInfo.untrained(5));
        assertMessage("version must be >= 0, got -1", () -> new TrainingInfo("m", -1, 0, 0, 0, 0, 0));
        assertMessage("trainLoss must be a finite value >= 0 or NaN, got -1.0", () -> new TrainingInfo("m", 0, 0, 0, -1, 0, 0));
        assertMessage("modelId must be <= 1024 UTF-8 bytes, got 1025",
                () -> new TrainingInfo("x".repeat(1025), 0, 0, 0, 0, 0, 0));
    }

    private static void assertMessage(String message, Executable executable) {
        assertEquals(message, assertThrows(BadConfigException.class, executable).getMessage());
    }
}
