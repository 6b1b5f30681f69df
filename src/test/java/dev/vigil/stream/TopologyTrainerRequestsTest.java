package dev.vigil.stream;

import dev.vigil.config.TopologyConfig;
import dev.vigil.lstm.TrainingConfig;
import dev.vigil.train.RetrainClock.Trigger;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link TopologyTrainer} takes requests from the stream threads, with the pool replaced by a recording or a
 * full one (the trainings themselves run against a real broker in {@code BackgroundTrainerIT}): never blocking,
 * refusing when full (the key asks again), one request per model in flight, one training per round of a fleet's
 * requests in shared scope.
 */
class TopologyTrainerRequestsTest {
    @TempDir
    Path tmp;

    private final Metrics metrics = new Metrics();
    private final List<Runnable> queued = new ArrayList<>();
    private KafkaStreams streams;

    @AfterEach
    void close() {
        if (streams != null) {
            streams.close();
        }
        metrics.close();
    }

    private TopologyTrainer trainer(RetrainConfig retrain, Executor pool) {
        TopologyConfig topology = StreamFixtures.singleValue();
        // never started: the requests are only queued here, nothing reads the stores and no model is published (the
        // producer is a placeholder that is never sent to; publishing runs against a real broker in the IT)
        var props = VigilTopology.streamsConfig("requests-test", "127.0.0.1:1", tmp.toString(), topology, Map.of());
        streams = new KafkaStreams(VigilTopology.build(topology, StreamFixtures.DETECTOR, retrain, props), props);
        TopologyTrainer trainer = new TopologyTrainer(topology, "requests-test",
                VigilTopology.detectorConfig(topology, StreamFixtures.DETECTOR, retrain), retrain,
                new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()), pool, metrics);
        return trainer;
    }

    private double metric(String name) {
        return metrics.metrics().entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    @Test
    void shouldRefuseUntilAttachedAndWhenTheQueueIsFullWithoutBlocking() {
        TopologyTrainer trainer = trainer(StreamFixtures.RETRAIN, task -> {
            throw new RejectedExecutionException("full");
        });
        TrainingRequests.Request request = new TrainingRequests.Request("pump-1", "pump-1", 0, Trigger.FIRST);
        assertFalse(trainer.offer(request), "no application attached yet");
        trainer.attach(streams);
        assertFalse(trainer.offer(request), "a full queue refuses: the key asks again at its next event");
        assertFalse(trainer.offer(request), "and again, not stuck as pending");
        assertEquals(2, metric("trainings-deferred-total"));
    }

    @Test
    void shouldQueueOneTrainingPerModelAtATime() {
        TopologyTrainer trainer = trainer(StreamFixtures.RETRAIN, queued::add);
        trainer.attach(streams);
        assertTrue(trainer.offer(new TrainingRequests.Request("pump-1", "pump-1", 0, Trigger.FIRST)));
        assertTrue(trainer.offer(new TrainingRequests.Request("pump-1", "pump-1", 0, Trigger.INTERVAL)),
                "covered by the one already queued");
        assertTrue(trainer.offer(new TrainingRequests.Request("pump-2", "pump-2", 0, Trigger.FIRST)));
        assertEquals(2, queued.size());
        assertEquals(2, metric("trainings-queued-total"));
    }

    @Test
    void shouldTrainASharedModelOncePerRoundOfItsKeysRequests() {
        RetrainConfig d = StreamFixtures.RETRAIN;
        RetrainConfig shared = new RetrainConfig(d.historySize(), d.minTrainPoints(), d.retrainInterval(), 0, 0,
                true, 42, RetrainConfig.SHARED, 8, 60_000, 1 << 20, TrainingConfig.defaults());
        TopologyTrainer trainer = trainer(shared, task -> {
            queued.add(task);
            task.run(); // the application is not running: the training is skipped at once, the model id freed
        });
        trainer.attach(streams);
        for (int k = 0; k < 10; k++) {
            assertTrue(trainer.offer(new TrainingRequests.Request(ModelScope.SHARED_MODEL_ID, "meter-" + k, 0, Trigger.FIRST)));
        }
        int first = queued.size();
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 10; k++) {
                assertTrue(trainer.offer(new TrainingRequests.Request(ModelScope.SHARED_MODEL_ID, "meter-" + k, 0,
                        Trigger.INTERVAL)));
            }
        }
        assertEquals(3, queued.size() - first, "ten keys asking once each per interval make one training per interval");
    }
}
