package dev.vigil.app;

import dev.vigil.BadConfigException;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.eval.AnomalyCatalog;
import dev.vigil.eval.CorpusEvaluator;
import dev.vigil.eval.AnomalyOutcome;
import dev.vigil.eval.DetectionReport;
import dev.vigil.eval.EvaluationProgress;
import dev.vigil.eval.FalseAlarm;
import dev.vigil.eval.FileScore;
import dev.vigil.eval.LeaveOneOut;
import dev.vigil.eval.NabFolds;
import dev.vigil.eval.NabLabels;
import dev.vigil.eval.NabProfile;
import dev.vigil.eval.NabResultsReader;
import dev.vigil.eval.NabScore;
import dev.vigil.eval.NabScorer;
import dev.vigil.eval.NabSpread;
import dev.vigil.eval.PeerFile;
import dev.vigil.eval.ScoredSeries;
import dev.vigil.eval.WindowOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@code vigil evaluate}: replay a NAB-layout corpus through the detector and score it. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Replay every DIR/<category>/<file>.csv through the detector (one key per file, fresh state,"
                + " rows in order), write NAB results and, with --labels, score them with NAB's rules.")
final class EvaluateCommand implements Callable<Integer> {
    /** Written beside the results when the anomalies are known: each one's outcome ({@link AnomalyOutcome}). */
    static final String OUTCOMES_FILE = "anomaly-outcomes.csv";
    /** Written beside the results when labelled: each window's outcome at NAB's threshold ({@link WindowOutcome}). */
    static final String WINDOWS_FILE = "window-outcomes.csv";
    /** Written beside the results when labelled: each false alarm at the alert threshold ({@link FalseAlarm}). */
    static final String FALSE_ALARMS_FILE = "false-alarms.csv";
    /** Written beside the results when labelled: each settling alarm, in {@link #FALSE_ALARMS_FILE}'s columns. */
    static final String SETTLING_FILE = "settling-alarms.csv";
    /** Written to --out when labelled: the scores with each file left out, over the seeds ({@link LeaveOneOut}). */
    static final String LEAVE_ONE_OUT_FILE = "leave-one-out.csv";
    /** Written to --out with --peer: each file's share of the score, Vigil's and the peer's ({@link PeerFile}). */
    static final String PEER_FILE = "peer-%s.csv";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, description = "Folder of <category>/<file>.csv series.")
    Path data;

    @Option(names = "--out", required = true, description = "Results folder; files go to OUT/<name>/<category>/"
            + " (with several seeds, OUT/seed-<s>/<name>/<category>/).")
    Path out;

    @Option(names = "--labels", description = "NAB combined_windows.json; enables scoring.")
    Path labels;

    @Option(names = "--name", defaultValue = "vigil", description = "Detector name (letters and digits). Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--threads", description = "Files replayed in parallel. Default: the number of cores.")
    Integer threads;

    @Option(names = "--seeds", paramLabel = "LIST", description = "Run once per seed (retrain.seed), e.g. 1,2,3 or"
            + " 1-5; prints each run, then the mean, min and max of each profile.")
    String seeds;

    @Option(names = "--fold", paramLabel = "NAME", description = "Replay and score only this fold's files.")
    String fold;

    @Option(names = "--folds", paramLabel = "FILE", description = "Folds file (JSON: {\"a\": [files], \"b\": [...]})."
            + " Default: folds.json beside the data folder (../shared/nab/folds.json for ../shared/nab/data).")
    Path folds;

    @Option(names = "--anomalies", paramLabel = "FILE", description = "Injected anomalies by kind and row (written by"
            + " `vigil synth`); enables the per-kind detection table. Default: anomalies.json beside --labels, if"
            + " present.")
    Path anomalies;

    @Option(names = "--fleet-stagger", paramLabel = "ROWS", defaultValue = "0", description = "Fleet replays (shared"
            + " scope, or retrain.coldStart=shared): the k-th file joins ROWS * k rows after the first. Default:"
            + " ${DEFAULT-VALUE} (all at once).")
    int fleetStagger;

    @Option(names = "--counter", description = "Every series is a cumulative counter (a meter's total, a request"
            + " counter): scored by its increase since the row before, a drop counting as a restart from zero; its"
            + " first row has no increase and scores 0 (the topology key `counters`).")
    boolean counter;

    @Option(names = "--peer", paramLabel = "DIR", description = "A published detector's NAB results folder"
            + " (DIR/<category>/<name>_<file>.csv, e.g. ../shared/nab/reference-results/numenta), scored on the same"
            + " files by the same rules and printed beside Vigil's, file by file in OUT/peer-<name>.csv.")
    Path peer;

    @picocli.CommandLine.Mixin
    DetectorOptions detector;

    /**
     * What one run of the corpus scored: NAB scores and detection counts, each null when not scored.
     *
     * @param detection  what was caught and the false alarms, with the anomaly catalog; without it only the false
     *                   alarms ({@link DetectionReport#withoutCatalog}); null without labels
     * @param catalogued whether the anomalies were known by kind and row
     * @param windows    each labelled window's outcome at the standard profile's threshold; null when not scored
     * @param leftOut    the scores with each file left out ({@link LeaveOneOut.Scores#leftOut}); null when not scored
     * @param files      each file's share of the standard score at its threshold; null without --peer
     */
    private record Run(Map<NabProfile, NabScore> scores, DetectionReport detection, boolean catalogued,
                       List<WindowOutcome> windows, Map<String, Map<NabProfile, NabScore>> leftOut,
                       List<FileScore> files) {
    }

    @Override
    public Integer call() {
        List<Long> seedList = seeds == null ? null : SeedList.parse(seeds);
        if (seedList != null && detector.setsSeed()) {
            throw new BadConfigException("--seeds and --set retrain.seed both set the seed: give one of them");
        }
        NabLabels nabLabels = labels == null ? null : NabLabels.load(labels);
        AnomalyCatalog catalog = catalog();
        List<String> files = selectFiles();
        List<ScoredSeries> peerSeries = peerSeries(files);
        PrintWriter o = spec.commandLine().getOut();
        List<List<FileScore>> fileScores = new ArrayList<>();
        if (seedList == null || seedList.size() == 1) {
            DetectorSettings settings = seedList == null ? detector.load() : detector.load(seedList.get(0));
            Run run = run(settings, files, out, nabLabels, catalog, "");
            if (run.leftOut != null) {
                leaveOneOut(o, List.of(run.leftOut), "runs=1");
            }
            if (run.detection != null) {
                EvaluationPrinter.detection(o, run.detection, run.catalogued,
                        settings.detector().scoring().alertThreshold(), 1);
            }
            if (run.scores != null) {
                o.println(EvaluationPrinter.nabLine(run.scores));
            }
            fileScores.add(run.files);
        } else {
            runSeeds(seedList, files, nabLabels, catalog, o, fileScores);
        }
        if (peerSeries != null) {
            comparePeer(o, peerSeries, nabLabels, fileScores);
        }
        o.flush();
        return 0;
    }

    private void runSeeds(List<Long> seedList, List<String> files, NabLabels nabLabels, AnomalyCatalog catalog,
                          PrintWriter o, List<List<FileScore>> fileScores) {
        List<Map<NabProfile, NabScore>> scores = new ArrayList<>();
        List<WindowOutcome> windows = new ArrayList<>();
        List<Map<String, Map<NabProfile, NabScore>>> leftOut = new ArrayList<>();
        DetectionReport pooled = null;
        boolean catalogued = false;
        double threshold = 0;
        for (long seed : seedList) {
            DetectorSettings settings = detector.load(seed);
            threshold = settings.detector().scoring().alertThreshold();
            String prefix = "seed " + seed + ": ";
            Run run = run(settings, files, out.resolve("seed-" + seed), nabLabels, catalog, prefix);
            if (run.detection != null) {
                if (run.catalogued) {
                    o.println(prefix + EvaluationPrinter.detectionLine(run.detection.total()));
                }
                catalogued = run.catalogued;
                pooled = pooled == null ? run.detection : pooled.plus(run.detection);
            }
            if (run.scores != null) {
                o.println(prefix + EvaluationPrinter.nabLine(run.scores));
                scores.add(run.scores);
                windows.addAll(run.windows);
                leftOut.add(run.leftOut);
                fileScores.add(run.files);
            }
            o.flush();
        }
        if (!leftOut.isEmpty()) {
            leaveOneOut(o, leftOut, "seeds=" + seedList.size());
        }
        if (pooled != null) {
            EvaluationPrinter.detection(o, pooled, catalogued, threshold, seedList.size());
        }
        if (!scores.isEmpty()) {
            Map<NabProfile, NabSpread> spread = NabSpread.of(scores);
            EvaluationPrinter.seedTable(o, seedList, scores, spread);
            o.println(EvaluationPrinter.windowsLine(windows, "seeds=" + seedList.size()));
            o.println(EvaluationPrinter.spreadLine(spread));
        }
    }

    /**
     * Writes the scores with each file left out, pooled over the runs, to --out ({@value #LEAVE_ONE_OUT_FILE}), and
     * prints the lowest and the highest.
     */
    private void leaveOneOut(PrintWriter o, List<Map<String, Map<NabProfile, NabScore>>> runs, String qualifier) {
        List<LeaveOneOut> rows = LeaveOneOut.over(runs);
        if (rows.isEmpty()) {
            return;
        }
        Path file = out.resolve(LEAVE_ONE_OUT_FILE);
        LeaveOneOut.write(file, rows);
        o.println(EvaluationPrinter.leaveOneOutLine(rows, qualifier) + "; each: " + file);
    }

    private Run run(DetectorSettings settings, List<String> files, Path outDir, NabLabels nabLabels,
                    AnomalyCatalog catalog, String prefix) {
        PrintWriter err = spec.commandLine().getErr();
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        DetectorConfig config = counter ? settings.detector().withCounters(1) : settings.detector();
        CorpusEvaluator evaluator = new CorpusEvaluator(config, settings.retrain(), n, fleetStagger);
        EvaluationProgress progress = new EvaluationProgress();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> printProgress(err, prefix, progress), 2, 2, TimeUnit.SECONDS);
        long start = System.nanoTime();
        List<CorpusEvaluator.FileResult> results;
        try {
            results = evaluator.evaluate(data, files, outDir, name, nabLabels, progress);
        } finally {
            ticker.shutdownNow();
        }
        printProgress(err, prefix, progress);
        printReplayed(prefix, results, progress.rowsDone(), (System.nanoTime() - start) / 1e9, n, outDir);
        if (nabLabels == null) {
            return new Run(null, null, false, null, null, null);
        }
        List<ScoredSeries> scored = results.stream().map(CorpusEvaluator.FileResult::scored).toList();
        LeaveOneOut.Scores nab = LeaveOneOut.scores(scored, nabLabels);
        Map<NabProfile, NabScore> scores = nab.whole();
        EvaluationPrinter.profiles(spec.commandLine().getOut(), prefix, scores);
        double threshold = settings.detector().scoring().alertThreshold();
        DetectionReport detection = DetectionReport.count(scored, nabLabels,
                catalog == null ? DetectionReport.withoutCatalog(scored) : catalog, threshold);
        PrintWriter o = spec.commandLine().getOut();
        if (catalog != null) {
            Path file = outDir.resolve(OUTCOMES_FILE);
            AnomalyOutcome.write(file, detection.outcomes());
            o.println(prefix + "each anomaly's outcome: " + file);
        }
        double nabThreshold = scores.get(NabProfile.STANDARD).threshold();
        List<WindowOutcome> windows = WindowOutcome.of(scored, nabLabels, nabThreshold);
        WindowOutcome.write(outDir.resolve(WINDOWS_FILE), windows);
        FalseAlarm.write(outDir.resolve(FALSE_ALARMS_FILE), detection.falseAlarmRows());
        FalseAlarm.write(outDir.resolve(SETTLING_FILE), detection.settlingRows());
        o.println(prefix + EvaluationPrinter.windowsLine(windows,
                String.format(Locale.ROOT, "threshold=%.6f", nabThreshold)));
        o.println(prefix + "each window's outcome: " + outDir.resolve(WINDOWS_FILE) + "; each false alarm: "
                + outDir.resolve(FALSE_ALARMS_FILE) + "; each settling alarm: " + outDir.resolve(SETTLING_FILE));
        List<FileScore> shares = peer == null ? null
                : FileScore.at(scored, nabLabels, NabProfile.STANDARD, nabThreshold);
        return new Run(scores, detection, catalog != null, windows, nab.leftOut(), shares);
    }

    private void printReplayed(String prefix, List<CorpusEvaluator.FileResult> results, long rows, double seconds,
                               int n, Path outDir) {
        int trainings = 0;
        int accepted = 0;
        double trainingSeconds = 0;
        for (CorpusEvaluator.FileResult r : results) {
            trainings += r.stats().trainings();
            accepted += r.stats().modelsAccepted();
            trainingSeconds += r.stats().trainingNanos() / 1e9;
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%sreplayed %d files, %d rows in %.1f s on %d thread(s); %d trainings (%d models"
                        + " accepted, %.1f s training)%n", prefix, results.size(), rows, seconds, n, trainings,
                accepted, trainingSeconds);
        o.println(prefix + "results: " + outDir.resolve(name));
    }

    /**
     * The peer's results for the files replayed (read before the replay, so that a missing file stops it at once), or
     * null without --peer.
     */
    private List<ScoredSeries> peerSeries(List<String> files) {
        if (peer == null) {
            return null;
        }
        if (labels == null) {
            throw new BadConfigException("--peer needs --labels (the peer is scored against the same windows)");
        }
        Map<String, ScoredSeries> byFile = new HashMap<>();
        NabResultsReader.read(peer).forEach(s -> byFile.put(s.relativePath(), s));
        List<ScoredSeries> out = new ArrayList<>();
        for (String f : files) {
            ScoredSeries s = byFile.get(f);
            if (s == null) {
                throw new BadConfigException("--peer " + peer + " has no results for " + f);
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Scores the peer as Vigil was scored, prints its line and how the two differ by file, and writes the files'
     * shares to --out ({@value #PEER_FILE}).
     */
    private void comparePeer(PrintWriter o, List<ScoredSeries> peerSeries, NabLabels nabLabels,
                             List<List<FileScore>> runs) {
        String peerName = peer.getFileName().toString();
        Map<NabProfile, NabScore> scores = new NabScorer().scoreAll(peerSeries, nabLabels);
        double threshold = scores.get(NabProfile.STANDARD).threshold();
        List<PeerFile> rows = PeerFile.of(runs,
                FileScore.at(peerSeries, nabLabels, NabProfile.STANDARD, threshold));
        Path file = out.resolve(String.format(PEER_FILE, peerName));
        PeerFile.write(file, rows);
        o.println("peer name=" + peerName + EvaluationPrinter.nabLine(scores).substring("nab".length()));
        o.println(EvaluationPrinter.peerLine(peerName, rows) + "; each: " + file);
    }

    /** The files to replay: every series under --data, or the fold's. */
    private List<String> selectFiles() {
        if (fold == null) {
            if (folds != null) {
                throw new BadConfigException("--folds names the folds file of --fold: give --fold too");
            }
            return CorpusEvaluator.listSeries(data);
        }
        Path file = folds != null ? folds : data.toAbsolutePath().getParent().resolve("folds.json");
        return NabFolds.load(file).filesOf(fold);
    }

    /** The anomaly catalog: --anomalies, else anomalies.json beside the labels when present, else none. */
    private AnomalyCatalog catalog() {
        if (anomalies != null) {
            if (labels == null) {
                throw new BadConfigException("--anomalies needs --labels (the windows the anomalies lie in)");
            }
            return AnomalyCatalog.load(anomalies);
        }
        if (labels == null) {
            return null;
        }
        Path beside = labels.toAbsolutePath().resolveSibling("anomalies.json");
        return Files.isRegularFile(beside) ? AnomalyCatalog.load(beside) : null;
    }

    private static void printProgress(PrintWriter err, String prefix, EvaluationProgress p) {
        err.printf(Locale.ROOT, "%sevaluate: files %d/%d, rows %,d/%,d, %,.0f rows/s%n", prefix, p.filesDone(),
                p.filesTotal(), p.rowsDone(), p.rowsTotal(), p.rowsPerSecond());
        err.flush();
    }
}
