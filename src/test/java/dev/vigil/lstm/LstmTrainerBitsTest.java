package dev.vigil.lstm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins the exact bits of trained models, so that a rewrite of the training kernels that claims to keep the
 * arithmetic (same operations, same order) is checked against the models the code trained before it: the
 * validation loss to the last bit and a hash of the whole model payload. The expected losses are those of main at
 * b9318b3 (2 December 2026); the payload hashes those since the eleventh session, when a trained model's parameters
 * began to be rounded to half precision after training ({@link HalfPrecision}; the training, and so the loss, did not
 * change), and again in the twelfth, when such a model began to be written in format 4 (binary16 values: the same
 * parameters in half the bytes). A change that moves them changes what every key trains, and needs the NAB check of docs/performance.md
 * before the values here are updated.
 */
class LstmTrainerBitsTest {

    @ParameterizedTest(name = "d={0} H={1} layers={2} residual={3} k={4} batch={5} bptt={6}")
    @CsvSource({
        "1, 32, 1, false, 2,  8, 32, 4583821021518289900, 1387911061",
        "1, 64, 1, true,  0, 32, 64, 4581431834778542401, -703965230",
        "2, 16, 2, false, 4, 16, 20, 4594842698889119642, -1785777843",
        "1, 24, 2, true,  2,  5, 17, 4580440160302472326, 1692166661",
    })
    void shouldTrainTheSameBitsAsBefore(int d, int hidden, int layers, boolean residual, int k, int batch, int bptt,
                                        long lossBits, int payloadHash) {
        LstmConfig config = new LstmConfig(d, hidden, layers, 1.0, residual, k);
        TrainingConfig training = new TrainingConfig(6, batch, bptt, 0.01, 1.0, 0.2, 3);
        SplittableRandom random = new SplittableRandom(hidden);
        double[][] series = new double[900][d + k];
        for (int t = 0; t < series.length; t++) {
            for (int c = 0; c < d + k; c++) {
                series[t][c] = c < d ? Math.sin(t / (7.0 + c)) * 3 + random.nextDouble() : Math.cos(t / 50.0 + c);
            }
        }
        Normalisation norm = Normalisation.fit(series, d);
        TrainingResult one = new LstmTrainer(config, training, 1).train(series, norm, 7, "k", 1);
        TrainingResult two = new LstmTrainer(config, training, 2).train(series, norm, 7, "k", 1);
        byte[] payload = ModelCodec.encode(one.model());
        assertEquals(lossBits, Double.doubleToRawLongBits(one.validationLoss()), "validation loss " + one.validationLoss());
        assertEquals(payloadHash, Arrays.hashCode(payload), "model payload hash");
        assertArrayEquals(payload, ModelCodec.encode(two.model()), "two threads");
    }
}
