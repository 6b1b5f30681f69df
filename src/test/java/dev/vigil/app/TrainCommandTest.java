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
    void shouldTrainACounterOnItsIncreases() throws IOException {
        Path meter = tmp.resolve("meter.csv");
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        double total = 90_000;
        for (int i = 0; i < 400; i++) {
            total += 2 + Math.sin(i / 10.0);
            csv.append(String.format(java.util.Locale.ROOT, "2026-01-02 %02d:%02d:00,%.3f%n", i / 60 % 24, i % 60,
                    total));
        }
        Files.writeString(meter, csv.toString());
        for (boolean counter : new boolean[] {false, true}) {
            Path out = tmp.resolve("meter-" + counter + ".bin");
            CommandRun run = counter
                    ? CommandRun.of("train", "--file", meter.toString(), "--out", out.toString(), "--counter",
                            "--set", "lstm.hiddenSize=8")
                    : CommandRun.of("train", "--file", meter.toString(), "--out", out.toString(),
                            "--set", "lstm.hiddenSize=8");
            assertEquals(0, run.code(), run.out() + run.err());
            LstmModel model = ModelCodec.decode(Files.readAllBytes(out));
            double centre = model.normalisation().center()[0];
            if (counter) {
                assertEquals(399, model.info().points(), "one increase fewer than readings");
                assertTrue(Math.abs(centre - 2) < 0.5, "the increases' units: " + centre);
            } else {
                assertTrue(centre > 90_000, "the totals' units: " + centre);
            }
        }
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
