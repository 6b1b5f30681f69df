package dev.vigil.score;

import static dev.vigil.score.Scorer.FLATLINE_TAIL;

/**
 * The stuck-sensor rule ({@link ScoringConfig#flatlineEvents()}, {@link ScoringConfig#flatlineRuns()},
 * {@link ScoringConfig#countIdleRuns()}): a run of exact repeats improbable for the key; and what its alert says.
 * Stateless apart from its configuration; thread-safe.
 */
final class StuckRule {
    private final ScoringConfig config;

    StuckRule(ScoringConfig config) {
        this.config = config;
    }

    /**
     * Tracks runs of readings that repeat the previous one exactly in every channel (a stuck sensor). True once per
     * run, at the first event where the run is at least {@code flatlineEvents} long and improbable for this key:
     * {@code p^run <= FLATLINE_TAIL}, p being the key's own rate of exact repeats, so a quantised sensor that often
     * repeats needs a longer run than one that never does. With {@link ScoringConfig#flatlineRuns()} (or, for a key
     * that counts, {@link ScoringConfig#countIdleRuns()}) a run at a
     * reading the key idles at ({@link IdleReadings}) is judged against the key's own runs there instead: {@code
     * p·q^(run-1)}, the run's start at the key's repeat rate p (counted before this run began) and each further repeat
     * at the rate q of a repeat following a repeat in its earlier long runs at that reading (at least p); a run at any
     * other reading as without the setting, and only once it is longer than twice the longest run the key has held at
     * such a reading without being flagged ({@link IdleReadings#longestQuiet()}). Only for keys that have varied. Call
     * before {@link OnlineNormaliser#update}.
     * Modifies {@code state}.
     */
    boolean flatline(ScoreState state, double[] values) {
        boolean repeated = state.updates() > 0;
        boolean varied = false;
        for (int c = 0; c < values.length; c++) {
            repeated &= values[c] == state.last()[c];
            varied |= state.scale()[c] > 0;
        }
        state.fitIdle(config.flatlineRuns() || countsIdle(state, values));
        IdleReadings idle = state.idle();
        if (idle != null && !repeated) {
            idle.runEnded(state.last(), state.flatRun);
            if (config.flatlineEvents() > 0 && state.flatRun >= config.flatlineEvents()) {
                // a long run just ended: the key may idle at its reading
                idle.record(state.last(), state.flatRun);
            }
        }
        System.arraycopy(values, 0, state.last(), 0, values.length);
        if (repeated && state.flatRun > 0) {
            state.repeatsAfterRepeat++;
        }
        state.flatRun = repeated ? state.flatRun + 1 : 0;
        state.repeats += repeated ? 1 : 0;
        if (config.flatlineEvents() == 0 || !varied || state.flatRun < config.flatlineEvents()) {
            return false;
        }
        // p: how often this key repeats a reading exactly (Laplace-smoothed over its history); a run of r repeats
        // has probability p^r, and fires once, when that first falls to the alert's tail level
        double p = (state.repeats + 1.0) / (state.updates() + 2.0);
        double tail = Math.pow(p, state.flatRun);
        double before = Math.pow(p, state.flatRun - 1);
        int slot = idle == null ? -1 : idle.slot(values);
        if (slot >= 0) {
            // the repeat rate as it was before this run began, the runs at this reading as they ended: the run does
            // not vouch for itself
            long repeatsBefore = state.repeats - state.flatRun;
            double start = (repeatsBefore + 1.0) / (state.updates() - state.flatRun + 2.0);
            double q = Math.max(start, (idle.following(slot) + 1.0) / (idle.repeats(slot) + 2.0));
            tail = start * Math.pow(q, state.flatRun - 1);
            before = start * Math.pow(q, state.flatRun - 2);
        }
        boolean flagged;
        if (idle != null && slot < 0 && !idle.beyondHabit(state.flatRun)) {
            // a run at a working reading no longer than the key's habit there
            flagged = false;
        } else if (idle != null && slot < 0 && idle.justBeyondHabit(state.flatRun)) {
            flagged = tail <= FLATLINE_TAIL;
        } else {
            flagged = tail <= FLATLINE_TAIL && (before > FLATLINE_TAIL || state.flatRun == config.flatlineEvents());
        }
        if (idle != null) {
            idle.runFlagged |= flagged;
        }
        return flagged;
    }

    /**
     * Whether the key's runs are judged at the readings it idles at because it counts ({@link
     * ScoringConfig#countIdleRuns()}): every channel a count so far and now.
     */
    boolean countsIdle(ScoreState state, double[] values) {
        if (!config.countIdleRuns() || !config.countAware()) {
            return false;
        }
        for (int c = 0; c < values.length; c++) {
            if (!state.counts()[c] || !OnlineNormaliser.isCount(values[c])) {
                return false;
            }
        }
        return true;
    }

    /**
     * What a stuck-sensor alert says: the run, and with the idle readings in use what it was judged against (its runs
     * at a reading it idles at, or the longest it has held at a working reading).
     */
    static String detail(ScoreState state) {
        String run = "the same reading " + state.flatRun + " times in a row";
        IdleReadings idle = state.idle();
        if (idle == null) {
            return run;
        }
        int slot = idle.slot(state.last());
        if (slot >= 0 && !Double.isNaN(idle.reading(slot, 0))) {
            return run + ", longer than this sensor's idle spells at that reading";
        }
        if (slot < 0 && idle.longestQuiet() > 0) {
            return run + ", more than twice the longest this sensor has held a working reading (" + idle.longestQuiet()
                    + ")";
        }
        return run;
    }
}
