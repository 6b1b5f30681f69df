package dev.vigil.score;

/**
 * Whether the shape of a key's latest few readings is one it has not shown before: the window novelty signal, a fuzzy
 * ART over windows of readings (as ARTime, the best published detector on NAB, does). It sees what a one-step
 * prediction and the range rule miss: a peak of a new shape, a cycle that changes its form, a burst pattern unlike
 * the key's others, all inside the usual range.
 *
 * <p>A reading's window is the latest {@code window} readings of each channel, each scaled into the range the channel
 * had before the reading ({@code (x - min) / (max - min)}, clamped to [0, 1]) and complement coded (each value a and
 * 1 - a); a category keeps its weights as bytes. A category w matches the window I when |I ∧ w| / |I| is at least {@code
 * match} (∧ the smaller of each pair, |·| the sum); of the matching categories the one with the largest |I ∧ w| / (α +
 * |w|) learns the window, w ← β (I ∧ w) + (1 - β) w (fuzzy ART's slow learning: a category is a box that widens to hold
 * the windows it matched). A window no category matches becomes a category of its own, in place of the one matched
 * least recently when the key holds {@code capacity} of them: a key remembers the shapes it keeps showing. Such a
 * window is novel: the raw novelty is 1, else 0.
 *
 * <p>The raw novelty is calibrated like the other signals ({@link AnomalyLikelihood}, over the last {@code
 * patternWindow} readings): the share of novel windows is judged against the key's own long-run share, which the
 * calibration learns afresh from the key's {@value #SETTLE}th reading on (while a key learns its first windows most
 * are new, which says nothing of its settled habit); the score counts from then on. A noisy key, whose windows are
 * often new, is judged against its own rate; a bursty count's new shapes are not judged at all, as the rhythm signal
 * does not judge its days. Not on by default: docs/detection-quality.md (fifty-sixth session) gives
 * what it moved. Stateless.
 */
public final class WindowNovelty {
    /** Readings a key learns its windows from before a novel one counts. */
    public static final int SETTLE = 300;
    /** The byte that stands for 1 in a window and in a category's weights. */
    static final int FULL = 255;
    /** Fuzzy ART's learning rate β: a category moves a tenth of the way to the window it matched. */
    static final double LEARNING_RATE = 0.1;
    /** Fuzzy ART's choice parameter α: ties go to the smaller category. */
    private static final double CHOICE_ALPHA = 0.001 * FULL;

    private WindowNovelty() {
    }

    /**
     * The window novelty signal's calibrated score for this reading, 0 when it is off ({@link
     * ScoringConfig#noveltyWindow()} 0), the key has not settled or one of its channels is a bursty count. Call before
     * {@link OnlineNormaliser#update}: the window is scaled into the range seen before the reading. Modifies {@code
     * state}.
     */
    static double score(ScoreState state, double[] values, ScoringConfig config) {
        state.fitNovelty(config.noveltyWindow(), config.noveltyCategories(), config.patternWindow());
        NoveltyState n = state.novelty();
        if (n == null) {
            return 0.0;
        }
        double raw = observe(n, state, values, config.noveltyMatch());
        if (n.readings == SETTLE + 1) {
            // the share of novel windows while the key learnt its first ones says nothing of its settled habit
            n.level.restore(n.level.recentCount(), n.level.recentNext(), 0, 0, 0);
        }
        double score = AnomalyLikelihood.calibrate(n.level, raw, 0.0, config);
        return settled(n) && !burstyCount(state, values.length) ? score : 0.0;
    }

