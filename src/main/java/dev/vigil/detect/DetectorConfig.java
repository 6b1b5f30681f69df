package dev.vigil.detect;

import dev.vigil.BadConfigException;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.score.ScoringConfig;

/**
 * Everything the per-key step needs to know: the network's shape, the scoring parameters and how far
 * back in time an event may go. The number of channels is {@code lstm.inputSize()}.
 *
 * @param allowedLatenessMs 0: a key's event times must strictly increase; L > 0: an event may be up to L ms
 *                          older than the key's latest event and is still scored (in arrival order); range
 *                          0..86,400,000, default 0
 * @param keyNormalised     false: the model's own normalisation maps readings to its inputs (a per-key model, fitted
 *                          on the key's window); true: readings are first put in the key's own units, (x - centre) /
 *                          scale with the key's running centre and scale (the scorer's {@code OnlineNormaliser}),
 *                          so that one model shared by many keys fits each of them; default false
 * @param counters          the channels that are cumulative counters, bit c for channel c: such a channel is scored
 *                          by its increase since the key's previous reading ({@link Detector#scoredEvent}), a
 *                          reading below the previous one counting as a restart from zero; needs no lateness
 *                          ({@code allowedLatenessMs} 0); default 0 (none)
 */
public record DetectorConfig(LstmConfig lstm, ScoringConfig scoring, long allowedLatenessMs, boolean keyNormalised,
                             long counters) {
    /** Largest allowed lateness: one day. */
    public static final long MAX_LATENESS_MS = 86_400_000L;

    public static DetectorConfig defaults() {
        return new DetectorConfig(LstmConfig.defaults(), ScoringConfig.defaults());
    }

    /** Strictly increasing event times (no lateness). */
    public DetectorConfig(LstmConfig lstm, ScoringConfig scoring) {
        this(lstm, scoring, 0);
    }

    /** A per-key model's settings ({@code keyNormalised} false). */
    public DetectorConfig(LstmConfig lstm, ScoringConfig scoring, long allowedLatenessMs) {
        this(lstm, scoring, allowedLatenessMs, false);
    }

    /** No counter channels. */
    public DetectorConfig(LstmConfig lstm, ScoringConfig scoring, long allowedLatenessMs, boolean keyNormalised) {
        this(lstm, scoring, allowedLatenessMs, keyNormalised, 0);
    }

    public DetectorConfig {
        if (lstm == null || scoring == null) {
            throw new BadConfigException("detector config needs both lstm and scoring sections");
        }
        if (allowedLatenessMs < 0 || allowedLatenessMs > MAX_LATENESS_MS) {
            throw new BadConfigException("allowedLatenessMs must be in [0, " + MAX_LATENESS_MS + "], got "
                    + allowedLatenessMs);
        }
        int channels = lstm.inputSize();
        if (channels < 64 && (counters >>> channels) != 0) {
            throw new BadConfigException("counters name channels beyond the " + channels + " the detector reads");
        }
        if (counters != 0 && allowedLatenessMs != 0) {
            throw new BadConfigException("counters need allowedLatenessMs 0: a late reading of a counter has no "
                    + "increase to score, got " + allowedLatenessMs);
        }
    }

    /** Whether channel {@code c} is a cumulative counter, scored by its increase. */
    public boolean counter(int c) {
        return (counters >>> c & 1) != 0;
    }

    public int channels() {
        return lstm.inputSize();
    }

    public DetectorConfig withChannels(int channels) {
        return new DetectorConfig(lstm.withInputSize(channels), scoring, allowedLatenessMs, keyNormalised, counters);
    }

    public DetectorConfig withAllowedLatenessMs(long latenessMs) {
        return new DetectorConfig(lstm, scoring, latenessMs, keyNormalised, counters);
    }

    public DetectorConfig withKeyNormalised(boolean normalised) {
        return new DetectorConfig(lstm, scoring, allowedLatenessMs, normalised, counters);
    }

    /**
     * Why {@code state} cannot be scored with these settings (it was made for other channels, hidden size, layers or
     * short window), or null when it can.
     */
    public String mismatch(DetectorState state) {
        int shortWindow = state.score().shortWindow();
        boolean same = state.channels() == channels() && state.lstm().hiddenSize() == lstm.hiddenSize()
                && state.lstm().layers() == lstm.layers() && shortWindow == scoring.shortWindow();
        return same ? null : "it was written for d=" + state.channels() + ", H=" + state.lstm().hiddenSize()
                + ", layers=" + state.lstm().layers() + ", shortWindow=" + shortWindow + "; the topology has d="
                + channels() + ", H=" + lstm.hiddenSize() + ", layers=" + lstm.layers() + ", shortWindow="
                + scoring.shortWindow();
    }

    /** The channels in {@code mask} (bit c for channel c) scored by their increase; 0 for none. */
    public DetectorConfig withCounters(long mask) {
        return new DetectorConfig(lstm, scoring, allowedLatenessMs, keyNormalised, mask);
    }
}
