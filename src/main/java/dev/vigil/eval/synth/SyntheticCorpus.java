package dev.vigil.eval.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.VigilException;
import dev.vigil.eval.AnomalyCatalog;
import dev.vigil.eval.AnomalyKind;
import dev.vigil.eval.InjectedAnomaly;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A labelled synthetic corpus in NAB's layout ({@code vigil synth}): a second, unlimited development corpus whose
 * every anomaly is known by kind and row. Deterministic for a seed. Written as
 * <pre>
 * DIR/data/&lt;base&gt;/series_NNN.csv      timestamp,value rows, as NAB writes them
 * DIR/labels/combined_windows.json     NAB windows: int(0.10 * rows / anomalies) rows centred on each onset
 * DIR/labels/combined_labels.json      the onsets' timestamps
 * DIR/labels/anomalies.json            each anomaly's kind, start row, end row and how it was made
 * DIR/labels/series.json               each series' base, step, rows and regime changes (which are not anomalies)
 * </pre>
 * See {@link CorpusPlanner} for what goes where and {@link SeriesRenderer} for how readings are drawn.
 */
public final class SyntheticCorpus {
    /** The most series one corpus holds. */
    public static final int MAX_SERIES = 10_000;
    private static final DateTimeFormatter LABEL_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final List<SyntheticSeries> series;

    private SyntheticCorpus(List<SyntheticSeries> series) {
        this.series = series;
    }

    /**
     * Generates a corpus.
     *
     * @param count number of series, 1..{@link #MAX_SERIES}; every kind appears once there are at least 12
     * @param seed  the seed: the same seed gives the same corpus, byte for byte
     * @throws VigilException for a count out of range
     */
    public static SyntheticCorpus generate(int count, long seed) {
        if (count < 1 || count > MAX_SERIES) {
            throw new VigilException("series must be in [1, " + MAX_SERIES + "], got " + count);
        }
        List<SyntheticSeries> out = new ArrayList<>();
        for (SeriesPlan p : CorpusPlanner.plan(count, seed)) {
            out.add(build(p, SeriesRenderer.render(p)));
        }
        return new SyntheticCorpus(List.copyOf(out));
    }

    private static SyntheticSeries build(SeriesPlan p, SeriesRenderer.Rendered r) {
        int n = p.rows();
        String[] ts = new String[n];
        String[] vs = new String[n];
        for (int i = 0; i < n; i++) {
            ts[i] = p.time(i).format(SeriesPlan.DATA_FORMAT);
            vs[i] = ValueText.format(r.values()[i]);
        }
        int half = CorpusPlanner.windowHalf(n, Math.max(1, r.anomalies().size()));
        List<SyntheticSeries.Window> windows = r.anomalies().stream()
                .map(a -> new SyntheticSeries.Window(Math.max(0, a.start() - half), Math.min(n - 1, a.start() + half)))
                .toList();
        List<SyntheticSeries.Regime> regimes = p.regimes().stream().map(g -> new SyntheticSeries.Regime(
                g.change().name().toLowerCase(Locale.ROOT), g.start(), g.end(), g.size())).toList();
        return new SyntheticSeries(p.relativePath(), ts, vs, r.anomalies(), windows, p.base().folder(),
                p.stepSeconds(), p.shape().name().toLowerCase(Locale.ROOT), regimes);
    }

    /** The series, in index order. */
    public List<SyntheticSeries> series() {
        return series;
    }

    /** The anomalies of every series (an entry, possibly empty, per file). */
    public AnomalyCatalog anomalies() {
        Map<String, List<InjectedAnomaly>> byPath = new LinkedHashMap<>();
        series.forEach(s -> byPath.put(s.relativePath(), s.anomalies()));
        return AnomalyCatalog.of(byPath);
    }

    /** How many anomalies of each kind the corpus holds, in the kinds' order. */
    public Map<AnomalyKind, Integer> kindCounts() {
        Map<AnomalyKind, Integer> counts = new EnumMap<>(AnomalyKind.class);
        series.forEach(s -> s.anomalies().forEach(a -> counts.merge(a.kind(), 1, Integer::sum)));
        return counts;
    }

    /** Total rows over every series. */
    public long rows() {
        return series.stream().mapToLong(SyntheticSeries::size).sum();
    }

    /**
     * Writes the corpus under {@code dir} (layout in the class comment).
     *
     * @throws VigilException if {@code dir/data} or {@code dir/labels} already holds files, or writing fails
     */
    public void write(Path dir) {
        for (String sub : List.of("data", "labels")) {
            if (holdsFiles(dir.resolve(sub))) {
                throw new VigilException(dir.resolve(sub) + " already holds files: write a synthetic corpus to an"
                        + " empty folder");
            }
        }
        try {
            for (SyntheticSeries s : series) {
                writeSeries(dir.resolve("data").resolve(s.relativePath()), s);
            }
            Path labels = dir.resolve("labels");
            Files.createDirectories(labels);
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            json.writeValue(labels.resolve("combined_windows.json").toFile(), windowsJson(json));
            json.writeValue(labels.resolve("combined_labels.json").toFile(), onsetsJson(json));
            json.writeValue(labels.resolve("series.json").toFile(), seriesJson(json));
            anomalies().write(labels.resolve("anomalies.json"));
        } catch (IOException e) {
            throw new VigilException("cannot write the synthetic corpus to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean holdsFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Files.exists(dir);
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new VigilException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void writeSeries(Path file, SyntheticSeries s) throws IOException {
        Files.createDirectories(file.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("timestamp,value\n");
            for (int i = 0; i < s.size(); i++) {
                out.write(s.timestamps()[i]);
                out.write(',');
                out.write(s.values()[i]);
                out.write('\n');
            }
        }
    }

    private ObjectNode windowsJson(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        for (SyntheticSeries s : series) {
            ArrayNode list = root.putArray(s.relativePath());
            for (SyntheticSeries.Window w : s.windows()) {
                list.addArray().add(labelTime(s, w.first())).add(labelTime(s, w.last()));
            }
        }
        return root;
    }

    private ObjectNode onsetsJson(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        for (SyntheticSeries s : series) {
            ArrayNode list = root.putArray(s.relativePath());
            s.anomalies().forEach(a -> list.add(s.timestamps()[a.start()]));
        }
        return root;
    }

    private ObjectNode seriesJson(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        for (SyntheticSeries s : series) {
            ObjectNode one = root.putObject(s.relativePath());
            one.put("base", s.base()).put("shape", s.shape()).put("stepSeconds", s.stepSeconds())
                    .put("rows", s.size());
            ArrayNode regimes = one.putArray("regimeChanges");
            s.regimes().forEach(g -> regimes.addObject().put("change", g.change()).put("start", g.first())
                    .put("end", g.last()).put("size", g.size()));
        }
        return root;
    }

    private static String labelTime(SyntheticSeries s, int row) {
        return LocalDateTime.parse(s.timestamps()[row], SeriesPlan.DATA_FORMAT).format(LABEL_FORMAT);
    }
}
