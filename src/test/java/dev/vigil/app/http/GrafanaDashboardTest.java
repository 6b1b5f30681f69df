package dev.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.stream.VigilTopology;
import dev.vigil.testutil.PrometheusExposition;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.streams.KafkaStreams;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard that docker-compose provisions ({@code monitoring/grafana/dashboards/vigil.json}) parses, uses
 * the provisioned data source, and every metric its queries name, with the labels they match on, is in what
 * {@code /metrics} serves: a scrape of the service's registry bound to a real (unstarted) Kafka Streams application.
 * The same holds for every family {@code docs/metrics.md} names.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("monitoring", "grafana", "dashboards", "vigil.json");
    private static final Path METRICS_PAGE = Path.of("docs", "metrics.md");
    private static final Path DATASOURCE =
            Path.of("monitoring", "grafana", "provisioning", "datasources", "prometheus.yml");
    /** A metric selector: a name of one of the served prefixes, then its label matchers if any. */
    private static final String NAME = "((?:vigil|kafka|jvm|process|system)_[a-z0-9_]+)";
    private static final Pattern SELECTOR = Pattern.compile("\\b" + NAME + "(\\{[^}]*})?");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @TempDir
    Path tmp;

    @Test
    void shouldParseAndQueryOnlyMetricsThatVigilServes() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertEquals("vigil", dashboard.get("uid").asText());
        String datasource = new ObjectMapper(new YAMLFactory()).readTree(DATASOURCE.toFile())
                .get("datasources").get(0).get("uid").asText();
        PrometheusExposition scrape = scrape();
        List<String> checked = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            String title = panel.get("title").asText();
            assertEquals(datasource, panel.get("datasource").get("uid").asText(), title);
            assertFalse(panel.get("targets").isEmpty(), title + " has queries");
            for (JsonNode target : panel.get("targets")) {
                String expr = target.get("expr").asText();
                Matcher m = SELECTOR.matcher(expr);
                assertTrue(m.find(), title + ": no Vigil, Kafka or JVM metric in " + expr);
                do {
                    assertServed(scrape, m.group(1), m.group(2), title);
                    checked.add(m.group(1));
                } while (m.find());
            }
        }
        assertTrue(checked.stream().anyMatch(n -> n.startsWith("vigil_")), "the dashboard shows Vigil's own meters");
        assertTrue(checked.contains("kafka_consumer_fetch_manager_records_lag_max"), "and the input lag");
    }

    @Test
    void shouldNameOnlyServedFamiliesOnTheMetricsPage() throws Exception {
        PrometheusExposition scrape = scrape();
        Matcher m = Pattern.compile("`" + NAME + "`").matcher(Files.readString(METRICS_PAGE));
        List<String> named = new ArrayList<>();
        while (m.find()) {
            named.add(m.group(1));
        }
        assertTrue(named.size() > 20, "the page names the families: " + named);
        for (String name : named) {
            family(scrape, name);
        }
    }

    private static void assertServed(PrometheusExposition scrape, String sample, String selector, String panel) {
        String family = family(scrape, sample);
        Map<String, String> labels = new HashMap<>();
        if (selector != null) {
            Matcher m = MATCHER.matcher(selector);
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        boolean found = false;
        for (Metric metric : scrape.family(family).getMetrics()) {
            found |= metric.getLabels().entrySet().containsAll(labels.entrySet());
        }
        assertTrue(found, panel + ": no series " + sample + labels + " in /metrics");
    }

    /** The family of a sample name: itself, or a summary's or histogram's for its _sum, _count, _bucket. */
    private static String family(PrometheusExposition scrape, String sample) {
        if (scrape.has(sample)) {
            return sample;
        }
        String base = sample.replaceAll("_(sum|count|bucket)$", "");
        assertTrue(scrape.has(base), sample + " is not in /metrics");
        MetricFamily f = scrape.family(base);
        assertTrue(f.getType() == MetricType.SUMMARY || f.getType() == MetricType.HISTOGRAM, sample);
        return base;
    }

    /** What /metrics serves for a topology: JVM, Kafka Streams (an application built but not started) and Vigil. */
    private PrometheusExposition scrape() throws IOException, InterruptedException {
        TopologyConfig topology = TopologyConfig.defaults();
        Properties props = VigilTopology.streamsConfig("grafana-test", "127.0.0.1:1", tmp.toString(), topology,
                Map.of());
        try (KafkaStreams streams = new KafkaStreams(VigilTopology.build(topology, DetectorConfig.defaults(),
                RetrainConfig.defaults(), props), props); Metrics service = new Metrics();
             ServiceMeters meters = new ServiceMeters();
             ClusterProbe probe = ClusterProbe.start("127.0.0.1:1", Map.of()); DataLane lane = new DataLane()) {
            meters.bind(List.of(new ServedTopology(topology, DetectorConfig.defaults(), streams)), service);
            meters.bind(new dev.vigil.stream.DecodedModels(1 << 20));
            meters.bind(new dev.vigil.stream.DecodedStates(1 << 20));
            meters.bindRocksDb(32L << 20);
            meters.bind(probe);
            meters.bind(lane);
            // Micrometer registers the GC pause timer at the first collection it is told of
            for (int i = 0; i < 50 && !meters.scrape().contains("jvm_gc_pause_seconds_count"); i++) {
                System.gc();
                Thread.sleep(100);
            }
            return PrometheusExposition.parse(meters.scrape());
        }
    }
}
