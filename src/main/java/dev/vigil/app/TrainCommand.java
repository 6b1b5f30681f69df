package dev.vigil.app;

import dev.vigil.VigilException;
import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.eval.CsvSeries;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.TrainingInfo;
import dev.vigil.train.ModelTrainer;
import dev.vigil.train.TrainingOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vigil train}: train a model offline on a CSV series with the same trainer the service uses. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on the last retrain.historySize readings of a CSV series (timestamp,value) and"
                + " write its payload (the format vigil.models carries).")
final class TrainCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--file", required = true, description = "CSV series, header timestamp,value.")
    Path file;

    @Option(names = "--out", required = true, description = "Where to write the model payload.")
    Path out;

    @Option(names = "--key", description = "Model id (the sensor key). Default: the file name without .csv.")
    String key;

    @Option(names = "--model-version", defaultValue = "1", description = "Version number of the model. Default: ${DEFAULT-VALUE}.")
    long version;

    @Option(names = "--counter", description = "The series is a cumulative counter (the topology key `counters`):"
            + " train on its increase from row to row, a drop counting as a restart from zero.")
    boolean counter;

    @picocli.CommandLine.Mixin
    DetectorOptions detector;

    @Override
    public Integer call() throws IOException {
        if (version < 1) {
            throw new VigilException("--model-version must be >= 1, got " + version);
        }
        DetectorSettings s = detector.load();
        String id = key != null ? key : file.getFileName().toString().replaceFirst("\\.csv$", "");
        CsvSeries series = CsvSeries.read(file, file.getFileName().toString());
        HistoryWindow window = new HistoryWindow(s.retrain().historySize(), 1);
        // what the stream's history holds for the key: its readings, or a counter's increases (Detector#scoredEvent)
        Detector increases = counter ? new Detector(s.detector().withCounters(1)) : null;
        DetectorState state = counter ? increases.newState() : null;
        for (int i = 0; i < series.size(); i++) {
            Event e = Event.of(series.epochMillis()[i], series.numbers()[i]);
            Event scored = counter ? increases.scoredEvent(state, e) : e;
            if (scored != null) {
                window.append(scored.timestamp(), scored.values());
            }
        }
        if (window.size() < s.retrain().minTrainPoints()) {
            throw new VigilException(file + " has " + window.size() + " readings; training needs at least "
                    + s.retrain().minTrainPoints() + " (retrain.minTrainPoints)");
        }
        TrainingOutcome outcome = ModelTrainer.of(s.detector(), s.retrain(), 1).train(id, window, null);
        if (!outcome.accepted()) {
            throw new VigilException("training failed: " + outcome.reason());
        }
        LstmModel model = outcome.model();
        TrainingInfo info = model.info();
        model = model.withInfo(new TrainingInfo(id, version, info.seed(), info.epochs(), info.trainLoss(),
                info.validationLoss(), info.points()));
        byte[] payload = ModelCodec.encode(model);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(out, payload);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "model %s v%d: %d points, %d epochs, validation loss %.4f, %d bytes -> %s%n", id, version,
                window.size(), model.info().epochs(), outcome.candidateLoss(), payload.length, out);
        o.flush();
        return 0;
    }
}
