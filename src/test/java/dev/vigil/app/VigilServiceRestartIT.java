package dev.vigil.app;

import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.testutil.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service against a real broker: stopped mid-stream and started again on a fresh state directory (so its
 * stores are restored from their changelogs), every input is scored exactly once and the scores equal those
 * of the detector run offline without interruption; each key's injected level shift opens an alert.
 */
class VigilServiceRestartIT {
    @TempDir
    Path tmp;

    @Test
    void shouldScoreEveryEventExactlyOnceAcrossARestartAndMatchTheOfflineDetector() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        ServiceScenario scenario = new ServiceScenario("restart", 3, 1500, 1200);
        TopicSetup.createMissing(app(broker, tmp.resolve("a")), List.of(scenario.topology));
        // the producer keeps publishing (paced) while the first instance is stopped and the second started
        Thread producing = new Thread(() -> scenario.produce(broker.bootstrapServers(), true), "restart-it-producer");
        List<ConsumerRecord<String, byte[]>> scores = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = ServiceScenario.consumer(broker.bootstrapServers(),
                scenario.topology.scoresTopic())) {
            try (VigilService first = VigilService.start(app(broker, tmp.resolve("a")), List.of(scenario.topology),
                    ServiceScenario.LIMIT)) {
                producing.start();
                ServiceScenario.collect(consumer, scores, scenario.total() / 4, ServiceScenario.LIMIT);
            }
            int beforeRestart = scores.size();
            assertTrue(beforeRestart < scenario.total() / 2, "the first instance should stop mid-stream, scored "
                    + beforeRestart);
            try (VigilService second = VigilService.start(app(broker, tmp.resolve("b")), List.of(scenario.topology),
                    ServiceScenario.LIMIT)) {
                ServiceScenario.collect(consumer, scores, scenario.total(), ServiceScenario.LIMIT);
                // anything scored twice would arrive now
                ServiceScenario.collect(consumer, scores, Integer.MAX_VALUE, Duration.ofSeconds(3));
            }
        }
        producing.join();
        scenario.assertScoredExactlyOnceAsOffline(scores);
        List<ConsumerRecord<String, byte[]>> alerts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = ServiceScenario.consumer(broker.bootstrapServers(),
                scenario.topology.alertsTopic())) {
            ServiceScenario.collect(consumer, alerts, 3, Duration.ofSeconds(30));
        }
        scenario.assertAlertedAtTheShift(alerts);
    }

    private static AppConfig app(EmbeddedKafkaBroker broker, Path stateDir) {
        return new AppConfig(broker.bootstrapServers(), "restart-it", stateDir, true, 2, 1,
                Map.of("commit.interval.ms", "100"));
    }
}
