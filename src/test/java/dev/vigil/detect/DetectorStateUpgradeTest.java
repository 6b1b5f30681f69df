package dev.vigil.detect;

import dev.vigil.score.ScoreState;
import dev.vigil.score.Scorer;
import dev.vigil.testutil.LegacyDetectorState;
import dev.vigil.testutil.SyntheticSeries;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V15;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V18;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V1;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V10;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V11;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V12;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V13;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V14;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V2;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V3;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V4;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V5;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V6;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V7;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V8;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V9;
import static dev.vigil.detect.DetectorStateCodecTest.fixture;
import static dev.vigil.detect.DetectorStateCodecTest.sampleState;
import static dev.vigil.detect.DetectorStateCodecTest.writeWhenAsked;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every released detector-state format (the fixtures of {@link DetectorStateCodecTest}) still decodes, and re-encodes
 * as today's format with what each later format adds, so a state store written by any release upgrades in place.
 */
class DetectorStateUpgradeTest {
    /** What format 14 adds at the end of the score section for a state without a rhythm state: its flag byte. */
    static final int RHYTHM_FLAG = 1;
    /** What format 18 adds at the end of the score section for a state without window novelty: its window byte, 0. */
    static final int NOVELTY_BYTE = 1;
    /** What today's format has after the score section's time-of-day profile for a state with neither. */
    static final int SCORE_TAIL = RHYTHM_FLAG + NOVELTY_BYTE;
    /** What format 10 adds to the score section for one channel: the jumps' level, low and high, and their count. */
    static final int JUMP_SECTION = 3 * 8 + 8;
    /** What format 11 adds after it: the two readings before the last, the largest excursions of width 1 and 2, and
     * how many were learnt. */
    static final int SPIKE_SECTION = 2 * Scorer.SPIKE_WIDTHS * 8 + 8;
    /** What format 12 adds after it: the time-of-day profile, a float per bin of the day. */
    static final int HOUR_SECTION = 4 * Scorer.HOUR_BINS;
    /** The score section's sections after the run count: the jumps, the spike rule's and the time-of-day profile. */
    static final int LATER_SCORE = JUMP_SECTION + SPIKE_SECTION + HOUR_SECTION;
    /**
     * What format 6 adds for one channel (count flags, recent mean, drift calibration: ring of 1 and scalars), with
     * format 8's run count, format 10's jumps, format 11's spike section, format 12's time-of-day profile, format 7's
     * cold-start flag and format 9's first event time after it.
     */
    static final int V6_SECTION = 1 + 8 + 4 + 2 + 8 + 8 + 8 + 8 + LATER_SCORE + 1 + 8;
    /** Where the error ring starts in the sample state's bytes (H=32, 1 layer, d=1), before and since format 13. */
    static final int ERROR_RING_AT = 5 + 2 * 32 * 4 + 8 + 1 + 11 * 8 + 2 + 4 * 8;
    /** The history head the v5 and v6 fixtures hold (opaque to the codec; the stream's ring reads it). */
    static final String HISTORY_HEAD = "/fixtures/history-head-v3.bin";
    @Test
    void shouldStillDecodeTheReleasedV1FixtureWithAFreshSchedule() throws IOException {
        DetectorState state = DetectorStateCodec.decode(fixture(FIXTURE_V1));
        assertEquals(300, state.events());
        assertEquals(3, state.modelVersion());
        assertEquals(1, state.channels());
        assertEquals(32, state.lstm().hiddenSize());
        assertEquals(SyntheticSeries.START + 299 * SyntheticSeries.STEP_MS, state.lastTimestamp());
        assertEquals(0, state.schedule().attempts());
        assertEquals(DetectorState.NO_TIMESTAMP, state.schedule().lastAttemptTime());
    }

    @Test
    void shouldStillDecodeTheReleasedV2FixtureWithoutPatterns() throws IOException {
        DetectorState state = DetectorStateCodec.decode(fixture(FIXTURE_V2));
        assertEquals(300, state.events());
        assertEquals(50, state.schedule().sinceAttempt());
        assertEquals(1, state.schedule().attempts());
        assertNull(state.score().patterns(), "a version-2 state has no pattern table yet");
        assertEquals(0, state.score().pattern().levelUpdates());
        // the scorer gives such a state a fresh table on its next event
        new Detector(DetectorConfig.defaults()).step(null, state,
                new Event(SyntheticSeries.START + 300 * SyntheticSeries.STEP_MS, new double[] {10}));
        assertNotNull(state.score().patterns());
        assertEquals(1, state.score().pattern().levelUpdates());
    }

