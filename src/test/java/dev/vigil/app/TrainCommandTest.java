package dev.vigil.app;

import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.testutil.NabData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {
    private static final Path SERIES = NabData.shipped().resolve("data/realAdExchange/exchange-2_cpc_results.csv");

    @TempDir
    Path tmp;

    @Test
    void shouldWriteADecodableModelWithItsIdVersionAndTrainingMetadata() throws IOException {
        Path out = tmp.resolve("m/model.bin");
        CommandRun run = CommandRun.of("train", "--file", SERIES.toString(), "--out", out.toString(),
                "--key", "exchange-2", "--model-version", "7", "--set", "lstm.hiddenSize=8",
                "--set", "retrain.historySize=1000");
        assertEquals(0, run.code(), run.out() + run.err());
        LstmModel model = ModelCodec.decode(Files.readAllBytes(out));
        assertEquals("exchange-2", model.info().modelId());
        assertEquals(7, model.info().version());
        assertEquals(8, model.config().hiddenSize());
        assertEquals(1000, model.info().points(), "trained on the last historySize readings of 1624");
        assertTrue(Double.isFinite(model.info().validationLoss()));
        assertTrue(run.out().startsWith("model exchange-2 v7"), run.out());
    }

    @Test
    void shouldRefuseASeriesTooShortToTrainOn() throws IOException {
        Path shortSeries = tmp.resolve("short.csv");
        Files.writeString(shortSeries, "timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:05:00,2\n");
        CommandRun run = CommandRun.of("train", "--file", shortSeries.toString(), "--out",
                tmp.resolve("x.bin").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("training needs at least 300"), run.err());
        assertFalse(Files.exists(tmp.resolve("x.bin")));
    }
}
