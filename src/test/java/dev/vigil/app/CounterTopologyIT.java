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
 * of them reboots and counts from zero, another is offline for twelve hours, and every score record is the detector's
 * score of the increase (checked against the detector run offline on the values reported), the increase after the
 * outage spread over it, the first reading of each key a warm-up record without a value.
 */
class CounterTopologyIT {
    private static final int KEYS = 3;
    private static final int READINGS = 300;
    private static final int REBOOT_AT = 200;
    /** Meter 2 is offline for twelve hours (144 readings) before its reading number OUTAGE_AT. */
    private static final int OUTAGE_AT = 250;
    private static final int OUTAGE = 144;

    @TempDir
    Path tmp;

    /**
     * Meter {@code k}'s totals: the energy used each five minutes summed, meter 1 restarting from 0 at the reboot,
     * meter 2 counting on through its outage (the energy of the twelve hours it was away in its next total).
     */
    private static double[] totals(int k) {
        double[] used = SyntheticSeries.seasonal(READINGS + OUTAGE, 3, 1.5, 288, 0.2, 70 + k);
        double[] total = new double[READINGS];
        total[0] = 52_000.25 * (k + 1);
        for (int i = 1; i < READINGS; i++) {
            double start = k == 1 && i == REBOOT_AT ? 0 : total[i - 1];
            total[i] = start + Math.max(0, used[i]);
            if (k == 2 && i == OUTAGE_AT) {
                for (int j = 1; j <= OUTAGE; j++) {
                    total[i] += Math.max(0, used[READINGS + j - 1]);
                }
            }
        }
        return total;
    }

    /** Event time of meter {@code k}'s reading {@code i}. */
    private static long time(int k, int i) {
        return SyntheticSeries.START + (i + (k == 2 && i >= OUTAGE_AT ? OUTAGE : 0)) * SyntheticSeries.STEP_MS;
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
                    for (int k = 0; k < KEYS; k++) {
                        var m = Map.entry("meter-" + k, meters.get("meter-" + k));
                        String json = "{\"ts\":" + time(k, i) + ",\"value\":" + m.getValue()[i] + "}";
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
            for (int k = 0; k < KEYS; k++) {
                String key = "meter-" + k;
                List<JsonNode> records = scores.stream().filter(r -> r.key().equals(key))
                        .map(r -> ServiceScenario.json(r.value())).toList();
                assertScoresOfTheIncreases(k, meters.get(key), records);
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

    /**
     * The records of meter {@code k} against the detector run offline (no model) on the values they report: the
     * increases its totals make, a restart counted from 0, and after the outage the increase spread over it.
     */
    private static void assertScoresOfTheIncreases(int k, double[] total, List<JsonNode> records) {
        assertEquals(READINGS, records.size());
        JsonNode first = records.get(0);
        assertTrue(first.get("value").isNull() && first.get("warmup").asBoolean(), first.toString());
        Detector offline = new Detector(DetectorConfig.defaults());
        DetectorState state = offline.newState();
        for (int i = 1; i < READINGS; i++) {
            double increase = total[i] >= total[i - 1] ? total[i] - total[i - 1] : total[i];
            JsonNode actual = records.get(i);
            double value = actual.get("value").asDouble();
            if (k == 2 && i == OUTAGE_AT) {
                // twelve hours' energy in one total: spread, the mean a usual interval, about one reading's worth
                assertEquals(increase / (OUTAGE + 1), value, 1e-9, "the outage's increase spread over it");
                assertTrue(actual.get("prediction").isNull(), "not judged against the prediction before the outage");
            } else {
                assertEquals(increase, value, 0.0, "reading " + i);
            }
            DetectorResult expected = offline.step(null, state, Event.of(time(k, i), value));
            assertEquals(expected.timestamp(), actual.get("ts").asLong(), "reading " + i);
            assertEquals(Double.doubleToRawLongBits(expected.anomalyScore()),
                    Double.doubleToRawLongBits(actual.get("score").asDouble()), "reading " + i);
        }
    }
}