    @Test
    void shouldStillDecodeTheReleasedV3FixtureWithoutAPendingSwap() throws IOException {
        DetectorState state = DetectorStateCodec.decode(fixture(FIXTURE_V3));
        assertEquals(300, state.events());
        assertEquals(1, state.schedule().attempts());
        assertEquals(300, state.score().pattern().levelUpdates());
        assertFalse(state.schedule().hasPendingSwap(), "a version-3 state has no pending swap");
        assertEquals(DetectorStateCodec.VERSION_WITHOUT_OFFSET, DetectorStateCodec.encode(state)[0]);
    }

    @Test
    void shouldDecodeTheReleasedV4FixtureWithItsSchedulePendingSwapAndPatterns() throws IOException {
        byte[] bytes = fixture(FIXTURE_V4);
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertSampleState(state);
        assertNull(DetectorStateBytes.historyHead(bytes), "a version-4 state has its history head elsewhere");
        byte[] current = DetectorStateCodec.encode(state);
        // the same state, then its count flags and drift section, and an empty history head (its length)
        assertUpgraded(bytes, current, V6_SECTION + 4);
        int section = current.length - 8 - 8 - V6_SECTION - SCORE_TAIL;
        assertEquals(0, current[section], "a seasonal series with fractional readings does not count");
        assertEquals(state.score().center()[0], state.score().recentMean()[0], "the recent mean starts at the centre");
        assertEquals(0, state.score().drift().levelUpdates());
        assertArrayEquals(current, DetectorStateCodec.encode(DetectorStateCodec.decode(current)));
    }

    @Test
    void shouldDecodeTheReleasedV5FixtureDerivingItsCountFlags() throws IOException {
        byte[] head = fixture(HISTORY_HEAD);
        byte[] bytes = fixture(FIXTURE_V5);
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertSampleState(state);
        assertArrayEquals(head, DetectorStateBytes.historyHead(bytes));
        assertFalse(state.score().counts()[0], "min, max and last of the sample are not all whole numbers");
        byte[] current = DetectorStateCodec.encode(state, head);
        // the same state, with the count flags and drift section after it
        assertUpgraded(bytes, current, V6_SECTION);
        assertArrayEquals(head, DetectorStateBytes.historyHead(current));
    }

    @Test
    void shouldDeriveCountFlagsOfAnOlderStateFromItsRange() throws IOException {
        DetectorState state = DetectorStateCodec.decode(fixture(FIXTURE_V5));
        state.score().min()[0] = 0;
        state.score().max()[0] = 17;
        state.score().last()[0] = 3;
        byte[] v6 = LegacyDetectorState.ringsAsDoubles(DetectorStateCodec.encode(state));
        // the same bytes as version 5 wrote them: no count and drift section (its ring a double) before the (empty)
        // head's length
        byte[] v5 = Arrays.copyOf(v6, v6.length - V6_SECTION - 4);
        System.arraycopy(v6, v6.length - 8, v5, v5.length - 8, 4);
        LegacyDetectorState.sealed(v5, 5);
        assertTrue(DetectorStateCodec.decode(v5).score().counts()[0], "whole numbers >= 0 throughout: a count");
    }

    @Test
    void shouldDecodeTheReleasedV6FixtureWithItsHistoryHead() throws IOException {
        byte[] bytes = fixture(FIXTURE_V6);
        byte[] current = reencoded(bytes, false);
        // the same state, then the run count, the jumps, the spike section and the cold-start flag
        assertUpgraded(bytes, current, 8 + LATER_SCORE + 1 + 8);
        int flagAt = bytes.length - 8 - fixture(HISTORY_HEAD).length - ringSavings(bytes);
        assertEquals(0L, java.nio.ByteBuffer.wrap(current, flagAt, 8).getLong(), "no repeats: no run count");
        assertEquals(0, current[flagAt + 8 + LATER_SCORE], "no rhythm state");
        assertEquals(0, current[flagAt + 8 + LATER_SCORE + RHYTHM_FLAG], "no window novelty");
        assertEquals(0, current[flagAt + 8 + LATER_SCORE + SCORE_TAIL]);
        assertEquals(DetectorState.NO_TIMESTAMP,
                java.nio.ByteBuffer.wrap(current, flagAt + 9 + LATER_SCORE + SCORE_TAIL, 8).getLong(),
                "the first event time is not known: an established key");
    }

