package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.score.ScoringConfig;
import dev.vigil.testutil.KafkaTestBroker;
import dev.vigil.testutil.PrometheusExposition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP endpoint of a running service against a real broker: health, readiness, Prometheus metrics (Vigil's
 * meters, Kafka Streams' and the JVM's through Micrometer, read back by an independent parser), the dashboard's page
 * and fleet, and a key's state and history read by interactive query,
 * checked against the detector run offline on the same events.
 */
class HttpEndpointIT {
    @TempDir
    Path tmp;

    @Test
    void shouldServeHealthReadinessMetricsAndKeyStateOfARunningService() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        ServiceScenario scenario = new ServiceScenario("http-it", 2, 400, 385);
        AppConfig app = ServiceScenario.serviceApp(broker.bootstrapServers(), "http-it", tmp, 2);
        try (VigilService service = VigilService.start(app, List.of(scenario.topology), ServiceScenario.LIMIT)) {
            int port = service.http().port();
            assertTrue(service.awaitRunning(ServiceScenario.LIMIT), "service should reach RUNNING");
            scenario.produce(broker.bootstrapServers(), false);
            List<ConsumerRecord<String, byte[]>> scores = scenario.collectScores(broker.bootstrapServers());
            assertEquals(scenario.total(), scores.size());

            HttpResponse<String> health = HttpProbe.get(port, "/health");
            assertEquals(200, health.statusCode(), health.body());
            assertEquals("UP", HttpProbe.json(health).get("status").asText());
            HttpResponse<String> ready = HttpProbe.get(port, "/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("RUNNING", HttpProbe.json(ready).get("topologies").get("http-it").asText());

            HttpResponse<String> metrics = HttpProbe.get(port, "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            PrometheusExposition scrape = PrometheusExposition.parse(metrics.body());
            assertEquals(scenario.total(), scrape.sum("vigil_events_total", Map.of("outcome", "scored")), 0.0);
            assertEquals(0, scrape.sum("vigil_events_total", Map.of("outcome", "dead-lettered")), 0.0);
            assertTrue(scrape.sum("vigil_score_latency_max_seconds") > 0, "score latency is measured");
            assertTrue(scrape.sum("kafka_stream_thread_process_total", Map.of("topology", "http-it")) > 0,
                    "Kafka Streams' own metrics through Micrometer's binder, tagged with the topology");
            assertTrue(scrape.names().stream().noneMatch(n -> n.startsWith("kafka_stream_vigil")),
                    "Vigil's stream counters appear once, as vigil_*: " + scrape.names());
            assertTrue(scrape.has("jvm_memory_used_bytes") && scrape.has("jvm_threads_live_threads"), "JVM binders");
            assertEquals(openAlertsOffline(scenario), scrape.sum("vigil_alerts_open", Map.of("topology", "http-it")),
                    0.0);
            assertKeyStateMatchesOffline(port, scenario, "key-1");
            assertHistoryIsTheKeysReadings(port, scenario, "key-0");

            assertEquals(404, HttpProbe.get(port, "/sensors/no-such-key").statusCode());
            assertEquals(404, HttpProbe.get(port, "/sensors/no-such-key/history").statusCode());
            assertEquals(404, HttpProbe.get(port, "/sensors/key-0?topology=other").statusCode());
            assertEquals(200, HttpProbe.get(port, "/sensors/key-0?topology=http-it").statusCode());
            assertEquals(404, HttpProbe.get(port, "/nothing-here").statusCode());
            HttpResponse<String> page = HttpProbe.get(port, "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(page.body().contains("dashboard/uPlot.iife.min.js"), page.body());
            assertTrue(HttpProbe.get(port, "/dashboard/uPlot.iife.min.js").body().contains("uPlot"),
                    "uPlot from the jar");
            assertEquals(404, HttpProbe.get(port, "/dashboard/nothing.js").statusCode());
            JsonNode fleet = HttpProbe.json(HttpProbe.get(port, "/api/fleet?sort=key&order=asc"));
            assertEquals(2, fleet.get("total").asInt(), fleet.toString());
            assertEquals(400, HttpProbe.get(port, "/api/fleet?sort=colour").statusCode());
        }
    }

    /** Keys whose alert is open after all their events, by the offline detector. */
    private static double openAlertsOffline(ServiceScenario scenario) {
        int open = 0;
        for (List<Event> events : scenario.events.values()) {
            Detector offline = new Detector(DetectorConfig.defaults());
            DetectorState state = offline.newState();
            events.forEach(e -> offline.step(null, state, e));
            open += state.score().alertOpen() ? 1 : 0;
        }
        assertTrue(open > 0, "the scenario ends with alerts open (its level shifts are recent)");
        return open;
    }

    private static void assertKeyStateMatchesOffline(int port, ServiceScenario scenario, String key) {
        Detector offline = new Detector(DetectorConfig.defaults());
        DetectorState state = offline.newState();
        DetectorResult last = null;
        for (Event e : scenario.events.get(key)) {
            last = offline.step(null, state, e);
        }
        HttpResponse<String> response = HttpProbe.get(port, "/sensors/" + key);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode n = HttpProbe.json(response);
        assertEquals(key, n.get("key").asText());
        assertEquals(scenario.eventsPerKey, n.get("events").asLong());
        assertEquals(last.timestamp(), n.get("lastTimestamp").asLong());
        assertEquals(scenario.events.get(key).get(0).timestamp(), n.get("firstTimestamp").asLong());
        assertEquals(state.ageAt(last.timestamp()) < ScoringConfig.DAY_MS, n.get("youngRange").asBoolean());
        assertEquals(state.score().excursions().jumpsSeen() >= dev.vigil.score.Scorer.JUMP_SETTLE,
                n.get("jumpsLearnt").asBoolean());
        assertEquals(state.score().excursions().spikesSeen() >= dev.vigil.score.Scorer.JUMP_SETTLE,
                n.get("spikesLearnt").asBoolean());
        assertEquals(new dev.vigil.score.Scorer(DetectorConfig.defaults().scoring()).hourWeight(
                state.ageAt(last.timestamp()), last.timestamp()), n.get("timeOfDayWeight").asDouble(), 0.0);
        assertEquals("UTC", n.get("timeZone").asText());
        assertEquals(0, n.get("timeZoneOffsetMs").asLong());
        // the rhythm signal, on by default: its state as the offline replay has it
        dev.vigil.score.RhythmState rhythm = state.score().rhythm();
        assertEquals(rhythm.weekendReadings(), n.get("weekendReadings").asLong(), n.toString());
        assertEquals(dev.vigil.score.Scorer.rhythmJudges(state.score(), 0), n.get("rhythmJudged").asBoolean(),
                n.toString());
        if (rhythm.swing()[0] > 0) {
            assertEquals(rhythm.follow()[0] / rhythm.swing()[0], n.get("rhythmFollowed").asDouble(), 0.0);
        } else {
            assertTrue(n.get("rhythmFollowed").isNull(), "no swing learnt yet: " + n);
        }
        assertEquals(dev.vigil.score.Scorer.HOUR_BINS, n.get("usualOnWeekends").size(), n.toString());
        JsonNode usual = n.get("usualByTimeOfDay");
        assertEquals(dev.vigil.score.Scorer.HOUR_BINS, usual.size(), n.toString());
        for (int b = 0; b < usual.size(); b++) {
            assertEquals(state.score().center()[0] + state.score().hourMean()[b], usual.get(b).asDouble(), 0.0);
        }
        assertEquals(last.values()[0], n.get("value").asDouble(), 0.0);
        assertEquals(state.prediction()[0], n.get("prediction").asDouble(), 0.0);
        // the error ring keeps raw scores at float precision (state format 13)
        assertEquals((float) last.rawScore(), (float) n.get("rawScore").asDouble(), 0.0f);
        assertEquals(last.anomalyScore(), n.get("score").asDouble(), 0.0);
        assertEquals(last.alertOpen(), n.get("alertOpen").asBoolean());
        assertEquals(state.score().alertsOpened(), n.get("alertsOpened").asLong());
        assertTrue(n.get("alertsOpened").asLong() >= 1, "the level shift opened an alert: " + n);
        assertEquals(0, n.get("modelVersion").asLong());
        assertEquals(false, n.get("warmup").asBoolean());
    }

    private static void assertHistoryIsTheKeysReadings(int port, ServiceScenario scenario, String key) {
        HttpResponse<String> response = HttpProbe.get(port, "/sensors/" + key + "/history");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode n = HttpProbe.json(response);
        List<Event> events = scenario.events.get(key);
        assertEquals(events.size(), n.get("size").asInt());
        JsonNode timestamps = n.get("timestamps");
        JsonNode values = n.get("values").get("value");
        for (int i = 0; i < events.size(); i++) {
            assertEquals(events.get(i).timestamp(), timestamps.get(i).asLong(), "timestamp " + i);
            assertEquals(events.get(i).values()[0], values.get(i).asDouble(), 0.0, "value " + i);
        }
    }
}
