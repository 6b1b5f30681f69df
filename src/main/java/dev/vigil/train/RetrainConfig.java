package dev.vigil.train;

import dev.vigil.BadConfigException;
import dev.vigil.lstm.TrainingConfig;

/**
 * When and on what a key's model is (re)trained, and the limits a training must keep. Immutable. The live
 * service's background trainer and the replay evaluator ({@code vigil evaluate}) follow the same schedule
 * ({@link RetrainClock}), so an evaluation predicts what the service does.
 *
 * @param historySize        readings kept per key (the window training and re-warming read); range 64..1,000,000,
 *                           default 2000
 * @param minTrainPoints     readings the window must hold before the first training; range 32..historySize,
 *                           default 300
 * @param retrainInterval    accepted events between trainings once a model exists, each key on its own grid
 *                           ({@link RetrainClock}); range 1..100,000,000, default 1000
 * @param retrainAfterMs     also retrain once this much event time has passed since the last training, whatever
 *                           the number of events (for a live stream, event time is wall-clock time); 0 = off;
 *                           range 0..31,536,000,000 (a year), default 0
 * @param driftEvents        retrain sooner when the key's alert has stayed open for this many consecutive events
 *                           (sustained drift: a new normal rather than a blip), at most once per driftEvents
 *                           events; 0 = off; range 0..100,000,000, default 0
 * @param requireImprovement publish a retrained model only if it beats the current one on the validation tail
 *                           of the same window; default true
 * @param seed               base seed; a training's seed is derived from it, the model id and the version, so
 *                           replays are reproducible; default 42
 * @param scope              {@code per-key} (one model per sensor) or {@code shared} (one model per topology,
 *                           trained on windows of many keys, each normalised by the key's own running centre and
 *                           scale); default per-key
 * @param sharedKeys         in shared scope, the most keys whose windows one training samples; range 1..10,000,
 *                           default 32
 * @param maxTrainingMs      a training still running after this long is abandoned (logged, counted; the model in
 *                           force stays); range 100..86,400,000, default 60,000
 * @param maxModelBytes      a model whose payload would be larger is neither published nor accepted from the
 *                           models topic; range 1,024..104,857,600, default 4,194,304
 * @param swapDelayEvents    a model trained on a key's window ending at its accepted event N takes effect after the
 *                           key's event N + swapDelayEvents, whenever the background trainer delivered it (the key
 *                           trains it in line if not), so model swaps, and so scores, do not depend on timing; the
 *                           window is the newest historySize - swapDelayEvents readings up to N; range
 *                           0..historySize / 2, default 16
 * @param training           the optimiser's settings ({@link TrainingConfig})
 * @param coldStart          per-key scope: what scores a key (past {@code scoring.warmupEvents}) that has no model of
 *                           its own yet: {@code none} (the persistence predictor) or {@code shared} (the topology's
 *                           shared model, trained as in shared scope from the keys' requests, until the key's own
 *                           model is accepted); ignored in shared scope; default none
 * @param firstSpreadEvents  a key's first training comes due when its window holds {@code minTrainPoints +
 *                           firstPhase(key)} readings, the phase a hash of the key in 0..firstSpreadEvents - 1
 *                           ({@link RetrainClock#firstPhase}), so that a fleet deployed at once comes due spread over
 *                           this many events instead of within a few (where a trainer that cannot deliver every
 *                           first model within {@code swapDelayEvents} leaves the stream threads to train them in
 *                           line); 0 or 1: every key at {@code minTrainPoints}; range 0..historySize - minTrainPoints,
 *                           default 0
 */