    @Test
    void shouldDecodeTheReleasedV7FixtureWithItsColdStartFlag() throws IOException {
        byte[] bytes = fixture(FIXTURE_V7);
        byte[] current = reencoded(bytes, true);
        assertUpgraded(bytes, current, 8 + LATER_SCORE + 8);
        int flagAt = bytes.length - 8 - fixture(HISTORY_HEAD).length - 1;
        int at = flagAt - ringSavings(bytes);
        assertEquals(0L, java.nio.ByteBuffer.wrap(current, at, 8).getLong(),
                "after the score section the run count, estimated from the fixture's repeats (none)");
        int later = LATER_SCORE + SCORE_TAIL;
        assertEquals(bytes[flagAt], current[at + 8 + later], "then the jumps and the cold-start flag");
        assertEquals(DetectorState.NO_TIMESTAMP,
                java.nio.ByteBuffer.wrap(current, at + 9 + later, 8).getLong());
        assertArrayEquals(Arrays.copyOfRange(bytes, flagAt + 1, bytes.length - 4),
                Arrays.copyOfRange(current, at + 17 + later + 8, current.length - 4), "and, after the model centre, the head");
    }

    @Test
    void shouldDecodeTheReleasedV8FixtureAsAnEstablishedKey() throws IOException {
        byte[] bytes = fixture(FIXTURE_V8);
        assertEquals(8, bytes[0]);
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertEquals(DetectorState.NO_TIMESTAMP, state.firstTimestamp());
        assertEquals(Scorer.ESTABLISHED, state.ageAt(state.lastTimestamp()), "its range is no longer young");
        byte[] current = reencoded(bytes, true);
        assertUpgraded(bytes, current, LATER_SCORE + 8);
        int flagAt = bytes.length - 8 - fixture(HISTORY_HEAD).length - 1;
        int at = flagAt - ringSavings(bytes);
        int later = LATER_SCORE + SCORE_TAIL;
        assertEquals(bytes[flagAt], current[at + later],
                "after the score section the jumps and the cold-start flag");
        assertEquals(DetectorState.NO_TIMESTAMP,
                java.nio.ByteBuffer.wrap(current, at + 1 + later, 8).getLong(),
                "then the first event time, not known");
        assertArrayEquals(Arrays.copyOfRange(bytes, flagAt + 1, bytes.length - 4),
                Arrays.copyOfRange(current, at + 9 + later + 8, current.length - 4), "then the model centre and the head");
    }

    @Test
    void shouldDecodeTheReleasedV9FixtureWithNoJumpsLearnt() throws IOException {
        byte[] bytes = fixture(FIXTURE_V9);
        assertEquals(9, bytes[0]);
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertEquals(SyntheticSeries.START, state.firstTimestamp());
        assertEquals(0, state.score().excursions().jumpsSeen(),
                "no jumps learnt: the range rule asks for none until they are");
        assertArrayEquals(state.score().recentMean(), state.score().excursions().jumpLevel(),
                "the level starts at the recent mean");
        java.nio.ByteBuffer jumps = insertedAtScoreEnd(bytes, reencoded(bytes, true), LATER_SCORE);
        assertEquals(state.score().recentMean()[0], jumps.getDouble());
        assertEquals(0.0, jumps.getDouble());
        assertEquals(0.0, jumps.getDouble());
        assertEquals(0L, jumps.getLong());
    }

