package dev.vigil.stream;

import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lifecycle.TrainingPoint;
import dev.vigil.lifecycle.TrainingRequests;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.testutil.SyntheticSeries;
import dev.vigil.train.ModelTrainer;
import dev.vigil.train.RetrainClock.Trigger;
import dev.vigil.train.RetrainConfig;
import dev.vigil.train.TrainingOutcome;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link TopologyTrainer} takes requests from the stream threads, with the pool replaced by a recording, a full
 * or a direct one (publishing runs against a real broker in {@code BackgroundTrainerIT}): never blocking, refusing
 * when full, one request per model in flight, a delivery with the bits of the in-line training, no work on a
 * training its key already trained in line, a running training waited for rather than trained twice, and queued ones
 * run by the thread that waits.
 */
class TopologyTrainerRequestsTest {
    private final Metrics metrics = new Metrics();
    private final List<Runnable> queued = new ArrayList<>();

    @AfterEach
    void close() {
        metrics.close();
    }

    private TopologyTrainer trainer(RetrainConfig retrain, Executor pool) {
        TopologyConfig topology = StreamFixtures.singleValue();
        TopologyTrainer trainer = new TopologyTrainer(topology, "requests-test",
                VigilTopology.detectorConfig(topology, StreamFixtures.DETECTOR, retrain), retrain, pool, 2, metrics);
        return trainer;
    }

    private double metric(String name) {
        return metrics.metrics().entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    private static TrainingRequests.Request request(String key, long version, long through) {
        return request(key, version, through, 200);
    }

    private static TrainingRequests.Request request(String key, long version, long through, int readings) {
        double[] x = SyntheticSeries.seasonal(readings, 10, 2, 24, 0.2, 5);
        HistoryWindow window = new HistoryWindow(readings, 1);
        for (int i = 0; i < x.length; i++) {
            window.append(1_000L * i, new double[] {x[i]});
        }
        return new TrainingRequests.Request(new TrainingPoint(key, version, through), key, Trigger.FIRST, window, null);
    }

    @Test
    void shouldRefuseWhenTheQueueIsFullWithoutBlocking() {
        TopologyTrainer trainer = trainer(StreamFixtures.RETRAIN, task -> {
            throw new RejectedExecutionException("full");
        });
        TrainingRequests.Request request = request("pump-1", 1, 200);
        assertFalse(trainer.offer(request), "a full queue refuses: the key trains in line at its swap point");
        assertFalse(trainer.offer(request), "and again, not stuck as pending");
        assertEquals(2, metric("trainings-deferred-total"));
    }

    @Test
    void shouldWantARefusedTrainingOnceItsQueueHasRoomAndNotOneItHolds() throws InterruptedException {
        // one thread held by a blocker, a queue of one: the first request fills it, the second is refused
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
                TimeUnit.MILLISECONDS, new java.util.concurrent.ArrayBlockingQueue<>(1));
        try {
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            TopologyTrainer trainer = trainer(StreamFixtures.RETRAIN, pool);
            TrainingRequests.Request held = request("pump-1", 1, 200);
            TrainingRequests.Request refused = request("pump-2", 1, 200);
            assertTrue(trainer.offer(held));
            assertFalse(trainer.offer(refused), "the queue is full");
            assertFalse(trainer.wants(refused.point()), "no room yet");
            assertFalse(trainer.wants(held.point()), "queued already");
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!trainer.wants(refused.point())) {
                assertTrue(System.nanoTime() < deadline, "the queue never drained");
                Thread.sleep(5);
            }
            assertTrue(trainer.delivered(held.point()).isPresent(), "the queued one trained");
            assertTrue(trainer.offer(refused));
            assertFalse(trainer.wants(refused.point()), "taken now");
        } finally {
            release.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
        assertFalse(TrainingRequests.IN_LINE.wants(new TrainingPoint("pump-1", 1, 200)),
                "the evaluator's in-line trainer never wants an offer again");
    }

    @Test
    void shouldQueueOneTrainingPerModelAtATime() {
        TopologyTrainer trainer = trainer(StreamFixtures.RETRAIN, queued::add);
        assertTrue(trainer.offer(request("pump-1", 1, 200)));
        assertTrue(trainer.offer(request("pump-1", 1, 200)), "covered by the one already queued");
        assertTrue(trainer.offer(request("pump-2", 1, 200)));
        assertEquals(2, queued.size());
        assertEquals(2, metric("trainings-queued-total"));
    }

    @Test
    void shouldDeliverTheModelTheKeyWouldTrainInLineOnceAndOnlyForItsPoint() {
        TopologyTrainer trainer = trainer(StreamFixtures.RETRAIN, Runnable::run);
        TrainingRequests.Request request = request("pump-1", 3, 200);
        assertTrue(trainer.offer(request));
        TrainingOutcome inLine = inLine(request);
        assertEquals(Optional.empty(), trainer.delivered(new TrainingPoint("pump-1", 3, 201)), "another point");
        TrainingOutcome delivered = trainer.delivered(request.point()).orElseThrow();
        assertEquals(inLine.status(), delivered.status());
        assertTrue(delivered.accepted(), delivered.reason());
        assertArrayEquals(ModelCodec.encode(inLine.model()), ModelCodec.encode(delivered.model()),
                "the background trainer gives the bits the key trains in line");
        assertEquals(Optional.empty(), trainer.delivered(request.point()), "taken once");
    }

