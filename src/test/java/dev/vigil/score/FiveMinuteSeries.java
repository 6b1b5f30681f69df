package dev.vigil.score;

/** Five-minute readings from midnight UTC, Monday 1 March 2021, scored as the time-of-day tests score them. */
final class FiveMinuteSeries {
    static final long STEP_MS = 300_000L;
    /** Readings a day. */
    static final int DAY = 288;
    /** Midnight UTC, Monday 1 March 2021. */
    static final long START = 1_614_556_800_000L;

    private FiveMinuteSeries() {
    }

    /** Scores every reading with persistence, at its event time ({@code timed}) or without one. */
    static ScoreOutcome[] run(Scorer scorer, ScoreState state, double[] x, boolean timed) {
        ScoreOutcome[] out = new ScoreOutcome[x.length];
        for (int t = 0; t < x.length; t++) {
            double[] prediction = t == 0 ? null : new double[] {x[t - 1]};
            out[t] = scorer.score(state, new double[] {x[t]}, prediction, t * STEP_MS,
                    timed ? START + t * STEP_MS : Scorer.NO_TIME);
        }
        return out;
    }

    /** The first event in [from, to) that opened an alert, or -1. */
    static int firstOpened(ScoreOutcome[] out, int from, int to) {
        for (int t = from; t < to; t++) {
            if (out[t].transition() == AlertTransition.OPENED) {
                return t;
            }
        }
        return -1;
    }
}