    @Test
    void shouldDecodeTheReleasedV10FixtureWithNoExcursionsLearnt() throws IOException {
        byte[] bytes = fixture(FIXTURE_V10);
        assertEquals(10, bytes[0]);
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertEquals(10.25, state.score().excursions().jumpLevel()[0]);
        assertEquals(0, state.score().excursions().spikesSeen(),
                "no excursions learnt: the spike rule judges none until they are");
        double last = state.score().last()[0];
        assertArrayEquals(new double[] {last, last}, state.score().excursions().spikeBefore(),
                "the readings before start at the last");
        java.nio.ByteBuffer spikes = insertedAtScoreEnd(bytes, reencoded(bytes, true), SPIKE_SECTION + HOUR_SECTION);
        assertEquals(last, spikes.getDouble());
        assertEquals(last, spikes.getDouble());
        assertEquals(0.0, spikes.getDouble());
        assertEquals(0.0, spikes.getDouble());
        assertEquals(0L, spikes.getLong());
    }

    @Test
    void shouldDecodeTheReleasedV11FixtureWithNoTimeOfDayProfile() throws IOException {
        byte[] bytes = fixture(FIXTURE_V11);
        assertEquals(11, bytes[0]);
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertEquals(9.5, state.score().excursions().spikeBefore()[0]);
        assertArrayEquals(new float[Scorer.HOUR_BINS], state.score().hourMean(),
                "no profile learnt: the drift signal measures against the centre until it is");
        java.nio.ByteBuffer hours = insertedAtScoreEnd(bytes, reencoded(bytes, true), HOUR_SECTION);
        byte[] profile = new byte[HOUR_SECTION];
        hours.get(profile);
        assertArrayEquals(new byte[HOUR_SECTION], profile, "a profile of zeros");
    }

    @Test
    void shouldDecodeTheReleasedV12FixtureRoundingItsRingsToFloats() throws IOException {
        byte[] bytes = fixture(FIXTURE_V12);
        assertEquals(12, bytes[0]);
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertSampleState(state);
        assertEquals(-2.5f, state.score().hourMean()[0]);
        float[] ring = state.score().error().recent();
        java.nio.ByteBuffer doubles = java.nio.ByteBuffer.wrap(bytes, ERROR_RING_AT, 8 * ring.length);
        for (int i = 0; i < ring.length; i++) {
            double written = doubles.getDouble();
            assertTrue(written > 0 && written < 1, "a raw score: " + written);
            assertEquals((float) written, ring[i], "error ring value " + i);
        }
        byte[] current = reencoded(bytes, true);
        assertUpgraded(bytes, current, 0);
        assertEquals(ring[0], java.nio.ByteBuffer.wrap(current, ERROR_RING_AT, 4).getFloat(), "written as a float");
    }

    @Test
    void shouldReadRingsWrittenAsDoublesAsFormat12Did() {
        DetectorState state = sampleState();
        byte[] current = DetectorStateCodec.encode(state);
        byte[] v12 = LegacyDetectorState.sealed(LegacyDetectorState.ringsAsDoubles(current), 12);
        assertEquals(current.length - SCORE_TAIL - 8 + ringSavings(v12), v12.length);
        DetectorState back = DetectorStateCodec.decode(v12);
        assertEquals(state.score(), back.score());
        assertArrayEquals(state.score().center(), back.modelCentre(), "format 12 kept no model centre");
        back.modelCentre()[0] = state.modelCentre()[0];
        assertArrayEquals(current, DetectorStateCodec.encode(back));
    }

    @Test
    void shouldDecodeTheReleasedV13FixtureWithNoRhythmState() throws IOException {
        byte[] bytes = fixture(FIXTURE_V13);
        assertEquals(13, bytes[0]);
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertNull(state.score().rhythm(), "no rhythm state: it starts afresh if the rhythm signal is on");
        java.nio.ByteBuffer flag = insertedAtScoreEnd(bytes, reencoded(bytes, true), 0);
        assertEquals(0, flag.get(), "written with the flag of a state without one");
    }

