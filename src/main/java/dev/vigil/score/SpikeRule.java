package dev.vigil.score;

import static dev.vigil.score.Scorer.JUMP_SETTLE;
import static dev.vigil.score.Scorer.SPIKE_WIDTHS;

/**
 * The spike rule ({@link ScoringConfig#spikeRows()}): one or two readings that stand out from both neighbours further
 * than the key's own excursions ever did; and what its alert says. Stateless apart from its configuration; thread-safe.
 */
final class SpikeRule {
    private final ScoringConfig config;

    SpikeRule(ScoringConfig config) {
        this.config = config;
    }

    /**
     * The spike rule ({@link ScoringConfig#spikeRows()}). For each width w up to {@value Scorer#SPIKE_WIDTHS}: how far
     * the run of the w readings before this one stands out from the reading before the run and this one (all of the run
     * above both, or all below both; negative otherwise). Once a key's excursions are learnt (from its {@value
     * Scorer#JUMP_SETTLE}th reading on, judged once that many are), a run that stands out by more than {@code 1 +
     * spikeMargin} times the largest of its width before is a spike: a reading the key's own noise, bursts and wander
     * have never made stand out that far, alone, and that came straight back. Every width is learnt whatever {@code
     * spikeRows} is. A count channel (with {@link ScoringConfig#countAware()}) is measured on the scale that steadies
     * its noise ({@link #spikeScale}: the square root, or with the key's over-dispersion learnt the negative
     * binomial's, on which its noise is as wide at every rate, where on the square root a busy spell's is far wider
     * than a quiet one's and sets what every run must beat); one that stops being a count restarts the learning, its
     * excursions having been on the other scale. Call before {@link StuckRule#flatline} (it reads the previous
     * reading) and {@link OnlineNormaliser#update} (the count flags before this reading). Modifies {@code state}.
     *
     * @return 0, or the width of the narrowest spike found, negative for one below its neighbours
     */
    int record(ScoreState state, double[] values) {
        Excursions learnt = state.excursions();
        double[] before = learnt.spikeBefore();
        double[] high = learnt.spikeHigh();
        boolean learn = state.updates() > JUMP_SETTLE;
        boolean judge = learn && judges(state);
        int found = 0;
        boolean restart = false;
        CountDispersion dispersion = state.dispersion();
        for (int c = 0; c < values.length; c++) {
            int at = c * SPIKE_WIDTHS;
            boolean root = config.countAware() && state.counts()[c];
            restart |= root && !OnlineNormaliser.isCount(values[c]);
            if (learn) {
                double rootPhi = root && dispersion != null ? Math.sqrt(dispersion.phi(c)) : 0.0;
                double end = spikeScale(values[c], root, rootPhi);
                double low = spikeScale(state.last()[c], root, rootPhi);
                double top = low;
                for (int w = 1; w <= SPIKE_WIDTHS; w++) {
                    double start = spikeScale(before[at + SPIKE_WIDTHS - w], root, rootPhi);
                    double above = low - Math.max(start, end);
                    double below = Math.min(start, end) - top;
                    double stands = Math.max(above, below);
                    int h = at + w - 1;
                    if (judge && found == 0 && w <= config.spikeRows() && stands > 0
                            && stands > high[h] * (1 + config.spikeMargin())) {
                        found = above >= below ? w : -w;
                    }
                    high[h] = Math.max(high[h], stands);
                    low = Math.min(low, start);
                    top = Math.max(top, start);
                }
            }
            System.arraycopy(before, at + 1, before, at, SPIKE_WIDTHS - 1);
            before[at + SPIKE_WIDTHS - 1] = state.last()[c];
        }
        if (restart) {
            learnt.forgetSpikes();
            return 0;
        }
        if (learn) {
            learnt.spikesSeen++;
        }
        return found;
    }

    /** Whether the key's excursions are learnt, so that the spike rule judges its readings ({@link #record}). */
    boolean judges(ScoreState state) {
        return config.spikeRows() > 0 && state.excursions().spikesSeen() >= JUMP_SETTLE;
    }

    /**
     * A reading on the scale its channel's excursions are measured on: raw for a gauge; for a count (root) whose
     * variance about a mean m is m + φm² (φ its over-dispersion, {@link CountDispersion#phi}; {@code rootPhi} = √φ,
     * taken once a channel), asinh(√(φx)) / √φ, on which that noise has the same spread at every level, and the
     * square root √x, Poisson's, when φ is 0 (the limit of the other as φ goes to 0).
     */
    static double spikeScale(double reading, boolean root, double rootPhi) {
        if (!root) {
            return reading;
        }
        double rootReading = Math.sqrt(Math.max(0.0, reading));
        if (!(rootPhi > 0)) {
            return rootReading;
        }
        double x = rootPhi * rootReading;
        // asinh(x) = ln(x + √(x² + 1)), x ≥ 0
        return Math.log(x + Math.sqrt(x * x + 1)) / rootPhi;
    }

    /** What a spike alert says: its width, its side and how far past the key's excursions it stood out. */
    String detail(int spike) {
        int w = Math.abs(spike);
        return String.format(java.util.Locale.ROOT, "a spike: %d reading%s %s the readings either side, standing out"
                + " more than %s times as far as any before", w, w == 1 ? "" : "s", spike > 0 ? "above" : "below",
                ScoringConfig.fmt(1 + config.spikeMargin()));
    }
}
