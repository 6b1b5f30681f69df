package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.config.TopologyConfigLoader;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.testutil.KafkaTestBroker;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A topology file with {@code counters} run by the service on a real broker: meters send their cumulative totals, one
 * of them reboots and counts from zero, and every score record is the detector's score of the increase (checked
 * against the detector run offline on the increases), the first reading of each key a warm-up record without a value.
 */
class CounterTopologyIT {
    private static final int KEYS = 2;
    private static final int READINGS = 300;
    private static final int REBOOT_AT = 200;

    @TempDir
    Path tmp;

    /** Meter {@code k}'s totals: the energy used each five minutes summed, meter 1 restarting from 0 at the reboot. */
    private static double[] totals(int k) {
        double[] used = SyntheticSeries.seasonal(READINGS, 3, 1.5, 288, 0.2, 70 + k);
        double[] total = new double[READINGS];
        total[0] = 52_000.25 * (k + 1);
        for (int i = 1; i < READINGS; i++) {
            double start = k == 1 && i == REBOOT_AT ? 0 : total[i - 1];
            total[i] = start + Math.max(0, used[i]);
        }
        return total;
    }

    @Test
    void shouldScoreEachMetersIncreaseFromATopologyFileWithCounters() throws Exception {
        Path file = tmp.resolve("meters.yaml");
        Files.writeString(file, """
                name: meters-it
                inputTopic: meters-it-events
                scoresTopic: meters-it-scores
                alertsTopic: meters-it-alerts
                dlqTopic: meters-it-dlq
                modelsTopic: meters-it-models
                counters: [value]
                detector:
                  retrain: {historySize: 400, minTrainPoints: 400}
                """);
        TopologyConfig topology = TopologyConfigLoader.load(file);
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        AppConfig app = ServiceScenario.serviceApp(broker.bootstrapServers(), "meters-it", tmp.resolve("state"), 2);
        Map<String, double[]> meters = new LinkedHashMap<>();
        for (int k = 0; k < KEYS; k++) {
            meters.put("meter-" + k, totals(k));
        }
        try (VigilService service = VigilService.start(app, List.of(topology), ServiceScenario.LIMIT)) {
            assertTrue(service.awaitRunning(ServiceScenario.LIMIT), "service should reach RUNNING");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    KafkaOptions.producerProperties(AppConfig.defaults(broker.bootstrapServers())))) {
                for (int i = 0; i < READINGS; i++) {
                    for (var m : meters.entrySet()) {
                        String json = "{\"ts\":" + (SyntheticSeries.START + i * SyntheticSeries.STEP_MS)
                                + ",\"value\":" + m.getValue()[i] + "}";
                        producer.send(new ProducerRecord<>(topology.inputTopic(), m.getKey(),
                                json.getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
            List<ConsumerRecord<String, byte[]>> scores = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> c = ServiceScenario.consumer(broker.bootstrapServers(),
                    topology.scoresTopic())) {
                ServiceScenario.collect(c, scores, KEYS * READINGS, ServiceScenario.LIMIT);
            }
            assertEquals(KEYS * READINGS, scores.size(), "one score record per reading, the first's too");
            for (var m : meters.entrySet()) {
                List<JsonNode> records = scores.stream().filter(r -> r.key().equals(m.getKey()))
                        .map(r -> ServiceScenario.json(r.value())).toList();
                assertScoresOfTheIncreases(m.getValue(), records);
            }

            HttpResponse<String> response = HttpProbe.get(service.http().port(), "/sensors/meter-1");
            assertEquals(200, response.statusCode(), response.body());
            JsonNode n = HttpProbe.json(response);
            double[] total = meters.get("meter-1");
            assertEquals(total[READINGS - 1], n.get("counterTotals").asDouble(), 0.0);
            assertEquals(total[READINGS - 1] - total[READINGS - 2], n.get("value").asDouble(), 0.0);
            assertEquals(READINGS - 1, n.get("events").asLong(), "the first reading is not scored");
        }
    }

    /** The records of one meter against the detector run offline (no model) on the increases its totals make. */
    private static void assertScoresOfTheIncreases(double[] total, List<JsonNode> records) {
        assertEquals(READINGS, records.size());
        JsonNode first = records.get(0);
        assertTrue(first.get("value").isNull() && first.get("warmup").asBoolean(), first.toString());
        Detector offline = new Detector(DetectorConfig.defaults());
        DetectorState state = offline.newState();
        for (int i = 1; i < READINGS; i++) {
            double increase = total[i] >= total[i - 1] ? total[i] - total[i - 1] : total[i];
            DetectorResult expected = offline.step(null, state,
                    Event.of(SyntheticSeries.START + i * SyntheticSeries.STEP_MS, increase));
            JsonNode actual = records.get(i);
            assertEquals(expected.timestamp(), actual.get("ts").asLong(), "reading " + i);
            assertEquals(increase, actual.get("value").asDouble(), 0.0, "reading " + i);
            assertEquals(Double.doubleToRawLongBits(expected.anomalyScore()),
                    Double.doubleToRawLongBits(actual.get("score").asDouble()), "reading " + i);
        }
    }
}