    @Test
    void shouldDecodeTheReleasedV14FixtureWithItsModelFrameFromNow() throws IOException {
        byte[] bytes = fixture(FIXTURE_V14);
        assertEquals(14, bytes[0]);
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertArrayEquals(state.score().center(), state.modelCentre(),
                "no model centre: the model's frame follows the key's level from the upgrade on");
        byte[] head = DetectorStateBytes.historyHead(bytes);
        byte[] current = DetectorStateCodec.encode(state, head);
        assertEquals(bytes.length + NOVELTY_BYTE + 8, current.length,
                "written with the novelty byte and the model centre of its one channel");
        int scoreEnd = LegacyDetectorState.scoreEnd(bytes);
        assertArrayEquals(Arrays.copyOfRange(bytes, 1, scoreEnd), Arrays.copyOfRange(current, 1, scoreEnd));
        assertEquals(0, current[scoreEnd], "no window novelty");
        int at = bytes.length - 8 - head.length;
        assertArrayEquals(Arrays.copyOfRange(bytes, scoreEnd, at), Arrays.copyOfRange(current, scoreEnd + 1, at + 1));
        assertEquals(state.score().center()[0], java.nio.ByteBuffer.wrap(current, at + 1, 8).getDouble());
    }

    @Test
    void shouldDecodeTheReleasedV15Fixture() throws IOException {
        byte[] head = fixture(HISTORY_HEAD);
        writeWhenAsked(FIXTURE_V15, () -> {
            DetectorState v14 = DetectorStateCodec.decode(fixture(FIXTURE_V14));
            v14.modelCentre()[0] = 9.75;
            // as format 15 wrote it: today's bytes without the novelty byte of a state without window novelty
            return LegacyDetectorState.sealed(LegacyDetectorState.withoutNovelty(DetectorStateCodec.encode(v14, head)),
                    15);
        });
        byte[] bytes = fixture(FIXTURE_V15);
        assertEquals(15, bytes[0]);
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertEquals(9.75, state.modelCentre()[0]);
        assertSampleState(state);
        assertTrue(state.coldStart(), "the fixture's key is on the shared model (cold start)");
        assertEquals(SyntheticSeries.START, state.firstTimestamp());
        assertEquals(299 * SyntheticSeries.STEP_MS, state.ageAt(state.lastTimestamp()));
        assertEquals(10.25, state.score().excursions().jumpLevel()[0]);
        assertEquals(-3.5, state.score().excursions().jumpLow()[0]);
        assertEquals(4.75, state.score().excursions().jumpHigh()[0]);
        assertEquals(9.5, state.score().excursions().spikeBefore()[0]);
        assertArrayEquals(new double[] {1.25, 0.75}, state.score().excursions().spikeHigh());
        assertEquals(-2.5f, state.score().hourMean()[0]);
        assertEquals(1.75f, state.score().hourMean()[Scorer.HOUR_BINS - 1]);
        assertEquals(DetectorStateCodec.decode(fixture(FIXTURE_V12)).score(), state.score(),
                "the released format-12 state, its rings rounded to floats");
        assertArrayEquals(head, DetectorStateBytes.historyHead(bytes));
        assertEquals(0, DetectorStateBytes.historyHead(DetectorStateCodec.encode(state)).length);
        // the decoded state, not sampleState(): its LSTM values follow the numerics (float32 since model format 3)
        byte[] current = DetectorStateCodec.encode(state, head);
        assertArrayEquals(bytes, LegacyDetectorState.sealed(LegacyDetectorState.withoutNovelty(current), 15),
                "today's bytes with the novelty byte of a state without window novelty");
    }

    @Test
    void shouldDecodeTheReleasedV18FixtureAsTheV15OneWithItsNoveltyByte() throws IOException {
        byte[] head = fixture(HISTORY_HEAD);
        DetectorState v15 = DetectorStateCodec.decode(fixture(FIXTURE_V15));
        writeWhenAsked(FIXTURE_V18, () -> DetectorStateCodec.encode(v15, head));
        byte[] bytes = fixture(FIXTURE_V18);
        assertEquals(18, bytes[0]);
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertNull(state.score().novelty(), "no window novelty: it starts afresh when the signal is on");
        assertEquals(v15.score(), state.score());
        assertEquals(fixture(FIXTURE_V15).length + NOVELTY_BYTE, bytes.length);
        assertArrayEquals(bytes, DetectorStateCodec.encode(state, head), "the codec still writes the released bytes");
    }