public record RetrainConfig(int historySize, int minTrainPoints, int retrainInterval, long retrainAfterMs,
                            int driftEvents, boolean requireImprovement, long seed, String scope, int sharedKeys,
                            long maxTrainingMs, int maxModelBytes, int swapDelayEvents, TrainingConfig training,
                            String coldStart, int firstSpreadEvents) {
    public static final String PER_KEY = "per-key";
    public static final String SHARED = "shared";
    /** {@link #coldStart}: a key without its own model runs on persistence. */
    public static final String COLD_START_NONE = "none";
    /** Default {@link #coldStart}. */
    public static final String DEFAULT_COLD_START = COLD_START_NONE;
    /** Default {@link #firstSpreadEvents}: every key's first training at {@code minTrainPoints}. */
    public static final int DEFAULT_FIRST_SPREAD_EVENTS = 0;
    /** Default {@link #swapDelayEvents}. */
    public static final int DEFAULT_SWAP_DELAY_EVENTS = 16;

    public static RetrainConfig defaults() {
        return new RetrainConfig(2000, 300, 1000, true, 42L, TrainingConfig.defaults());
    }

    /** The schedule's core settings, with the defaults for the rest. */
    public RetrainConfig(int historySize, int minTrainPoints, int retrainInterval, boolean requireImprovement,
                         long seed, TrainingConfig training) {
        this(historySize, minTrainPoints, retrainInterval, 0, 0, requireImprovement, seed, PER_KEY, 32, 60_000,
                4 << 20, Math.min(DEFAULT_SWAP_DELAY_EVENTS, historySize / 2), training);
    }

    /** Every setting but {@link #coldStart}, which takes its default. */
    public RetrainConfig(int historySize, int minTrainPoints, int retrainInterval, long retrainAfterMs,
                         int driftEvents, boolean requireImprovement, long seed, String scope, int sharedKeys,
                         long maxTrainingMs, int maxModelBytes, int swapDelayEvents, TrainingConfig training) {
        this(historySize, minTrainPoints, retrainInterval, retrainAfterMs, driftEvents, requireImprovement, seed,
                scope, sharedKeys, maxTrainingMs, maxModelBytes, swapDelayEvents, training, DEFAULT_COLD_START);
    }

    /** Every setting but {@link #firstSpreadEvents}, which takes its default. */
    public RetrainConfig(int historySize, int minTrainPoints, int retrainInterval, long retrainAfterMs,
                         int driftEvents, boolean requireImprovement, long seed, String scope, int sharedKeys,
                         long maxTrainingMs, int maxModelBytes, int swapDelayEvents, TrainingConfig training,
                         String coldStart) {
        this(historySize, minTrainPoints, retrainInterval, retrainAfterMs, driftEvents, requireImprovement, seed,
                scope, sharedKeys, maxTrainingMs, maxModelBytes, swapDelayEvents, training, coldStart,
                DEFAULT_FIRST_SPREAD_EVENTS);
    }

    public RetrainConfig {
        if (historySize < 64 || historySize > 1_000_000) {
            throw new BadConfigException("historySize must be in [64, 1000000], got " + historySize);
        }
        if (minTrainPoints < 32 || minTrainPoints > historySize) {
            throw new BadConfigException("minTrainPoints must be in [32, historySize=" + historySize + "], got "
                    + minTrainPoints);
        }
        if (retrainInterval < 1 || retrainInterval > 100_000_000) {
            throw new BadConfigException("retrainInterval must be in [1, 100000000], got " + retrainInterval);
        }
        if (retrainAfterMs < 0 || retrainAfterMs > 31_536_000_000L) {
            throw new BadConfigException("retrainAfterMs must be in [0, 31536000000], got " + retrainAfterMs);
        }
        if (driftEvents < 0 || driftEvents > 100_000_000) {
            throw new BadConfigException("driftEvents must be in [0, 100000000], got " + driftEvents);
        }
        if (!PER_KEY.equals(scope) && !SHARED.equals(scope)) {
            throw new BadConfigException("scope must be " + PER_KEY + " or " + SHARED + ", got '" + scope + "'");
        }
        if (sharedKeys < 1 || sharedKeys > 10_000) {
            throw new BadConfigException("sharedKeys must be in [1, 10000], got " + sharedKeys);
        }
        if (maxTrainingMs < 100 || maxTrainingMs > 86_400_000L) {
            throw new BadConfigException("maxTrainingMs must be in [100, 86400000], got " + maxTrainingMs);
        }
        if (maxModelBytes < 1024 || maxModelBytes > 104_857_600) {
            throw new BadConfigException("maxModelBytes must be in [1024, 104857600], got " + maxModelBytes);
        }
        if (swapDelayEvents < 0 || swapDelayEvents > historySize / 2) {
            throw new BadConfigException("swapDelayEvents must be in [0, historySize/2=" + historySize / 2 + "], got "
                    + swapDelayEvents);
        }
        if (training == null) {
            throw new BadConfigException("training settings are required");
        }
        if (!COLD_START_NONE.equals(coldStart) && !SHARED.equals(coldStart)) {
            throw new BadConfigException("retrain.coldStart must be " + SHARED + " or " + COLD_START_NONE + ", got '"
                    + coldStart + "'");
        }
        if (firstSpreadEvents < 0 || firstSpreadEvents > historySize - minTrainPoints) {
            throw new BadConfigException("retrain.firstSpreadEvents must be in [0, historySize - minTrainPoints="
                    + (historySize - minTrainPoints) + "], got " + firstSpreadEvents);
        }
    }

    /** Whether one model serves every key of the topology. */
    public boolean shared() {
        return SHARED.equals(scope);
    }

    /** Whether, in per-key scope, keys without a model of their own yet are scored by the shared model. */
    public boolean coldStartShared() {
        return !shared() && SHARED.equals(coldStart);
    }

    public RetrainConfig withScope(String s) {
        return new RetrainConfig(historySize, minTrainPoints, retrainInterval, retrainAfterMs, driftEvents,
                requireImprovement, seed, s, sharedKeys, maxTrainingMs, maxModelBytes, swapDelayEvents, training,
                coldStart, firstSpreadEvents);
    }

    public RetrainConfig withTraining(TrainingConfig t) {
        return new RetrainConfig(historySize, minTrainPoints, retrainInterval, retrainAfterMs, driftEvents,
                requireImprovement, seed, scope, sharedKeys, maxTrainingMs, maxModelBytes, swapDelayEvents, t,
                coldStart, firstSpreadEvents);
    }

    public RetrainConfig withSwapDelayEvents(int k) {
        return new RetrainConfig(historySize, minTrainPoints, retrainInterval, retrainAfterMs, driftEvents,
                requireImprovement, seed, scope, sharedKeys, maxTrainingMs, maxModelBytes, k, training, coldStart,
                firstSpreadEvents);
    }

    public RetrainConfig withColdStart(String c) {
        return new RetrainConfig(historySize, minTrainPoints, retrainInterval, retrainAfterMs, driftEvents,
                requireImprovement, seed, scope, sharedKeys, maxTrainingMs, maxModelBytes, swapDelayEvents, training,
                c, firstSpreadEvents);
    }

    public RetrainConfig withFirstSpreadEvents(int n) {
        return new RetrainConfig(historySize, minTrainPoints, retrainInterval, retrainAfterMs, driftEvents,
                requireImprovement, seed, scope, sharedKeys, maxTrainingMs, maxModelBytes, swapDelayEvents, training,
                coldStart, n);
    }
}
