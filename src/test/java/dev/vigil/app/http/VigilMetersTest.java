package dev.vigil.app.http;

import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.stream.ModelTrainingService;
import dev.vigil.stream.VigilTopology;
import dev.vigil.testutil.PrometheusExposition;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vigil's meters read from a real topology's stream-thread sensors (TopologyTestDriver) and a real trainer's metrics,
 * rendered by the Prometheus registry and read back by an independent parser.
 */
class VigilMetersTest {
    private static final TopologyConfig TOPOLOGY = TopologyConfig.defaults();

    @TempDir
    Path tmp;

    private ServiceMeters meters;
    private TopologyTestDriver driver;
    private Metrics serviceMetrics;
    private ModelTrainingService trainer;

    @BeforeEach
    void start() {
        Properties props = VigilTopology.streamsConfig("meters-test", "127.0.0.1:1", tmp.toString(), TOPOLOGY,
                Map.of());
        driver = new TopologyTestDriver(VigilTopology.build(TOPOLOGY, DetectorConfig.defaults(),
                RetrainConfig.defaults(), props), props, Instant.parse("2026-01-01T00:00:00Z"));
        serviceMetrics = new Metrics();
        trainer = new ModelTrainingService(1, 4, serviceMetrics);
        trainer.forTopology(TOPOLOGY, "meters-test", VigilTopology.detectorConfig(TOPOLOGY, DetectorConfig.defaults(),
                        RetrainConfig.defaults()), RetrainConfig.defaults());
        meters = new ServiceMeters();
        meters.bind(new VigilMeters(List.of(new VigilMeters.Source(TOPOLOGY.name(), driver::metrics, () -> 2.0)),
                serviceMetrics::metrics));
    }

    @AfterEach
    void close() {
        meters.close();
        driver.close();
        trainer.close();
        serviceMetrics.close();
    }

    @Test
    void shouldCountEventsByOutcomeAndDeadLettersByReason() {
        TestInputTopic<byte[], byte[]> input = driver.createInputTopic(TOPOLOGY.inputTopic(), new ByteArraySerializer(),
                new ByteArraySerializer());
        for (int i = 0; i < 5; i++) {
            long ts = 1_767_225_600_000L + i * 60_000L;
            input.pipeInput(utf8("pump-1"), utf8("{\"ts\": " + ts + ", \"value\": " + i + "}"));
        }
        input.pipeInput(utf8("pump-1"), utf8("not json"));
        input.pipeInput(utf8("pump-1"), utf8("{\"ts\": 1767225600000}"));
        input.pipeInput(utf8("pump-1"), utf8("[1"));

        PrometheusExposition scrape = PrometheusExposition.parse(meters.scrape());
        Map<String, String> topology = Map.of("topology", TOPOLOGY.name());
        assertEquals(5, scrape.sum("vigil_events_total", Map.of("outcome", "scored")));
        assertEquals(3, scrape.sum("vigil_events_total", Map.of("outcome", "dead-lettered")));
        assertEquals(2, scrape.sum("vigil_dlq_records_total", Map.of("reason", "not-json")));
        assertEquals(1, scrape.sum("vigil_dlq_records_total", Map.of("reason", "missing-value")));
        assertEquals(0, scrape.sum("vigil_dlq_records_total", Map.of("reason", "late")));
        assertEquals(2, scrape.sum("vigil_alerts_open", topology), "the gauge reads its source");
        assertEquals(0, scrape.sum("vigil_model_swaps_total", topology));
        assertTrue(scrape.sum("vigil_score_latency_max_seconds", topology) > 0, "scoring time is measured");
        assertTrue(scrape.sum("vigil_score_latency_max_seconds", topology) < 10, "in seconds, not nanoseconds");
    }

    @Test
    void shouldNameEveryFamilyAfterMicrometersConventionsWithHelp() {
        PrometheusExposition scrape = PrometheusExposition.parse(meters.scrape());
        for (String family : List.of("vigil_events_total", "vigil_dlq_records_total", "vigil_alert_records_total",
                "vigil_alerts_open", "vigil_model_swaps_total", "vigil_events_replayed_total",
                "vigil_model_payloads_total",
                "vigil_state_discarded_total", "vigil_training_requests_total", "vigil_training_inline_total",
                "vigil_score_latency_avg_seconds",
                "vigil_score_latency_max_seconds", "vigil_trainer_requests_total", "vigil_trainer_trainings_total",
                "vigil_trainer_duration_avg_seconds", "vigil_trainer_duration_max_seconds", "vigil_trainer_queue_size",
                "vigil_trainer_running")) {
            assertTrue(scrape.has(family), family + " in " + scrape.names());
            assertFalse(scrape.family(family).getHelp().isBlank(), family + " has HELP");
        }
        assertEquals(3, scrape.family("vigil_model_payloads_total").getMetrics().size(),
                "accepted, refused, retracted");
        assertEquals(8, scrape.family("vigil_trainer_trainings_total").getMetrics().size(), "one series per outcome");
        assertEquals(0, scrape.sum("vigil_trainer_queue_size"));
        assertTrue(scrape.has("jvm_memory_used_bytes"), "the JVM binders are bound");
        assertTrue(scrape.has("process_cpu_usage"), "and the processor's");
    }

    @Test
    void shouldShowTheDecodedStatesCachedAndHeldBehind() {
        meters.bind(new dev.vigil.stream.DecodedStates(1_000_000));
        PrometheusExposition scrape = PrometheusExposition.parse(meters.scrape());
        for (String family : List.of("vigil_state_cache_states", "vigil_state_cache_bytes",
                "vigil_state_cache_max_bytes", "vigil_state_held_states", "vigil_state_held_bytes")) {
            assertTrue(scrape.has(family), family + " in " + scrape.names());
            assertFalse(scrape.family(family).getHelp().isBlank(), family + " has HELP");
        }
        assertEquals(1_000_000, scrape.sum("vigil_state_cache_max_bytes"));
        assertEquals(0, scrape.sum("vigil_state_held_states"), "nothing held yet");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
