package dev.vigil.eval;

import dev.vigil.VigilException;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Event;
import dev.vigil.score.AlertReason;
import dev.vigil.score.AlertTransition;
import dev.vigil.train.RetrainConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code vigil evaluate}: replays every CSV of a NAB-layout folder ({@code DIR/<category>/<file>.csv}) through
 * its own fresh key, writes NAB results files and returns the scored series. In per-key scope the files run in
 * parallel (each file is independent and its replay deterministic, so the results do not depend on the thread
 * count). In shared scope ({@code retrain.scope=shared}) the files are the keys of one fleet sharing one model: they
 * are replayed in one lifecycle, interleaved row by row (row 0 of every file in path order, then row 1, ...), as one
 * partition of the stream would see sensors reporting side by side; that order decides which key's window trains
 * the shared model when ({@link dev.vigil.lifecycle.KeyLifecycle}). Per-key scope with {@code retrain.coldStart=shared}
 * is replayed the same way, as one fleet (a key's cold start needs a fleet to start from); with a join stagger S,
 * the k-th file in path order joins the fleet S * k rows after the first (keys joining a running fleet, which is
 * when cold start matters). Keys of per-key scope without cold start are independent, so the fleet order gives the
 * per-file replay's scores.
 */
public final class CorpusEvaluator {
    private final DetectorConfig detectorConfig;
    private final RetrainConfig retrainConfig;
    private final int threads;
    private final int joinStagger;

    /** Per-file outcome. */
    public record FileResult(ScoredSeries scored, SeriesReplay.Stats stats) {
    }

    public CorpusEvaluator(DetectorConfig detectorConfig, RetrainConfig retrainConfig, int threads) {
        this(detectorConfig, retrainConfig, threads, 0);
    }

    /**
     * @param joinStagger in a fleet replay (shared scope, or cold start), rows between one file's first row and the
     *                    next file's (path order); 0: every file starts at once
     */
    public CorpusEvaluator(DetectorConfig detectorConfig, RetrainConfig retrainConfig, int threads, int joinStagger) {
        if (threads < 1) {
            throw new VigilException("threads must be >= 1, got " + threads);
        }
        if (joinStagger < 0) {
            throw new VigilException("the fleet's join stagger must be >= 0 rows, got " + joinStagger);
        }
        this.joinStagger = joinStagger;
        this.detectorConfig = detectorConfig.withChannels(1).withKeyNormalised(retrainConfig.shared());
        this.retrainConfig = retrainConfig;
        this.threads = threads;
    }

    /** The CSV files under {@code dataDir}, as sorted relative paths "category/file.csv". */
    public static List<String> listSeries(Path dataDir) {
        if (!Files.isDirectory(dataDir)) {
            throw new VigilException("data folder " + dataDir + " does not exist");
        }
        try (Stream<Path> files = Files.walk(dataDir, 2)) {
            List<String> out = files.filter(p -> p.toString().endsWith(".csv") && dataDir.relativize(p).getNameCount() == 2)
                    .map(p -> dataDir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
            if (out.isEmpty()) {
                throw new VigilException("no <category>/<file>.csv series under " + dataDir);
            }
            return out;
        } catch (IOException e) {
            throw new VigilException("cannot list " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replays and writes results.
     *
     * @param labels   windows for the label column, or null (every label 0)
     * @param progress live counters, updated as rows are replayed
     */
    public List<FileResult> evaluate(Path dataDir, Path outDir, String name, NabLabels labels,
                                     EvaluationProgress progress) {
        return evaluate(dataDir, listSeries(dataDir), outDir, name, labels, progress);
    }

    /**
     * Replays and writes results for some of a folder's files only (a fold).
     *
     * @param paths    the files to replay, relative to {@code dataDir} ("category/file.csv")
     * @param labels   windows for the label column, or null (every label 0)
     * @param progress live counters, updated as rows are replayed
     * @throws VigilException if a listed file is not under {@code dataDir}
     */
    public List<FileResult> evaluate(Path dataDir, List<String> paths, Path outDir, String name, NabLabels labels,
                                     EvaluationProgress progress) {
        List<CsvSeries> series = new ArrayList<>();
        long rows = 0;
        for (String p : paths) {
            if (!Files.isRegularFile(dataDir.resolve(p))) {
                throw new VigilException("'" + p + "' is not a file under " + dataDir);
            }
            CsvSeries s = CsvSeries.read(dataDir.resolve(p), p);
            series.add(s);
            rows += s.size();
        }
        progress.start(series.size(), rows);
        if (retrainConfig.shared() || retrainConfig.coldStartShared()) {
            return replayFleet(series, outDir, name, labels, progress);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "vigil-evaluate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<FileResult>> futures = new ArrayList<>();
            // longest files first, so the pool is not left waiting on one big file at the end
            List<CsvSeries> order = new ArrayList<>(series);
            order.sort((a, b) -> Integer.compare(b.size(), a.size()));
            for (CsvSeries s : order) {
                futures.add(pool.submit(() -> replayOne(s, outDir, name, labels, progress)));
            }
            List<FileResult> results = new ArrayList<>();
            for (Future<FileResult> f : futures) {
                results.add(f.get());
            }
            results.sort((a, b) -> a.scored().relativePath().compareTo(b.scored().relativePath()));
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof VigilException v ? v : new VigilException("evaluation failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Shared scope or cold start: every series a key of one fleet, interleaved row by row through one replay. */
    private List<FileResult> replayFleet(List<CsvSeries> series, Path outDir, String name, NabLabels labels,
                                         EvaluationProgress progress) {
        List<CsvSeries> byPath = new ArrayList<>(series);
        byPath.sort((a, b) -> a.relativePath().compareTo(b.relativePath()));
        List<SeriesReplay.KeyedEvent> events = new ArrayList<>();
        Map<String, double[]> scores = new HashMap<>();
        Map<String, AlertReason[]> openers = new HashMap<>();
        long end = 0;
        for (int k = 0; k < byPath.size(); k++) {
            CsvSeries s = byPath.get(k);
            scores.put(s.relativePath(), new double[s.size()]);
            openers.put(s.relativePath(), new AlertReason[s.size()]);
            end = Math.max(end, (long) k * joinStagger + s.size());
        }
        for (long t = 0; t < end; t++) {
            for (int k = 0; k < byPath.size(); k++) {
                CsvSeries s = byPath.get(k);
                long i = t - (long) k * joinStagger;
                if (i >= 0 && i < s.size()) {
                    events.add(new SeriesReplay.KeyedEvent(s.relativePath(),
                            new Event(s.epochMillis()[(int) i], new double[] {s.numbers()[(int) i]})));
                }
            }
        }
        Map<String, Integer> rows = new HashMap<>();
        SeriesReplay.Stats stats = new SeriesReplay(detectorConfig, retrainConfig).run(events, (key, r) -> {
            int row = rows.merge(key, 1, Integer::sum) - 1;
            scores.get(key)[row] = r.anomalyScore();
            openers.get(key)[row] = opener(r);
            progress.row();
        });
        List<FileResult> results = new ArrayList<>();
        for (CsvSeries s : byPath) {
            List<NabWindow> windows = labels == null ? List.of() : labels.windowsFor(s.relativePath());
            NabResultsWriter.write(outDir, name, s.relativePath(), s.timestamps(), s.values(), scores.get(s.relativePath()),
                    windows);
            progress.fileDone();
            // the fleet's trainings are counted once, with its first file
            boolean first = s == byPath.get(0);
            ScoredSeries scored = new ScoredSeries(s.relativePath(), s.timestamps(), scores.get(s.relativePath()),
                    openers.get(s.relativePath()));
            results.add(new FileResult(scored, new SeriesReplay.Stats(s.size(), 0, first ? stats.trainings() : 0,
                    first ? stats.modelsAccepted() : 0, first ? stats.trainingNanos() : 0)));
        }
        return results;
    }

    private FileResult replayOne(CsvSeries s, Path outDir, String name, NabLabels labels, EvaluationProgress progress) {
        double[] scores = new double[s.size()];
        AlertReason[] openers = new AlertReason[s.size()];
        List<Event> events = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            events.add(new Event(s.epochMillis()[i], new double[] {s.numbers()[i]}));
        }
        int[] row = {0};
        SeriesReplay replay = new SeriesReplay(detectorConfig, retrainConfig);
        SeriesReplay.Stats stats = replay.run(s.relativePath(), events, r -> {
            openers[row[0]] = opener(r);
            scores[row[0]++] = r.anomalyScore();
            progress.row();
        });
        List<NabWindow> windows = labels == null ? List.of() : labels.windowsFor(s.relativePath());
        NabResultsWriter.write(outDir, name, s.relativePath(), s.timestamps(), s.values(), scores, windows);
        progress.fileDone();
        return new FileResult(new ScoredSeries(s.relativePath(), s.timestamps(), scores, openers), stats);
    }

    /** What opened an alert on this event, or null when none opened. */
    private static AlertReason opener(DetectorResult r) {
        return r.transition() == AlertTransition.OPENED ? r.alertReason() : null;
    }
}
