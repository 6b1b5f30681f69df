package dev.vigil.app.bench;

import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.TrainingInfo;
import dev.vigil.train.ModelTrainer;
import dev.vigil.train.RetrainConfig;
import dev.vigil.train.TrainingOutcome;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The streaming benchmark's synthetic fleet: per-key seasonal series (a daily-like cycle of 288 steps plus a
 * shorter one, a key-specific phase and level, seeded noise) and one model trained on such a series, re-labelled
 * for every key. Event {@code j} of the preloaded input belongs to key {@code j % keys} and is that key's reading
 * number {@code j / keys}; its timestamp is {@link #START_MS} plus one simulated minute per reading, so
 * timestamps increase per key. Stateless apart from the seed; thread-safe.
 */
final class BenchSeries {
    /** Event time of every key's first preloaded reading (2020-01-01T00:00:00Z). */
    static final long START_MS = 1_577_836_800_000L;
    /** Simulated time between two readings of a key. */
    static final long STEP_MS = 60_000L;
    private static final int DAY = 288;
    private static final int SHORT_CYCLE = 37;

    private final long seed;

    BenchSeries(long seed) {
        this.seed = seed;
    }

    static String key(int k) {
        return "sensor-" + k;
    }

    /** Reading {@code i} of key number {@code k}. */
    double value(int k, long i) {
        double phase = (k * 0.6180339887) % 1.0;
        double noise = new SplittableRandom(seed ^ (k * 0x9E3779B97F4A7C15L) ^ (i * 0xBF58476D1CE4E5B9L)).nextDouble();
        return 100 + k % 10 + 20 * Math.sin(2 * Math.PI * (i / (double) DAY + phase))
                + 5 * Math.sin(2 * Math.PI * i / SHORT_CYCLE) + 2 * (2 * noise - 1);
    }

    /** The event JSON {@code {"ts":..,"value":..}}. */
    static byte[] json(long ts, double value) {
        return ("{\"ts\":" + ts + ",\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** One model (default shape), trained with the service's trainer on a full default window of key 0's series. */
    LstmModel train() {
        RetrainConfig config = RetrainConfig.defaults();
        HistoryWindow history = new HistoryWindow(config.historySize(), 1);
        for (int i = 0; i < config.historySize(); i++) {
            history.append(START_MS + i * STEP_MS, new double[] {value(0, i)});
        }
        TrainingOutcome outcome = new ModelTrainer(LstmConfig.defaults(), config).train("bench", history, null);
        if (outcome.model() == null) {
            throw new dev.vigil.VigilException("training the benchmark model failed: " + outcome.reason());
        }
        return outcome.model();
    }

    /** {@code model} re-labelled as version 1 of {@code key}'s model, encoded. */
    static byte[] payloadFor(LstmModel model, String key) {
        return payloadFor(model, key, 1);
    }

    /** {@code model} as version {@code version} of {@code key}'s model. */
    static byte[] payloadFor(LstmModel model, String key, long version) {
        TrainingInfo info = model.info();
        return ModelCodec.encode(model.withInfo(new TrainingInfo(key, version, info.seed(), info.epochs(),
                info.trainLoss(), info.validationLoss(), info.points())));
    }
}