    @Test
    void shouldSkipAQueuedTrainingItsKeyTrainedInLine() {
        TopologyTrainer trainer = trainer(StreamFixtures.RETRAIN, queued::add);
        TrainingRequests.Request taken = request("pump-1", 2, 200);
        TrainingRequests.Request kept = request("pump-2", 2, 200);
        assertTrue(trainer.offer(taken));
        assertTrue(trainer.offer(kept));
        assertEquals(Optional.empty(), trainer.delivered(taken.point()), "not trained yet: the key trains it in line");
        queued.forEach(Runnable::run);
        assertEquals(1, metric("trainings-skipped-total"), "the withdrawn one is skipped");
        assertEquals(1, metric("trainings-total"), "the other one trains");
        assertTrue(trainer.delivered(kept.point()).isPresent());
        assertTrue(trainer.offer(taken), "the model id is free for its next request");
    }

    @Test
    void shouldKeepNothingForAForgottenKey() {
        TopologyTrainer trainer = trainer(StreamFixtures.RETRAIN, queued::add);
        TrainingRequests.Request done = request("pump-1", 2, 200);
        TrainingRequests.Request waiting = request("pump-2", 2, 200);
        assertTrue(trainer.offer(done));
        queued.remove(0).run();
        assertTrue(trainer.offer(waiting));
        trainer.forget("pump-1");
        trainer.forget("pump-2");
        queued.forEach(Runnable::run);
        assertEquals(Optional.empty(), trainer.delivered(done.point()), "the finished one was dropped");
        assertEquals(Optional.empty(), trainer.delivered(waiting.point()), "the queued one was skipped");
        assertEquals(1, metric("trainings-skipped-total"));
        assertTrue(trainer.offer(request("pump-2", 1, 300)), "the key may ask again in its next life");
    }

    @Test
    void shouldWaitForATrainingRunningAtTheSwapPointRatherThanTrainItAgain() throws InterruptedException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            TopologyTrainer trainer = trainer(StreamFixtures.RETRAIN, pool);
            // 20,000 readings: a training of seconds, still running when its key reaches the swap point
            TrainingRequests.Request request = request("pump-1", 2, 200, 20_000);
            assertTrue(trainer.offer(request));
            awaitRunning(trainer, "pump-1");
            TrainingOutcome delivered = trainer.delivered(request.point()).orElseThrow(
                    () -> new AssertionError("a running training is waited for, not withdrawn"));
            TrainingOutcome inLine = inLine(request);
            assertEquals(inLine.status(), delivered.status());
            assertTrue(inLine.accepted(), inLine.reason());
            assertArrayEquals(ModelCodec.encode(inLine.model()), ModelCodec.encode(delivered.model()),
                    "the waited-for training gives the bits the key trains in line");
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
        assertEquals(1, metric("trainings-total"), "trained once");
        assertEquals(1, metric("trainings-waited-for-total"));
        assertEquals(0, metric("trainings-skipped-total"));
    }

    @Test
    void shouldRunTheQueuedTrainingsItselfWhileItWaits() throws InterruptedException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        TrainingRequests.Request next = request("pump-2", 1, 200);
        try {
            TopologyTrainer trainer = trainer(StreamFixtures.RETRAIN, pool);
            TrainingRequests.Request first = request("pump-1", 2, 200, 20_000);
            assertTrue(trainer.offer(first));
            assertTrue(trainer.offer(next));
            awaitRunning(trainer, "pump-1");
            assertTrue(trainer.delivered(first.point()).isPresent());
            assertEquals(1, metric("trainings-helped-total"), "the waiting thread trained the queued one");
            TrainingOutcome helped = trainer.delivered(next.point()).orElseThrow(
                    () -> new AssertionError("the training it ran is delivered to its key"));
            TrainingOutcome inLine = inLine(next);
            assertTrue(inLine.accepted(), inLine.reason());
            assertArrayEquals(ModelCodec.encode(inLine.model()), ModelCodec.encode(helped.model()),
                    "the bits the key trains in line, whichever thread ran it");
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
        assertEquals(2, metric("trainings-total"), "each trained once: the training thread left the claimed one");
        assertEquals(0, metric("trainings-skipped-total"));
    }

    /** The model the request's key would train in line at its swap point. */
    private static TrainingOutcome inLine(TrainingRequests.Request request) {
        return new ModelTrainer(StreamFixtures.DETECTOR.lstm(), StreamFixtures.RETRAIN)
                .train(request.point().modelId(), request.point().version(), request.window(), null, () -> false);
    }

    private static void awaitRunning(TopologyTrainer trainer, String modelId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!trainer.running(modelId)) {
            assertTrue(System.nanoTime() < deadline, modelId + " never started");
            Thread.sleep(1);
        }
    }
}
