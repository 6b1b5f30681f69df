package dev.vigil.score;

import java.util.Arrays;

/**
 * What a key has learnt of how far its readings leap and stand out, for the range rule's jump test ({@link
 * ScoringConfig#jumpHalfLife()}) and the spike rule ({@link ScoringConfig#spikeRows()}): the recent level a jump is
 * measured from, the lowest and highest jumps seen, the readings before the last and the largest distance a run of
 * readings stood out from its neighbours, with how many readings each has learnt from. Raw units (a count channel's
 * excursions on the scale that steadies its noise, {@link SpikeRule#spikeScale}). Not thread-safe; owned by the
 * {@link ScoreState} that holds it. Arrays returned by accessors are live.
 */
public final class Excursions {
    private final double[] jumpLevel;
    private final double[] jumpLow;
    private final double[] jumpHigh;
    private final double[] spikeBefore;
    private final double[] spikeHigh;
    /** Readings whose jump went into {@link #jumpLow()} and {@link #jumpHigh()}. */
    long jumpsSeen;
    /** Readings whose excursions went into {@link #spikeHigh()} since the spike rule last started learning. */
    long spikesSeen;

    Excursions(int channels) {
        jumpLevel = new double[channels];
        jumpLow = new double[channels];
        jumpHigh = new double[channels];
        spikeBefore = new double[Scorer.SPIKE_WIDTHS * channels];
        spikeHigh = new double[Scorer.SPIKE_WIDTHS * channels];
    }

    /**
     * Recent level of each channel that a reading's jump is measured from, raw units ({@link
     * ScoringConfig#jumpHalfLife()}; valid once updated).
     */
    public double[] jumpLevel() {
        return jumpLevel;
    }

    /** Per channel, the lowest jump (reading less its recent level) seen while jumps were learnt. */
    public double[] jumpLow() {
        return jumpLow;
    }

    /** Per channel, the highest jump (reading less its recent level) seen while jumps were learnt. */
    public double[] jumpHigh() {
        return jumpHigh;
    }

    /** Readings whose jump has gone into {@link #jumpLow()} and {@link #jumpHigh()}. */
    public long jumpsSeen() {
        return jumpsSeen;
    }

    /**
     * The readings before {@link ScoreState#last()}, raw units, oldest first: channel c's at [c · {@value
     * Scorer#SPIKE_WIDTHS}, (c + 1) · {@value Scorer#SPIKE_WIDTHS}) (the spike rule's context; valid once the key has
     * that many readings).
     */
    public double[] spikeBefore() {
        return spikeBefore;
    }

    /**
     * Per channel and width w (1..{@value Scorer#SPIKE_WIDTHS}), at c · {@value Scorer#SPIKE_WIDTHS} + w - 1: the
     * largest distance a run of w readings stood out from the readings on both sides of it while excursions were learnt
     * (on the scale that steadies its noise for a count channel, {@link SpikeRule#spikeScale}).
     */
    public double[] spikeHigh() {
        return spikeHigh;
    }

    /** Readings whose excursions have gone into {@link #spikeHigh()} since the spike rule started learning. */
    public long spikesSeen() {
        return spikesSeen;
    }

    /**
     * Restarts the spike rule's learning: no excursion learnt, none judged until {@value Scorer#JUMP_SETTLE} are (the
     * scale a channel's excursions are measured on changed).
     */
    void forgetSpikes() {
        Arrays.fill(spikeHigh, 0.0);
        spikesSeen = 0;
    }

    void copyFrom(Excursions other) {
        System.arraycopy(other.jumpLevel, 0, jumpLevel, 0, jumpLevel.length);
        System.arraycopy(other.jumpLow, 0, jumpLow, 0, jumpLow.length);
        System.arraycopy(other.jumpHigh, 0, jumpHigh, 0, jumpHigh.length);
        jumpsSeen = other.jumpsSeen;
        System.arraycopy(other.spikeBefore, 0, spikeBefore, 0, spikeBefore.length);
        System.arraycopy(other.spikeHigh, 0, spikeHigh, 0, spikeHigh.length);
        spikesSeen = other.spikesSeen;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Excursions e && Arrays.equals(jumpLevel, e.jumpLevel) && Arrays.equals(jumpLow, e.jumpLow)
                && Arrays.equals(jumpHigh, e.jumpHigh) && jumpsSeen == e.jumpsSeen
                && Arrays.equals(spikeBefore, e.spikeBefore) && Arrays.equals(spikeHigh, e.spikeHigh)
                && spikesSeen == e.spikesSeen;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(jumpLevel) * 31 + Long.hashCode(jumpsSeen);
    }
}
