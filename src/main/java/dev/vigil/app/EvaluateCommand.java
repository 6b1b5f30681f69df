package dev.vigil.app;

import dev.vigil.eval.CorpusEvaluator;
import dev.vigil.eval.EvaluationProgress;
import dev.vigil.eval.NabLabels;
import dev.vigil.eval.NabProfile;
import dev.vigil.eval.NabScore;
import dev.vigil.eval.NabScorer;
import dev.vigil.eval.ScoredSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
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
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, description = "Folder of <category>/<file>.csv series.")
    Path data;

    @Option(names = "--out", required = true, description = "Results folder; files go to OUT/<name>/<category>/.")
    Path out;

    @Option(names = "--labels", description = "NAB combined_windows.json; enables scoring.")
    Path labels;

    @Option(names = "--name", defaultValue = "vigil", description = "Detector name (letters and digits). Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--threads", description = "Files replayed in parallel. Default: the number of cores.")
    Integer threads;

    @picocli.CommandLine.Mixin
    DetectorOptions detector;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        DetectorSettings loaded = detector.load();
        NabLabels nabLabels = labels == null ? null : NabLabels.load(labels);
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;

        CorpusEvaluator evaluator = new CorpusEvaluator(loaded.detector(), loaded.retrain(), n);
        EvaluationProgress progress = new EvaluationProgress();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> printProgress(err, progress), 2, 2, TimeUnit.SECONDS);
        long start = System.nanoTime();
        List<CorpusEvaluator.FileResult> results;
        try {
            results = evaluator.evaluate(data, out, name, nabLabels, progress);
        } finally {
            ticker.shutdownNow();
        }
        printProgress(err, progress);
        double seconds = (System.nanoTime() - start) / 1e9;
        int trainings = 0;
        int accepted = 0;
        double trainingSeconds = 0;
        for (CorpusEvaluator.FileResult r : results) {
            trainings += r.stats().trainings();
            accepted += r.stats().modelsAccepted();
            trainingSeconds += r.stats().trainingNanos() / 1e9;
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "replayed %d files, %d rows in %.1f s on %d thread(s); %d trainings (%d models accepted,"
                        + " %.1f s training)%n", results.size(), progress.rowsDone(), seconds, n, trainings, accepted,
                trainingSeconds);
        o.println("results: " + out.resolve(name));
        if (nabLabels != null) {
            List<ScoredSeries> scored = results.stream().map(CorpusEvaluator.FileResult::scored).toList();
            Map<NabProfile, NabScore> scores = new NabScorer().scoreAll(scored, nabLabels);
            for (NabScore s : scores.values()) {
                o.printf(Locale.ROOT, "%-20s threshold=%.6f raw=%.3f tp=%d fn=%d fp=%d normalised=%.1f%n",
                        s.profile().nabName(), s.threshold(), s.rawScore(), s.truePositives(), s.falseNegatives(),
                        s.falsePositives(), s.normalisedScore());
            }
            o.printf(Locale.ROOT, "nab standard=%.1f low_fp=%.1f low_fn=%.1f%n",
                    scores.get(NabProfile.STANDARD).normalisedScore(),
                    scores.get(NabProfile.REWARD_LOW_FP).normalisedScore(),
                    scores.get(NabProfile.REWARD_LOW_FN).normalisedScore());
        }
        o.flush();
        return 0;
    }

    private static void printProgress(PrintWriter err, EvaluationProgress p) {
        err.printf(Locale.ROOT, "evaluate: files %d/%d, rows %,d/%,d, %,.0f rows/s%n", p.filesDone(), p.filesTotal(),
                p.rowsDone(), p.rowsTotal(), p.rowsPerSecond());
        err.flush();
    }
}
