package dev.vigil.app.bench;

import dev.vigil.detect.CalendarInputs;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.Event;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.LstmState;
import dev.vigil.lstm.LstmStepper;
import dev.vigil.lstm.LstmTrainer;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.Normalisation;
import dev.vigil.lstm.TrainingConfig;
import dev.vigil.stream.ScoreRecordWriter;
import dev.vigil.train.ModelTrainer;
import dev.vigil.train.RetrainConfig;
import dev.vigil.train.TrainingOutcome;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the LSTM core. {@code step}: one forward step at H=32 and H=64, d=1, 1 layer (average
 * time per step), with no calendar inputs, the day's phase (2 inputs, most models) or its first four harmonics
 * (8 inputs, a model of a key that keeps a schedule). {@code train}: one minibatch of truncated BPTT plus Adam at
 * H=64, batch 32, bptt 64, on two threads (the two halves of the batch); {@link OperationsPerInvocation} counts every
 * (subsequence, timestep) pair, so the
 * reported throughput is directly timesteps per second. {@code retrain}: one whole (re)training of a key
 * as the service does it, with the default configuration, on a full default history window (2000
 * readings of a noisy daily-like cycle): fit, train with early stopping, validate against the tail.
 * {@code event}: what the stream thread does for an event in Vigil's own code, Kafka Streams' stores and producer
 * aside: the detector's step and scores for a mature key with a model of its own, the key's state encoded and the
 * score record written, keys taken in turn from 1,000 (each with its own copy of the model, as {@code bench stream}
 * has them, so that weights and states come from memory as they do there), or from 100,000 ({@code -p keys=100000},
 * about 2 GB of heap, so not in {@code bench lstm}: what a key's event costs when its state and model are far from the
 * CPU's caches, as {@code bench fleet}'s large fleet has them); {@code -p order=shuffled} takes them in a fixed random
 * order, as a stream's keys come, instead of the order their states were allocated in.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LstmBenchmark {

    /** Minibatch shape of the {@code train} benchmark. */
    static final int TRAIN_BATCH = 32;
    static final int TRAIN_BPTT = 64;
    static final int TRAIN_HIDDEN = 64;

    /** A seeded noisy sine, {@code n × 1}. */
    static double[][] sine(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] series = new double[n][1];
        for (int t = 0; t < n; t++) {
            series[t][0] = Math.sin(2 * Math.PI * t / 50.0) + 0.1 * (2 * random.nextDouble() - 1);
        }
        return series;
    }

    /** Milliseconds between the rows {@link #withPhase} dates: five minutes, 288 rows a day. */
    static final long ROW_MS = 300_000L;

    /**
     * Each row of a 1-column series followed by the calendar inputs a model of {@code shape} reads
     * ({@link CalendarInputs#write}: its context size and harmonics of the day), the rows five minutes apart.
     */
    static double[][] withPhase(double[][] series, LstmConfig shape) {
        long[] times = new long[series.length];
        for (int t = 0; t < series.length; t++) {
            times[t] = t * ROW_MS;
        }
        return CalendarInputs.rows(series, times, shape.contextSize(), shape.dayHarmonics());
    }

    /**
     * A model, state and stepper at H=32 (and 64), d=1, 1 layer, with {@code context} calendar inputs (0, the day's
     * phase, or its first four harmonics), fed a fixed 1000-step input cycle.
     */
    @State(Scope.Thread)
    public static class StepState {
        @Param({"32", "64"})
        int hiddenSize;
        @Param({"0", "2", "8"})
        int context;
        LstmModel model;
        LstmState state;
        LstmStepper stepper;
        double[][] inputs;
        double[] prediction;
        int t;

        @Setup
        public void setUp() {
            LstmConfig config = new LstmConfig(1, hiddenSize, 1, 1.0, true, context, Math.max(1, context / 2));
            model = LstmModel.initialise(config, Normalisation.identity(1), 42);
            state = new LstmState(config);
            stepper = new LstmStepper(config);
            inputs = withPhase(sine(1000, 7), config);
            prediction = new double[1];
        }
    }

    /** A trainer at H=64, batch 32, bptt 64 with a started run on a 4000-point sine. */
    @State(Scope.Thread)
    public static class TrainState {
        LstmTrainer trainer;

        @Setup
        public void setUp() {
            LstmConfig config = new LstmConfig(1, TRAIN_HIDDEN, 1, 1.0, true);
            TrainingConfig training = new TrainingConfig(1, TRAIN_BATCH, TRAIN_BPTT, 0.005, 1.0, 0.2, 1);
            trainer = new LstmTrainer(config, training, 2);
            double[][] series = sine(4000, 11);
            trainer.startRun(series, LstmModel.initialise(config, Normalisation.fit(series), 42), 42);
        }
    }

    /** A default-configured trainer on 1 or 2 threads and a full default history window. */
    @State(Scope.Thread)
    public static class RetrainState {
        @Param({"1", "2"})
        int parallelism = 1;
        ModelTrainer trainer;
        HistoryWindow history;
        /** A model trained on the window, in force when {@code fineTune} retrains. */
        LstmModel current;

        @Setup
        public void setUp() {
            RetrainConfig config = RetrainConfig.defaults();
            trainer = new ModelTrainer(LstmConfig.defaults(), config, parallelism);
            history = new HistoryWindow(config.historySize(), 1);
            SplittableRandom random = new SplittableRandom(5);
            for (int t = 0; t < config.historySize(); t++) {
                double x = 100 + 20 * Math.sin(2 * Math.PI * t / 288.0) + 5 * Math.sin(2 * Math.PI * t / 37.0)
                        + 2 * (2 * random.nextDouble() - 1);
                history.append(t * 300_000L, new double[] {x});
            }
            current = trainer.train("bench", history, null).model();
        }
    }

    /**
     * {@code keys} keys of {@code bench stream}'s series, each with a copy of one trained model, past their warm-up:
     * the first 1,000 stepped through it, each later key a decoded copy of one of those keys' state (key i of
     * key i mod 1,000), so that 100,000 keys are ready in seconds with the same states spread over the heap.
     */
    @State(Scope.Thread)
    public static class EventState {
        static final int STEPPED = 1_000;
        static final int MATURE = 700;
        /** Keys taken in turn; {@code -p keys=100000} for the large fleet's spread (about 2 GB of heap). */
        @Param({"1000"})
        int keys;
        /**
         * The order keys are taken in: {@code turn} (0, 1, 2, ..., the order their states were allocated in, which
         * the hardware prefetcher follows) or {@code shuffled} (a fixed random permutation, as a stream's keys come).
         */
        @Param({"turn"})
        String order = "turn";
        /** The keys in the order {@link #order} takes them. */
        int[] sequence;
        final BenchSeries series = new BenchSeries(1);
        Detector detector;
        ScoreRecordWriter writer;
        String[] names;
        LstmModel[] models;
        DetectorState[] states;
        long[] next;
        int k;

        @Setup
        public void setUp() {
            detector = new Detector(DetectorConfig.defaults().withChannels(1));
            writer = new ScoreRecordWriter(List.of());
            LstmModel model = series.train();
            names = new String[keys];
            models = new LstmModel[keys];
            states = new DetectorState[keys];
            next = new long[keys];
            for (int key = 0; key < keys; key++) {
                names[key] = BenchSeries.key(key);
                models[key] = ModelCodec.decode(BenchSeries.payloadFor(model, names[key]));
                if (key < STEPPED) {
                    states[key] = detector.newState();
                    while (next[key] < MATURE) {
                        step(key);
                    }
                } else {
                    states[key] = DetectorStateCodec.decode(DetectorStateCodec.encode(states[key % STEPPED]));
                    next[key] = next[key % STEPPED];
                }
            }
            sequence = new int[keys];
            for (int key = 0; key < keys; key++) {
                sequence[key] = key;
            }
            if (order.equals("shuffled")) {
                java.util.Random random = new java.util.Random(7);
                for (int i = keys - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = sequence[i];
                    sequence[i] = sequence[j];
                    sequence[j] = t;
                }
            } else if (!order.equals("turn")) {
                throw new IllegalArgumentException("order must be turn or shuffled, got " + order);
            }
        }

        /** Key {@code key}'s next event, the readings of its stepped twin's series (its state's). */
        DetectorResult step(int key) {
            long i = next[key]++;
            Event event = new Event(BenchSeries.START_MS + i * BenchSeries.STEP_MS,
                    new double[] {series.value(key % STEPPED, i)});
            return detector.step(models[key], states[key], event);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int event(EventState s) {
        s.k = s.k + 1 == s.keys ? 0 : s.k + 1;
        int key = s.sequence[s.k];
        DetectorResult result = s.step(key);
        byte[] state = DetectorStateCodec.encode(s.states[key]);
        return state.length + s.writer.write(s.names[key], result).length;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 3)
    @Measurement(iterations = 10)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public TrainingOutcome retrain(RetrainState s) {
        return s.trainer.train("bench", s.history, null);
    }

    /** The same retraining with a model in force that fits the window: it fine-tunes that model. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 3)
    @Measurement(iterations = 10)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public TrainingOutcome fineTune(RetrainState s) {
        return s.trainer.train("bench", s.history, s.current);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public double step(StepState s) {
        s.t = s.t + 1 == s.inputs.length ? 0 : s.t + 1;
        s.stepper.step(s.model, s.state, s.inputs[s.t], s.prediction);
        return s.prediction[0];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TRAIN_BATCH * TRAIN_BPTT)
    public double train(TrainState s) {
        return s.trainer.trainMinibatch();
    }
}
