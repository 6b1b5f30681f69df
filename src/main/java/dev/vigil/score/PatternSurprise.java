package dev.vigil.score;

/**
 * How surprising a reading is as the continuation of the key's own recent sequence, whatever its size: the
 * pattern signal, which sees an in-range break of a habit (a daily peak that does not come, a level that steps
 * inside the usual range, a spike pattern that changes) that neither the range rule nor a small prediction error
 * shows.
 *
 * <p>Each reading is quantised into one of {@code bins} equal bins across the range the channel has seen so far
 * (with one symbol for below and one for above that range). The last {@code length - 1} symbols are the context;
 * the key's {@link PatternTable} counts which symbol followed each context. The probability of this reading's
 * symbol after its context is estimated as in PPM (method C): a symbol seen {@code k} times out of {@code n}, in a
 * context followed by {@code u} distinct symbols so far, has probability {@code k / (n + u)}; an unseen one shares
 * the escape probability {@code (u + 1) / (n + u + 1)} with the other unseen symbols. So a context that has always
 * been followed by the same thing makes a novel continuation very surprising, while a noisy context, followed by
 * many things, does not. The raw surprise is {@code min(1, -ln p / ln 1000)}: a continuation with probability
 * 1/1000 or less is maximally surprising. A context seen fewer than {@link #MIN_CONTEXT} times says too little, so
 * the estimate backs off to the shorter context (the latest symbols only, down to the previous one), as PPM does;
 * with no context seen often enough the surprise is 0. Several channels: the largest surprise.
 *
 * <p>The raw surprise then goes through the same calibration as the prediction error ({@link AnomalyLikelihood}
 * on its own {@link SignalLevel}), so it counts only when the key's recent surprise is unusual for that key.
 * Stateless; works on a {@link PatternTable}.
 */
public final class PatternSurprise {
    /** Times a context must have been seen before its continuations can surprise. */
    public static final int MIN_CONTEXT = 5;
    /** Probability at and below which a continuation's raw surprise is 1. */
    public static final double FULL_SURPRISE = 1e-3;
    private static final double LOG_FULL_SURPRISE = -Math.log(FULL_SURPRISE);
    private static final int MAX_COUNT = 255;

    private PatternSurprise() {
    }

    /** Symbols of a channel: {@code bins} bins across the range, one below it, one above it. */
    public static int symbols(int bins) {
        return bins + 2;
    }

    /**
     * Scores the reading as the continuation of each channel's context, then counts it. Call before the range in
     * {@code score} absorbs the reading. Modifies {@code table}.
     *
     * @return the raw surprise in [0, 1] (the largest over channels), 0 while any context is incomplete
     */
    public static double observe(PatternTable table, ScoreState score, double[] values) {
        int bins = table.bins();
        int length = table.length();
        int symbols = symbols(bins);
        int cells = PatternTable.cells(bins, length);
        byte[] counts = table.counts();
        byte[] latest = table.latest();
        boolean complete = table.filled >= length - 1;
        double surprise = 0;
        for (int c = 0; c < values.length; c++) {
            int symbol = symbol(score, c, values[c], bins);
            int history = c * (length - 1);
            if (complete) {
                int context = 0;
                for (int i = 0; i < length - 1; i++) {
                    context = context * symbols + latest[history + i];
                }
                int row = c * cells + context * symbols;
                surprise = Math.max(surprise, backedOff(counts, c * cells, context, length - 1, symbols, symbol));
                count(counts, row, symbols, symbol);
            }
            if (length > 2) {
                System.arraycopy(latest, history + 1, latest, history, length - 2);
            }
            latest[history + length - 2] = (byte) symbol;
        }
        table.filled = Math.min(length, table.filled + 1);
        return surprise;
    }

    /** The reading's symbol: 0 below the range seen so far (or while there is none), bins + 1 above it. */
    static int symbol(ScoreState score, int c, double x, int bins) {
        double lo = score.min()[c];
        double hi = score.max()[c];
        if (score.updates() == 0 || hi <= lo || x < lo) {
            return 0;
        }
        if (x > hi) {
            return bins + 1;
        }
        return 1 + Math.min(bins - 1, (int) ((x - lo) / (hi - lo) * bins));
    }

    /**
     * The surprise of {@code symbol} after the longest suffix of {@code context} (of {@code order} symbols) seen at
     * least {@link #MIN_CONTEXT} times; the counts of a shorter context are those of the full one summed over the
     * symbols dropped from its front.
     */
    private static double backedOff(byte[] counts, int base, int context, int order, int symbols, int symbol) {
        int row = base + context * symbols;
        int seenInFull = 0;
        int distinctInFull = 0;
        for (int s = 0; s < symbols; s++) {
            int k = Byte.toUnsignedInt(counts[row + s]);
            seenInFull += k;
            distinctInFull += k > 0 ? 1 : 0;
        }
        if (seenInFull >= MIN_CONTEXT) {
            // the usual case once a key has settled: no back-off, nothing allocated
            return surprise(Byte.toUnsignedInt(counts[row + symbol]), seenInFull, distinctInFull, symbols);
        }
        // back off: a suffix of `kept` symbols collects the rows of every context ending in it
        int[] next = new int[symbols];
        int span = 1;
        for (int i = 0; i < order; i++) {
            span *= symbols;
        }
        int prefixes = 1;
        for (int kept = order - 1; kept >= 1; kept--) {
            span /= symbols;
            prefixes *= symbols;
            int suffix = context % span;
            java.util.Arrays.fill(next, 0);
            for (int prefix = 0; prefix < prefixes; prefix++) {
                int r = base + (prefix * span + suffix) * symbols;
                for (int s = 0; s < symbols; s++) {
                    next[s] += Byte.toUnsignedInt(counts[r + s]);
                }
            }
            int seen = 0;
            int distinct = 0;
            for (int k : next) {
                seen += k;
                distinct += k > 0 ? 1 : 0;
            }
            if (seen >= MIN_CONTEXT) {
                return surprise(next[symbol], seen, distinct, symbols);
            }
        }
        return 0;
    }

    /** The raw surprise of a symbol seen {@code k} times in a context seen {@code seen} times, {@code distinct} ways. */
    private static double surprise(int k, int seen, int distinct, int symbols) {
        double p = k > 0 ? k / (double) (seen + distinct)
                : (distinct + 1.0) / (seen + distinct + 1.0) / (symbols - distinct);
        return Math.min(1.0, -Math.log(p) / LOG_FULL_SURPRISE);
    }

    private static void count(byte[] counts, int row, int symbols, int symbol) {
        if (Byte.toUnsignedInt(counts[row + symbol]) == MAX_COUNT) {
            for (int s = 0; s < symbols; s++) {
                counts[row + s] = (byte) (Byte.toUnsignedInt(counts[row + s]) >>> 1);
            }
        }
        counts[row + symbol]++;
    }
}
