package dev.vigil.testutil;

import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.Summary;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A Prometheus text-format (0.0.4) scrape read by an independent parser (Hawkular's prometheus-scraper), made strict:
 * that parser skips a line it cannot read, so every sample line of the text must come back as a sample, or the
 * read fails. Also fails on a family named twice and on samples of one family with different label names (which
 * Prometheus stores as unrelated series and PromQL aggregations then miss).
 */
public final class PrometheusExposition {
    private final Map<String, MetricFamily> families;

    private PrometheusExposition(Map<String, MetricFamily> families) {
        this.families = families;
    }

    /** Parses {@code text}; throws AssertionError when it is not a clean exposition. */
    public static PrometheusExposition parse(String text) {
        Map<String, MetricFamily> families = new LinkedHashMap<>();
        int samples = 0;
        TextPrometheusMetricDataParser parser = new TextPrometheusMetricDataParser(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        try {
            for (MetricFamily f = parser.parse(); f != null; f = parser.parse()) {
                if (families.put(f.getName(), f) != null) {
                    throw new AssertionError("family " + f.getName() + " appears twice");
                }
                Set<String> labelNames = null;
                for (Metric m : f.getMetrics()) {
                    samples += sampleLines(m);
                    if (labelNames != null && !labelNames.equals(m.getLabels().keySet())) {
                        throw new AssertionError("family " + f.getName() + " mixes label names " + labelNames
                                + " and " + m.getLabels().keySet());
                    }
                    labelNames = m.getLabels().keySet();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long lines = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
        if (lines != samples) {
            throw new AssertionError("the parser read " + samples + " samples of " + lines + " sample lines:\n" + text);
        }
        return new PrometheusExposition(families);
    }

    private static int sampleLines(Metric m) {
        if (m instanceof Summary s) {
            return s.getQuantiles().size() + 2;
        }
        if (m instanceof Histogram h) {
            return h.getBuckets().size() + 2;
        }
        return 1;
    }

    /** The family, or AssertionError naming the families there are. */
    public MetricFamily family(String name) {
        MetricFamily f = families.get(name);
        if (f == null) {
            throw new AssertionError("no family " + name + " in " + families.keySet());
        }
        return f;
    }

    public boolean has(String name) {
        return families.containsKey(name);
    }

    public Set<String> names() {
        return families.keySet();
    }

    /** Sum of the values of the counter or gauge samples of {@code name} whose labels include {@code labels}. */
    public double sum(String name, Map<String, String> labels) {
        double sum = 0;
        for (Metric m : family(name).getMetrics()) {
            if (m.getLabels().entrySet().containsAll(labels.entrySet())) {
                sum += m instanceof Counter c ? c.getValue() : ((Gauge) m).getValue();
            }
        }
        return sum;
    }

    public double sum(String name) {
        return sum(name, Map.of());
    }
}
