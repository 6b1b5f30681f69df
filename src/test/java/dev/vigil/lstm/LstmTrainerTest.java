package dev.vigil.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.BadConfigException;
import dev.vigil.ShapeMismatchException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LstmTrainerTest {
    /** The default network without context inputs: these series carry no timestamps. */
    private static final LstmConfig PLAIN = LstmConfig.defaults().withContextSize(0);


    /** The learned model must beat this share of the normalised series' variance... */
    private static final double MAX_LOSS_PER_VARIANCE = 0.2;
    /** ...and this share of the persistence forecast's ({@code x̂_{t+1} = x_t}) validation MSE. */
    private static final double MAX_LOSS_PER_PERSISTENCE = 0.7;

    private static final TrainingConfig SMALL = new TrainingConfig(3, 4, 16, 0.01, 1.0, 0.2, 2);

    @Test
    void shouldLearnNoisySineWellBelowVarianceAndPersistence() {
        double[][] series = TestSeries.noisySine(2000, 50, 0.1, 7);
        Normalisation normalisation = Normalisation.fit(series);
        LstmTrainer trainer = new LstmTrainer(PLAIN, TrainingConfig.defaults());
        TrainingResult result = trainer.train(series, normalisation, 42, "sine", 1);

        int trainPoints = 2000 - 400;
        double variance = variance(series, normalisation);
        double persistence = 0;
        for (int t = trainPoints; t < series.length; t++) {
            double diff = normalisation.normalise(0, series[t][0]) - normalisation.normalise(0, series[t - 1][0]);
            persistence += diff * diff;
        }
        persistence /= series.length - trainPoints;
        double loss = result.validationLoss();
        assertTrue(loss < MAX_LOSS_PER_VARIANCE * variance, "validation " + loss + " vs variance " + variance);
        assertTrue(loss < MAX_LOSS_PER_PERSISTENCE * persistence, "validation " + loss + " vs persistence " + persistence);
    }

    @Test
    void shouldReturnTheParametersWhoseValidationLossItReports() {
        double[][] series = TestSeries.noisySine(600, 25, 0.1, 3);
        Normalisation normalisation = Normalisation.fit(series);
        LstmConfig config = new LstmConfig(1, 8, 1, 1.0, true);
        TrainingResult result = new LstmTrainer(config, SMALL).train(series, normalisation, 5, "m", 2);
        int trainPoints = series.length - (int) Math.floor(0.2 * series.length);
        LstmStepper stepper = new LstmStepper(config);
        LstmState state = new LstmState(config);
        double[] x = new double[1];
        double[] prediction = new double[1];
        double sum = 0;
        // from zero state, eight truncation windows (8 x 16 readings) before the tail
        for (int t = trainPoints - LstmTrainer.WARMUP_WINDOWS * SMALL.bpttSteps(); t + 1 < series.length; t++) {
            normalisation.normalise(series[t], x);
            stepper.step(result.model(), state, x, prediction);
            if (t + 1 >= trainPoints) {
                double diff = prediction[0] - normalisation.normalise(0, series[t + 1][0]);
                sum += diff * diff;
            }
        }
        // the loss reported is the best epoch's, before its parameters were rounded to half precision: the returned
        // model's own is that within the rounding
        assertEquals(result.validationLoss(), sum / (series.length - trainPoints), 1e-3 * result.validationLoss());
    }

    @Test
    void shouldRecordTrainingInfoInTheModel() {
        double[][] series = TestSeries.noisySine(300, 25, 0.1, 3);
        LstmConfig config = new LstmConfig(1, 4, 1, 1.0, true);
        TrainingResult result = new LstmTrainer(config, SMALL).train(series, Normalisation.fit(series), 77, "key-9", 4);
        TrainingInfo info = result.model().info();
        assertEquals(new TrainingInfo("key-9", 4, 77, result.epochs(), result.trainLoss(), result.validationLoss(), 300),
                info);
        assertTrue(result.epochs() >= 1 && result.epochs() <= SMALL.maxEpochs());
        for (float p : result.model().parameters()) {
            assertTrue(HalfPrecision.exact(p), "a trained parameter is a half-precision value: " + p);
        }
        assertTrue(result.trainLoss() > 0 && result.validationLoss() > 0);
        assertEquals(Normalisation.fit(series), result.model().normalisation());
    }

    @Test
    void shouldProduceBitIdenticalModelsForTheSameSeed() {
        double[][] series = TestSeries.multiChannel(400, 2, 8);
        LstmConfig config = new LstmConfig(2, 6, 2, 1.0, true);
        byte[] first = ModelCodec.encode(new LstmTrainer(config, SMALL).train(series, Normalisation.fit(series), 13, "m", 1).model());
        LstmTrainer reused = new LstmTrainer(config, SMALL);
        reused.train(series, Normalisation.fit(series), 99, "m", 1);
        byte[] second = ModelCodec.encode(reused.train(series, Normalisation.fit(series), 13, "m", 1).model());
        assertArrayEquals(first, second);
        byte[] otherSeed = ModelCodec.encode(reused.train(series, Normalisation.fit(series), 14, "m", 1).model());
        assertFalse(Arrays.equals(first, otherSeed));
    }

    @Test
    void shouldProduceBitIdenticalModelsWithOneOrTwoThreads() {
        double[][] series = TestSeries.multiChannel(600, 2, 4);
        LstmConfig config = new LstmConfig(2, 12, 2, 1.0, true, 1);
        double[][] withContext = new double[series.length][];
        for (int t = 0; t < series.length; t++) {
            withContext[t] = new double[] {series[t][0], series[t][1], Math.sin(t / 9.0)};
        }
        int batch = MinibatchGradient.SPLIT_BATCH + 1;
        TrainingConfig oddBatch = new TrainingConfig(4, batch, 16, 0.01, 1.0, 0.2, 2);
        Normalisation normalisation = Normalisation.fit(withContext, 2);
        byte[] one = ModelCodec.encode(new LstmTrainer(config, oddBatch, 1).train(withContext, normalisation, 3, "m", 1)
                .model());
        LstmTrainer two = new LstmTrainer(config, oddBatch, 2);
        for (int run = 0; run < 3; run++) {
            assertArrayEquals(one, ModelCodec.encode(two.train(withContext, normalisation, 3, "m", 1).model()),
                    "run " + run);
        }
        assertEquals("trainer threads must be 1 or 2, got 3", assertThrows(BadConfigException.class,
                () -> new LstmTrainer(config, oddBatch, 3)).getMessage());
    }

    @Test
    void shouldFollowALevelItWasNeverTrainedAtWithLevelJitter() {
        // a daily-like cycle read with its phase as context inputs, as a sensor's model reads its time of day; the
        // model is then run on the same cycle risen past every level of its window (a trend between two trainings)
        LstmConfig config = PLAIN.withContextSize(2);
        double[][] window = cycle(2400, 0.0, 11);
        Normalisation normalisation = Normalisation.fit(window, 1);
        double[][] same = cycle(1200, 0.0, 12);
        double[][] risen = cycle(1200, 2.0 * normalisation.scale()[0], 12);
        LstmModel plain = new LstmTrainer(config, new TrainingConfig(15, 8, 32, 0.01, 1.0, 0.2, 5, 0, 0.0))
                .train(window, normalisation, 5, "m", 1).model();
        LstmModel jittered = new LstmTrainer(config, new TrainingConfig(15, 8, 32, 0.01, 1.0, 0.2, 5, 0, 0.5))
                .train(window, normalisation, 5, "m", 1).model();
        double plainRisen = oneStepMse(config, plain, risen, 300);
        double jitteredRisen = oneStepMse(config, jittered, risen, 300);
        assertTrue(jitteredRisen < 0.5 * plainRisen, "one-step MSE on the risen cycle: " + jitteredRisen
                + " with jitter, " + plainRisen + " without");
        double plainSame = oneStepMse(config, plain, same, 300);
        double jitteredSame = oneStepMse(config, jittered, same, 300);
        assertTrue(jitteredSame < 1.5 * plainSame, "one-step MSE at the window's level: " + jitteredSame
                + " with jitter, " + plainSame + " without");
    }

    @Test
    void shouldTrainBitForBitAsBeforeWithoutLevelJitterAndDifferentlyWithIt() {
        double[][] series = TestSeries.multiChannel(400, 2, 8);
        LstmConfig config = new LstmConfig(2, 6, 2, 1.0, true);
        Normalisation normalisation = Normalisation.fit(series);
        byte[] plain = ModelCodec.encode(new LstmTrainer(config, SMALL).train(series, normalisation, 13, "m", 1)
                .model());
        TrainingConfig zero = new TrainingConfig(3, 4, 16, 0.01, 1.0, 0.2, 2, 0, 0.0);
        assertArrayEquals(plain, ModelCodec.encode(new LstmTrainer(config, zero)
                .train(series, normalisation, 13, "m", 1).model()));
        TrainingConfig jitter = new TrainingConfig(3, 4, 16, 0.01, 1.0, 0.2, 2, 0, 0.5);
        byte[] first = ModelCodec.encode(new LstmTrainer(config, jitter).train(series, normalisation, 13, "m", 1)
                .model());
        LstmTrainer two = new LstmTrainer(config, jitter, 2);
        assertArrayEquals(first, ModelCodec.encode(two.train(series, normalisation, 13, "m", 1).model()));
        assertFalse(Arrays.equals(plain, first));
    }

    @Test
    void shouldRejectNonFiniteTrainingDataBeforeTraining() {
        double[][] series = TestSeries.noisySine(300, 25, 0.1, 3);
        series[123][0] = Double.NaN;
        LstmTrainer trainer = new LstmTrainer(new LstmConfig(1, 4, 1, 1.0, true), SMALL);
        NonFiniteTrainingException e = assertThrows(NonFiniteTrainingException.class,
                () -> trainer.train(series, Normalisation.identity(1), 1, "m", 1));
        assertTrue(e.getMessage().startsWith("series[123][0] = NaN is not finite"), e.getMessage());
        series[123][0] = Double.POSITIVE_INFINITY;
        assertThrows(NonFiniteTrainingException.class, () -> trainer.train(series, Normalisation.identity(1), 1, "m", 1));
    }

    @Test
    void shouldAbortWhenTheLossBecomesNonFinite() {
        double[][] series = new double[200][1];
        for (int t = 0; t < series.length; t++) {
            series[t][0] = t % 2 == 0 ? 1e200 : -1e200;
        }
        LstmTrainer trainer = new LstmTrainer(new LstmConfig(1, 4, 1, 1.0, true), SMALL);
        NonFiniteTrainingException e = assertThrows(NonFiniteTrainingException.class,
                () -> trainer.train(series, Normalisation.identity(1), 1, "m", 1));
        assertTrue(e.getMessage().contains("loss became Infinity"), e.getMessage());
    }

    @Test
    void shouldRejectSeriesShorterThanTwiceBpttSteps() {
        LstmTrainer trainer = new LstmTrainer(PLAIN, TrainingConfig.defaults());
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> trainer.train(TestSeries.noisySine(50, 25, 0.1, 1), Normalisation.identity(1), 1, "m", 1));
        assertEquals("series length must be >= 2 * bpttSteps = 64, got 50", e.getMessage());
        LstmTrainer mostlyValidation = new LstmTrainer(PLAIN, new TrainingConfig(5, 8, 32, 0.01, 1.0, 0.9, 2));
        e = assertThrows(BadConfigException.class,
                () -> mostlyValidation.train(TestSeries.noisySine(100, 25, 0.1, 1), Normalisation.identity(1), 1, "m", 1));
        assertEquals("training part (series minus validation tail of 90) must be >= bpttSteps + 1 = 33, got 10",
                e.getMessage());
    }

    @Test
    void shouldRejectRowsOrModelsOfAnotherShape() {
        LstmTrainer trainer = new LstmTrainer(new LstmConfig(2, 4, 1, 1.0, true), SMALL);
        double[][] oneChannel = TestSeries.noisySine(100, 25, 0.1, 1);
        assertThrows(ShapeMismatchException.class, () -> trainer.train(oneChannel, Normalisation.identity(2), 1, "m", 1));
        LstmModel other = LstmModel.initialise(new LstmConfig(2, 5, 1, 1.0, true), Normalisation.identity(2), 1);
        assertThrows(ShapeMismatchException.class,
                () -> trainer.train(TestSeries.multiChannel(100, 2, 1), other, 1, "m", 1));
    }

    @Test
    void shouldStopEarlyWhenValidationStopsImproving() {
        SplittableRandom random = new SplittableRandom(4);
        double[][] noise = new double[800][1];
        for (double[] row : noise) {
            row[0] = TestSeries.gaussian(random);
        }
        TrainingConfig training = new TrainingConfig(200, 8, 16, 0.01, 1.0, 0.2, 2);
        TrainingResult result = new LstmTrainer(new LstmConfig(1, 8, 1, 1.0, false), training)
                .train(noise, Normalisation.fit(noise), 3, "noise", 1);
        assertTrue(result.epochs() < training.maxEpochs(), "ran " + result.epochs() + " epochs on white noise");
    }

    @Test
    void shouldRunCeilOfTrainPointsOverBatchTimesStepsMinibatchesPerEpoch() {
        LstmConfig config = PLAIN;
        LstmTrainer trainer = new LstmTrainer(config, TrainingConfig.defaults());
        double[][] series = TestSeries.noisySine(2000, 50, 0.1, 1);
        trainer.startRun(series, LstmModel.initialise(config, Normalisation.fit(series), 1), 1);
        assertEquals(7, trainer.minibatchesPerEpoch()); // ceil(1600 / (8 * 32))
        double[][] short_ = TestSeries.noisySine(100, 50, 0.1, 1);
        trainer.startRun(short_, LstmModel.initialise(config, Normalisation.fit(short_), 1), 1);
        assertEquals(1, trainer.minibatchesPerEpoch());
    }

    @Test
    void shouldAllocateNothingPerMinibatch() {
        LstmConfig config = new LstmConfig(2, 8, 2, 1.0, true);
        LstmTrainer trainer = new LstmTrainer(config, new TrainingConfig(1, 4, 16, 0.01, 1.0, 0.2, 1));
        double[][] series = TestSeries.multiChannel(500, 2, 1);
        trainer.startRun(series, LstmModel.initialise(config, Normalisation.fit(series), 1), 1);
        for (int k = 0; k < 300; k++) {
            trainer.trainMinibatch();
        }
        // rounds until one allocates nothing (late JIT on a loaded machine: see LstmStepperTest), at most 50
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 50 && allocated >= 1024; round++) {
            long before = LstmStepperTest.allocatedBytes();
            for (int k = 0; k < 100; k++) {
                trainer.trainMinibatch();
            }
            allocated = LstmStepperTest.allocatedBytes() - before;
        }
        assertTrue(allocated < 1024, "100 minibatches allocated " + allocated + " bytes");
    }

    @Test
    void shouldNotModifyTheSeries() {
        double[][] series = TestSeries.noisySine(300, 25, 0.1, 3);
        double[][] copy = Arrays.stream(series).map(double[]::clone).toArray(double[][]::new);
        new LstmTrainer(new LstmConfig(1, 4, 1, 1.0, true), SMALL).train(series, Normalisation.fit(series), 1, "m", 1);
        assertTrue(Arrays.deepEquals(copy, series));
    }

    @Test
    void shouldRejectWorkspacesBeyondTheLimit() {
        BadConfigException e = assertThrows(BadConfigException.class, () -> new LstmTrainer(
                new LstmConfig(1, 1024, 4, 1.0, true), new TrainingConfig(1, 4096, 4096, 0.01, 1.0, 0.2, 1)));
        assertTrue(e.getMessage().startsWith("training workspace for batchSize 4096 x bpttSteps 4096"), e.getMessage());
    }

    /** A cycle of period 96 around {@code level} (amplitude 4, noise 0.2) with its phase as two context columns. */
    private static double[][] cycle(int n, double level, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = new double[n][];
        for (int t = 0; t < n; t++) {
            double phase = 2 * Math.PI * t / 96.0;
            rows[t] = new double[] {level + 4 * Math.sin(phase) + 0.2 * TestSeries.gaussian(random), Math.sin(phase),
                    Math.cos(phase)};
        }
        return rows;
    }

    /** The model's one-step MSE (raw units) on {@code rows}, from zero state, after {@code warmup} readings. */
    private static double oneStepMse(LstmConfig config, LstmModel model, double[][] rows, int warmup) {
        LstmStepper stepper = new LstmStepper(config);
        LstmState state = new LstmState(config);
        double[] input = new double[3];
        double[] prediction = new double[1];
        double sum = 0;
        for (int t = 0; t + 1 < rows.length; t++) {
            model.normalisation().normaliseInput(rows[t], input);
            stepper.step(model, state, input, prediction);
            if (t >= warmup) {
                double miss = model.normalisation().denormalise(0, prediction[0]) - rows[t + 1][0];
                sum += miss * miss;
            }
        }
        return sum / (rows.length - 1 - warmup);
    }

    private static double variance(double[][] series, Normalisation normalisation) {
        double mean = 0;
        for (double[] row : series) {
            mean += normalisation.normalise(0, row[0]);
        }
        mean /= series.length;
        double sum = 0;
        for (double[] row : series) {
            double diff = normalisation.normalise(0, row[0]) - mean;
            sum += diff * diff;
        }
        return sum / series.length;
    }
}
