package dev.vigil.detect;

import dev.vigil.BadConfigException;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.score.ScoringConfig;

/**
 * Everything the per-key step needs to know: the network's shape and the scoring parameters.
 * The number of channels is {@code lstm.inputSize()}.
 */
public record DetectorConfig(LstmConfig lstm, ScoringConfig scoring) {
    public static DetectorConfig defaults() {
        return new DetectorConfig(LstmConfig.defaults(), ScoringConfig.defaults());
    }

    public DetectorConfig {
        if (lstm == null || scoring == null) {
            throw new BadConfigException("detector config needs both lstm and scoring sections");
        }
    }

    public int channels() {
        return lstm.inputSize();
    }

    public DetectorConfig withChannels(int channels) {
        return new DetectorConfig(lstm.withInputSize(channels), scoring);
    }
}