    /**
     * Asserts that {@code current} (the fixture {@code bytes} re-encoded) is the fixture with {@code added} bytes
     * inserted at the end of its score section, which ends before the cold-start flag, the first event time, the head,
     * its length and the CRC, and its rings written as floats; returns a buffer over the inserted bytes.
     */
    private static java.nio.ByteBuffer insertedAtScoreEnd(byte[] bytes, byte[] current, int added) {
        assertUpgraded(bytes, current, added);
        int inserted = added + scoreTail(bytes);
        int scoreEnd = LegacyDetectorState.scoreEnd(bytes);
        int at = scoreEnd - ringSavings(bytes);
        int flags = 1 + 8;
        assertArrayEquals(Arrays.copyOfRange(bytes, scoreEnd, scoreEnd + flags),
                Arrays.copyOfRange(current, at + inserted, at + inserted + flags),
                "then the cold-start flag and the first event time as they were");
        assertArrayEquals(Arrays.copyOfRange(bytes, scoreEnd + flags, bytes.length - 4),
                Arrays.copyOfRange(current, at + inserted + flags + modelCentre(bytes), current.length - 4),
                "then, after the model centre, the head as it was");
        return java.nio.ByteBuffer.wrap(current, at, inserted);
    }

    /** The model centre an upgrade of released {@code bytes} (one channel) adds: formats before 15 lack it. */
    private static int modelCentre(byte[] bytes) {
        return bytes[0] < 15 ? 8 : 0;
    }

    /**
     * What an upgrade of released {@code bytes} adds at the end of the score section: the rhythm flag, which formats
     * before 14 lack, and the novelty byte, which formats before 18 lack.
     */
    private static int scoreTail(byte[] bytes) {
        return (bytes[0] < 14 ? RHYTHM_FLAG : 0) + (bytes[0] < 18 ? NOVELTY_BYTE : 0);
    }

    /**
     * Asserts that {@code current} is the released {@code bytes} in today's format: {@code added} bytes more (and the
     * score section's tail, {@link #scoreTail}), less what its rings of recent raw values save as floats, and decoding
     * to the same state.
     */
    private static void assertUpgraded(byte[] bytes, byte[] current, int added) {
        assertEquals(DetectorStateCodec.VERSION_WITHOUT_OFFSET, current[0]);
        assertEquals(bytes.length + added + scoreTail(bytes) + modelCentre(bytes) - ringSavings(bytes), current.length);
        DetectorState before = DetectorStateCodec.decode(bytes);
        DetectorState after = DetectorStateCodec.decode(current);
        assertEquals(before.score(), after.score(), "the same score state");
        assertEquals(before.events(), after.events());
        assertEquals(before.modelVersion(), after.modelVersion());
        assertEquals(before.lastTimestamp(), after.lastTimestamp());
        assertEquals(before.coldStart(), after.coldStart());
        assertEquals(before.firstTimestamp(), after.firstTimestamp());
    }

    /**
     * What the sample state's rings of recent raw values (the error's, the pattern signal's from format 3, the drift
     * signal's from format 6) take less as floats (format 13) than as the doubles of a released state {@code bytes}.
     */
    private static int ringSavings(byte[] bytes) {
        int version = bytes[0];
        if (version >= 13) {
            return 0;
        }
        ScoreState score = DetectorStateCodec.decode(bytes).score();
        int values = score.error().window() + (version >= 3 ? score.pattern().window() : 0) + (version >= 6 ? 1 : 0);
        return 4 * values;
    }

    private byte[] reencoded(byte[] bytes, boolean coldStart) throws IOException {
        byte[] head = fixture(HISTORY_HEAD);
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertSampleState(state);
        assertEquals(coldStart, state.coldStart(), "on the shared model (cold start) as the fixture's key was");
        assertArrayEquals(head, DetectorStateBytes.historyHead(bytes));
        return DetectorStateCodec.encode(state, head);
    }

    private static void assertSampleState(DetectorState state) {
        assertEquals(300, state.events());
        assertEquals(50, state.schedule().sinceAttempt());
        assertEquals(1, state.schedule().attempts());
        assertEquals(SyntheticSeries.START + 249 * SyntheticSeries.STEP_MS, state.schedule().lastAttemptTime());
        assertEquals(250, state.schedule().pendingThrough());
        assertEquals(4, state.schedule().pendingVersion());
        assertEquals(300, state.score().pattern().levelUpdates());
        int counted = 0;
        for (byte b : state.score().patterns().counts()) {
            counted += Byte.toUnsignedInt(b);
        }
        assertEquals(298, counted, "every reading after the first two continues a context");
    }
}
