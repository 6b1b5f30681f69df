package dev.vigil.app;

import dev.vigil.BadConfigException;
import dev.vigil.detect.CalendarInputs;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.TrainingConfig;
import dev.vigil.score.ScoringConfig;
import dev.vigil.train.RetrainConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The detector's parameters (sections {@code lstm}, {@code training}, {@code retrain}, {@code scoring}) from
 * an optional properties file ({@code config/detector.properties} documents every key) plus command-line
 * overrides. Unknown sections or keys, bad values and missing files stop with one line naming the key.
 *
 * @param detector the per-key step's configuration (one channel; the replay and stream set the real count)
 * @param retrain  the retraining policy, including the optimiser settings
 */
record DetectorSettings(DetectorConfig detector, RetrainConfig retrain) {
    static final List<String> SECTIONS = List.of("lstm", "training", "retrain", "scoring");
    /** The lstm key naming the calendar inputs a model may read ({@link CalendarInputs}); it sets contextSize. */
    static final String CALENDAR = "calendar";

    /** Loads {@code file} (may be null), then applies {@code overrides} ("section.name=value"). */
    static DetectorSettings load(Path file, List<String> overrides) {
        List<String> all = new ArrayList<>();
        if (file != null) {
            all.addAll(readProperties(file));
        }
        all.addAll(overrides);
        Map<String, Map<String, String>> bySection = SettingOverrides.parse(all);
        for (String section : bySection.keySet()) {
            if (!SECTIONS.contains(section)) {
                throw new BadConfigException("unknown settings section '" + section + "' (known: " + SECTIONS + ")");
            }
        }
        Map<String, String> lstmValues = new LinkedHashMap<>(bySection.getOrDefault("lstm", Map.of()));
        if (lstmValues.containsKey("inputSize")) {
            throw new BadConfigException("lstm.inputSize is not a setting: it is the number of channels of the input");
        }
        if (lstmValues.containsKey("contextSize")) {
            throw new BadConfigException("lstm.contextSize is not a setting: lstm.calendar chooses the context inputs");
        }
        String calendar = lstmValues.remove(CALENDAR);
        LstmConfig lstm = SettingOverrides.apply(LstmConfig.defaults(), "lstm", lstmValues);
        CalendarInputs inputs = calendar != null ? CalendarInputs.parse("lstm." + CALENDAR, calendar)
                : CalendarInputs.of(LstmConfig.defaults());
        lstm = lstm.withContextSize(inputs.size(lstm.dayHarmonics()));
        TrainingConfig training = SettingOverrides.apply(TrainingConfig.defaults(), "training", bySection.get("training"));
        RetrainConfig base = RetrainConfig.defaults();
        RetrainConfig withTraining = base.withTraining(training);
        Map<String, String> retrainValues = bySection.getOrDefault("retrain", Map.of());
        if (retrainValues.containsKey("training")) {
            throw new BadConfigException("retrain.training is not a setting: use the training.* keys");
        }
        RetrainConfig retrain = SettingOverrides.apply(withTraining, "retrain", retrainValues);
        ScoringConfig scoring = SettingOverrides.apply(ScoringConfig.defaults(), "scoring", bySection.get("scoring"));
        return new DetectorSettings(new DetectorConfig(lstm, scoring), retrain);
    }

    private static List<String> readProperties(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new BadConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new BadConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> sorted = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> sorted.put(k, p.getProperty(k)));
        List<String> out = new ArrayList<>();
        sorted.forEach((k, v) -> out.add(k + "=" + v.trim()));
        return out;
    }
}