    /**
     * Whether some channel is a bursty count ({@link DailySignals#burstyCount}): its bursts take shapes of their own as
     * a matter of course, so a new one says nothing (the key still learns its windows, in case it settles).
     */
    private static boolean burstyCount(ScoreState state, int channels) {
        for (int c = 0; c < channels; c++) {
            if (DailySignals.burstyCount(state, c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Scores this reading's window and learns it. Call before the normaliser takes the reading in: the window is scaled
     * into the range seen before it. Modifies {@code n}.
     *
     * @param match the share of a window a category must hold to match it ({@link ScoringConfig#noveltyMatch()})
     * @return the raw novelty: 1 when no category matched the window, else 0
     */
    static double observe(NoveltyState n, ScoreState state, double[] values, double match) {
        int w = n.window;
        for (int c = 0; c < n.channels; c++) {
            n.ring[c * w + n.next] = values[c];
        }
        n.next = (n.next + 1) % w;
        n.filled = Math.min(w, n.filled + 1);
        if (n.readings < Integer.MAX_VALUE) {
            n.readings++;
        }
        if (n.filled < w || state.updates() == 0) {
            return 0.0;
        }
        double[] input = input(n, state);
        int best = bestMatch(n, input, match * input.length / 2 * FULL);
        if (best >= 0) {
            learn(n, input, best);
            return 0.0;
        }
        add(n, input);
        return 1.0;
    }

    /** Whether the key has learnt its windows long enough for a novel one to count. */
    private static boolean settled(NoveltyState n) {
        return n.readings > SETTLE;
    }

    /**
     * The window of every channel, oldest reading first, scaled into the range seen so far (0 to {@value #FULL}), then
     * complemented: in the state's scratch ({@link NoveltyState#input}).
     */
    private static double[] input(NoveltyState n, ScoreState state) {
        int w = n.window;
        int half = n.channels * w;
        double[] input = n.input;
        for (int c = 0; c < n.channels; c++) {
            double lo = state.min()[c];
            double span = state.max()[c] - lo;
            for (int i = 0; i < w; i++) {
                double x = n.ring[c * w + (n.next + i) % w];
                double a = span > 0 ? Math.max(0.0, Math.min(1.0, (x - lo) / span)) : 0.5;
                input[c * w + i] = a * FULL;
                input[half + c * w + i] = (1.0 - a) * FULL;
            }
        }
        return input;
    }

    /** The matching category of largest choice, -1 when none holds {@code need} of the window. */
    private static int bestMatch(NoveltyState n, double[] input, double need) {
        int dims = input.length;
        byte[] weights = n.weights;
        int best = -1;
        double bestChoice = -1;
        for (int k = 0; k < n.categories; k++) {
            int at = k * dims;
            double common = 0;
            int size = 0;
            for (int i = 0; i < dims; i++) {
                int wi = weights[at + i] & 0xff;
                common += Math.min(input[i], wi);
                size += wi;
            }
            if (common >= need) {
                double choice = common / (CHOICE_ALPHA + size);
                if (choice > bestChoice) {
                    bestChoice = choice;
                    best = k;
                }
            }
        }
        return best;
    }

    /**
     * Category k learns the window and becomes the most recently matched (the last). The learnt weights are worked out
     * in place of the window, which is not needed after.
     */
    private static void learn(NoveltyState n, double[] input, int k) {
        int dims = input.length;
        for (int i = 0; i < dims; i++) {
            int wi = n.weights[k * dims + i] & 0xff;
            input[i] = Math.round(LEARNING_RATE * Math.min(input[i], wi) + (1 - LEARNING_RATE) * wi);
        }
        int last = n.categories - 1;
        System.arraycopy(n.weights, (k + 1) * dims, n.weights, k * dims, (last - k) * dims);
        for (int i = 0; i < dims; i++) {
            n.weights[last * dims + i] = (byte) (int) input[i];
        }
    }

    /** The window becomes the most recent category, in place of the least recently matched when the state is full. */
    private static void add(NoveltyState n, double[] input) {
        int dims = input.length;
        if (n.categories == n.capacity()) {
            System.arraycopy(n.weights, dims, n.weights, 0, (n.categories - 1) * dims);
        } else {
            n.categories++;
        }
        int at = (n.categories - 1) * dims;
        for (int i = 0; i < dims; i++) {
            n.weights[at + i] = (byte) Math.round(input[i]);
        }
    }
}
