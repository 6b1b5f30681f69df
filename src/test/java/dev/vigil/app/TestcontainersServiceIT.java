package dev.vigil.app;

import dev.vigil.config.AppConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service end to end against Apache's own broker image, for machines with Docker: events in, every event
 * scored exactly once as offline, alerts at the injected shifts. Skipped (never failed) without a Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersServiceIT {
    @Container
    private static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @TempDir
    Path tmp;

    @Test
    void shouldScoreAndAlertEndToEndAgainstAContainerisedBroker() throws Exception {
        String bootstrap = KAFKA.getBootstrapServers();
        ServiceScenario scenario = new ServiceScenario("containers", 2, 600, 500);
        AppConfig app = new AppConfig(bootstrap, "containers-it", tmp, true, 2, 1, Map.of());
        List<ConsumerRecord<String, byte[]>> scores = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> alerts = new ArrayList<>();
        try (VigilService service = VigilService.start(app, List.of(scenario.topology), ServiceScenario.LIMIT);
             KafkaConsumer<String, byte[]> scoreReader = ServiceScenario.consumer(bootstrap, scenario.topology.scoresTopic());
             KafkaConsumer<String, byte[]> alertReader = ServiceScenario.consumer(bootstrap, scenario.topology.alertsTopic())) {
            scenario.produce(bootstrap, false);
            ServiceScenario.collect(scoreReader, scores, scenario.total(), ServiceScenario.LIMIT);
            ServiceScenario.collect(alertReader, alerts, 2, ServiceScenario.LIMIT);
        }
        scenario.assertScoredExactlyOnceAsOffline(scores);
        scenario.assertAlertedAtTheShift(alerts);
    }
}
