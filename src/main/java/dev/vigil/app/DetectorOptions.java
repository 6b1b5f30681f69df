package dev.vigil.app;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The detector's parameters on a command line: a properties file, then single overrides. */
final class DetectorOptions {
    @Option(names = "--detector-config", paramLabel = "FILE",
            description = "Detector parameters (properties; config/detector.properties documents every key).")
    Path file;

    @Option(names = "--set", paramLabel = "SECTION.NAME=VALUE",
            description = "Override one detector parameter after --detector-config (sections: lstm, training, retrain,"
                    + " scoring), e.g. --set scoring.alertThreshold=0.6.")
    List<String> settings = new ArrayList<>();

    DetectorSettings load() {
        return DetectorSettings.load(file, settings);
    }

    /** Loads with {@code retrain.seed} set to {@code seed}, after the file and the overrides. */
    DetectorSettings load(long seed) {
        List<String> all = new ArrayList<>(settings);
        all.add("retrain.seed=" + seed);
        return DetectorSettings.load(file, all);
    }

    /** Whether an override sets {@code retrain.seed}. */
    boolean setsSeed() {
        return settings.stream().anyMatch(s -> s.strip().startsWith("retrain.seed="));
    }
}
