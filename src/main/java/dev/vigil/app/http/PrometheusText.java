package dev.vigil.app.http;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka metrics in the Prometheus text exposition format (version 0.0.4). A metric {@code name} of group
 * {@code group} becomes the family {@code <group>_<name>} with every character outside {@code [A-Za-z0-9_]}
 * replaced by '_' (so {@code stream-vigil-metrics} / {@code records-scored-total} becomes
 * {@code stream_vigil_metrics_records_scored_total}); its tags become labels (names sanitised the same way, values
 * escaped); its description becomes the {@code # HELP} line. Families whose name ends in {@code _total} (Kafka's
 * cumulative sums and counts) are typed {@code counter}, the others {@code gauge}. Only numeric values are
 * rendered (NaN and infinities as {@code NaN}, {@code +Inf}, {@code -Inf}); string-valued metrics such as
 * {@code app-info}'s version are left out. A sample whose family and labels repeat one already rendered is
 * dropped, so the output stays valid when registries overlap. Families are sorted by name, samples by labels.
 * Stateless; thread-safe.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /** One family: help, type and samples by rendered label set. */
    private record Family(String help, TreeMap<String, String> samples) {
    }

    /** Every numeric metric of every registry (e.g. {@code KafkaStreams#metrics()}, {@code Metrics#metrics()}). */
    public static String render(List<? extends Map<MetricName, ? extends Metric>> registries) {
        Map<String, Family> families = new TreeMap<>();
        for (Map<MetricName, ? extends Metric> registry : registries) {
            for (Map.Entry<MetricName, ? extends Metric> e : registry.entrySet()) {
                String value = value(e.getValue().metricValue());
                if (value == null) {
                    continue;
                }
                MetricName name = e.getKey();
                Family family = families.computeIfAbsent(familyName(name),
                        k -> new Family(name.description(), new TreeMap<>()));
                family.samples().putIfAbsent(labels(name.tags()), value);
            }
        }
        StringBuilder out = new StringBuilder(families.size() * 200);
        for (Map.Entry<String, Family> f : families.entrySet()) {
            String family = f.getKey();
            String help = f.getValue().help();
            if (help != null && !help.isEmpty()) {
                out.append("# HELP ").append(family).append(' ').append(escapeHelp(help)).append('\n');
            }
            out.append("# TYPE ").append(family).append(family.endsWith("_total") ? " counter\n" : " gauge\n");
            for (Map.Entry<String, String> sample : f.getValue().samples().entrySet()) {
                out.append(family).append(sample.getKey()).append(' ').append(sample.getValue()).append('\n');
            }
        }
        return out.toString();
    }

    /** {@code <group>_<name>}, sanitised to {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    static String familyName(MetricName name) {
        return sanitise(name.group() + "_" + name.name());
    }

    /** A metric or label name with every character outside {@code [A-Za-z0-9_]} as '_' and no leading digit. */
    static String sanitise(String raw) {
        StringBuilder s = new StringBuilder(raw.length() + 1);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
            s.append(ok ? c : '_');
        }
        if (s.length() == 0 || Character.isDigit(s.charAt(0))) {
            s.insert(0, '_');
        }
        return s.toString();
    }

    /** {@code {a="x",b="y"}} with tags sorted by name, or empty without tags. */
    static String labels(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append(sanitise(t.getKey())).append("=\"").append(escapeLabel(t.getValue())).append('"');
        }
        return s.append('}').toString();
    }

    /** The sample value of a numeric metric value, or null for anything else. */
    static String value(Object v) {
        if (!(v instanceof Number n)) {
            return null;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d)) {
                return "NaN";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "+Inf" : "-Inf";
            }
            return Double.toString(d);
        }
        return n.toString();
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
