package dev.vigil.app;

import dev.vigil.eval.AnomalyKind;
import dev.vigil.eval.synth.SyntheticCorpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/** {@code vigil synth}: write a labelled synthetic corpus in NAB's layout. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write a labelled synthetic corpus in NAB's layout (DIR/data/<base>/series_NNN.csv, NAB windows"
                + " in DIR/labels/combined_windows.json, each anomaly's kind and rows in DIR/labels/anomalies.json),"
                + " for `vigil evaluate`. The same seed gives the same corpus.")
final class SynthCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, description = "Folder to write (its data/ and labels/ must not hold files).")
    Path out;

    @Option(names = "--series", defaultValue = "60",
            description = "Number of series (every anomaly kind appears from 12 on). Default: ${DEFAULT-VALUE}.")
    int series;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the corpus. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() {
        SyntheticCorpus corpus = SyntheticCorpus.generate(series, seed);
        corpus.write(out);
        StringJoiner kinds = new StringJoiner(", ");
        int anomalies = 0;
        for (Map.Entry<AnomalyKind, Integer> e : corpus.kindCounts().entrySet()) {
            kinds.add(e.getKey().label() + " " + e.getValue());
            anomalies += e.getValue();
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %d series (%,d rows) with %d anomalies (%s) to %s%n", corpus.series().size(),
                corpus.rows(), anomalies, kinds, out);
        o.printf("evaluate it with: vigil evaluate --data %s --labels %s --out RESULTS%n", out.resolve("data"),
                out.resolve("labels").resolve("combined_windows.json"));
        o.flush();
        return 0;
    }
}
