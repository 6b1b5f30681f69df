package dev.vigil.app.http;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Prometheus text rendering of Kafka metrics, on real {@link Metrics} registries. */
class PrometheusTextTest {
    /** A sample line of the text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\")*})? "
                    + "(NaN|[+-]Inf|-?[0-9.]+(E-?[0-9]+)?)");

    @Test
    void shouldRenderCountersWithSnakeCasedNamesTagsAsLabelsAndHelp() {
        try (Metrics metrics = new Metrics()) {
            Sensor scored = metrics.sensor("scored");
            scored.add(metrics.metricName("records-scored-total", "stream-vigil-metrics", "Events scored",
                    Map.of("thread-id", "t-1", "vigil-id", "sensors")), new CumulativeCount());
            scored.record();
            scored.record();
            scored.record();
            String text = PrometheusText.render(List.of(metrics.metrics()));
            assertTrue(text.contains("# HELP stream_vigil_metrics_records_scored_total Events scored\n"
                    + "# TYPE stream_vigil_metrics_records_scored_total counter\n"
                    + "stream_vigil_metrics_records_scored_total{thread_id=\"t-1\",vigil_id=\"sensors\"} 3.0\n"), text);
        }
    }

    @Test
    void shouldRenderNonCountersAsGaugesKeepNaNAndLeaveOutNonNumericValues() {
        try (Metrics metrics = new Metrics()) {
            Sensor latency = metrics.sensor("latency");
            latency.add(metrics.metricName("score-latency-avg", "stream-vigil-metrics", "avg", Map.of()), new Avg());
            metrics.addMetric(metrics.metricName("version", "app-info", "version", Map.of()),
                    (Gauge<String>) (config, now) -> "4.4.0");
            String text = PrometheusText.render(List.of(metrics.metrics()));
            assertTrue(text.contains("# TYPE stream_vigil_metrics_score_latency_avg gauge\n"
                    + "stream_vigil_metrics_score_latency_avg NaN\n"), text);
            assertFalse(text.contains("app_info_version"), text);
        }
    }

    @Test
    void shouldEscapeLabelValuesAndHelpAndSanitiseNames() {
        Map<MetricName, FixedMetric> registry = new LinkedHashMap<>();
        MetricName odd = new MetricName("9-lives.count", "my group", "line one\nback\\slash",
                Map.of("client.id", "a\"b\\c\nd"));
        registry.put(odd, new FixedMetric(odd, 7L));
        String text = PrometheusText.render(List.of(registry));
        assertEquals("# HELP my_group_9_lives_count line one\\nback\\\\slash\n"
                + "# TYPE my_group_9_lives_count gauge\n"
                + "my_group_9_lives_count{client_id=\"a\\\"b\\\\c\\nd\"} 7\n", text);
        assertEquals("_9_lives", PrometheusText.sanitise("9-lives"));
    }

    @Test
    void shouldGroupOneFamilyAcrossRegistriesAndDropRepeatedLabelSets() {
        MetricName a = new MetricName("alerts-total", "stream-vigil-metrics", "Alerts", Map.of("vigil-id", "sensors"));
        MetricName b = new MetricName("alerts-total", "stream-vigil-metrics", "Alerts", Map.of("vigil-id", "machines"));
        MetricName aAgain = new MetricName("alerts-total", "stream-vigil-metrics", "Alerts", Map.of("vigil-id", "sensors"));
        MetricName inf = new MetricName("x", "g", "", Map.of());
        String text = PrometheusText.render(List.of(
                Map.of(a, new FixedMetric(a, 1.0), inf, new FixedMetric(inf, Double.NEGATIVE_INFINITY)),
                Map.of(b, new FixedMetric(b, 2.0), aAgain, new FixedMetric(aAgain, 99.0))));
        // families sorted by name, one HELP/TYPE each, samples sorted by labels; no HELP without a description
        assertEquals("# TYPE g_x gauge\n"
                + "g_x -Inf\n"
                + "# HELP stream_vigil_metrics_alerts_total Alerts\n"
                + "# TYPE stream_vigil_metrics_alerts_total counter\n"
                + "stream_vigil_metrics_alerts_total{vigil_id=\"machines\"} 2.0\n"
                + "stream_vigil_metrics_alerts_total{vigil_id=\"sensors\"} 1.0\n", text);
    }

    @Test
    void shouldProduceOnlyValidLinesForARealisticRegistry() {
        try (Metrics metrics = new Metrics()) {
            for (String topology : List.of("sensors", "machines")) {
                Sensor s = metrics.sensor("s-" + topology);
                s.add(metrics.metricName("records-scored-total", "stream-vigil-metrics", "", Map.of("vigil-id", topology)),
                        new CumulativeCount());
                s.add(metrics.metricName("records-scored-rate", "stream-vigil-metrics", "", Map.of("vigil-id", topology)),
                        new Avg());
                s.record(1.5);
            }
            for (String line : PrometheusText.render(List.of(metrics.metrics())).split("\n")) {
                assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || SAMPLE.matcher(line).matches(), line);
            }
        }
    }

    @Test
    void shouldRenderOnlyNumbers() {
        assertEquals("3", PrometheusText.value(3L));
        assertEquals("0.25", PrometheusText.value(0.25));
        assertEquals("+Inf", PrometheusText.value(Double.POSITIVE_INFINITY));
        assertNull(PrometheusText.value("RUNNING"));
        assertNull(PrometheusText.value(null));
    }

    /** A metric with a fixed value. */
    private record FixedMetric(MetricName metricName, Object metricValue) implements org.apache.kafka.common.Metric {
    }
}
