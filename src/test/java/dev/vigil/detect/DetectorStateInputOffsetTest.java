package dev.vigil.detect;

import dev.vigil.BadBytesException;
import dev.vigil.testutil.LegacyDetectorState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;

import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V15;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V16;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V17;
import static dev.vigil.detect.DetectorStateCodecTest.fixture;
import static dev.vigil.detect.DetectorStateCodecTest.writeWhenAsked;
import static dev.vigil.detect.DetectorStateUpgradeTest.HISTORY_HEAD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Formats 16, 17 and 19: the input offset a stream's state was written at, beside the state, read without decoding
 * it; formats 17 and 19 with the schedule's counters and the offset compact, 19 with the window novelty.
 */
class DetectorStateInputOffsetTest {
    static final long FIXTURE_OFFSET = 1_234_567_890_123L;

    @Test
    void shouldStillDecodeTheReleasedV16FixtureAndItsInputOffset() throws IOException {
        byte[] head = fixture(HISTORY_HEAD);
        byte[] bytes = fixture(FIXTURE_V16);
        assertEquals(16, bytes[0]);
        assertEquals(FIXTURE_OFFSET, DetectorStateBytes.inputOffset(bytes));
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertArrayEquals(head, DetectorStateBytes.historyHead(bytes));
        byte[] v15 = fixture(FIXTURE_V15);
        assertArrayEquals(v15, withoutInputOffset(bytes), "format 15 with the offset beside it");
        assertArrayEquals(v15, LegacyDetectorState.sealed(
                LegacyDetectorState.withoutNovelty(DetectorStateCodec.encode(state, head)), 15),
                "without an offset: format 18, format 15 with the novelty byte of a state without window novelty");
        assertEquals(DetectorStateCodec.decode(v15).score(), state.score());
    }

    @Test
    void shouldDecodeTheReleasedV17FixtureAsTheV16OneWithCompactCounters() throws IOException {
        byte[] head = fixture(HISTORY_HEAD);
        DetectorState v16 = DetectorStateCodec.decode(fixture(FIXTURE_V16));
        byte[] bytes = fixture(FIXTURE_V17);
        assertEquals(17, bytes[0]);
        assertEquals(FIXTURE_OFFSET, DetectorStateBytes.inputOffset(bytes));
        assertArrayEquals(head, DetectorStateBytes.historyHead(bytes));
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertArrayEquals(fixture(FIXTURE), DetectorStateCodec.encode(state, head, FIXTURE_OFFSET),
                "written as format 19: the released bytes of the v19 fixture");
        assertArrayEquals(DetectorStateCodec.encode(v16, head), DetectorStateCodec.encode(state, head),
                "the same state as the v16 fixture");
        assertEquals(v16.schedule().attempts(), state.schedule().attempts());
        assertEquals(v16.schedule().lastAttemptTime(), state.schedule().lastAttemptTime());
        // five counters of 8 bytes each as varints, the offset (41 bits) in 6 bytes and their count
        TrainingSchedule t = state.schedule();
        int counters = CompactLongs.varintSize(t.sinceAttempt()) + CompactLongs.varintSize(t.attempts())
                + CompactLongs.varintSize(t.alertRun()) + CompactLongs.varintSize(t.pendingThrough())
                + CompactLongs.varintSize(t.pendingVersion());
        assertTrue(counters <= 6, "the fixture's counters are small: " + counters + " bytes");
        assertEquals(fixture(FIXTURE_V16).length - 5 * 8 + counters - 8 + 7, bytes.length);
    }

    @Test
    void shouldDecodeTheReleasedV19FixtureAsTheV17OneWithItsNoveltyByte() throws IOException {
        byte[] head = fixture(HISTORY_HEAD);
        DetectorState v17 = DetectorStateCodec.decode(fixture(FIXTURE_V17));
        writeWhenAsked(FIXTURE, () -> DetectorStateCodec.encode(v17, head, FIXTURE_OFFSET));
        byte[] bytes = fixture(FIXTURE);
        assertEquals(19, bytes[0]);
        assertEquals(FIXTURE_OFFSET, DetectorStateBytes.inputOffset(bytes));
        assertArrayEquals(head, DetectorStateBytes.historyHead(bytes));
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertEquals(v17.score(), state.score());
        assertEquals(v17.schedule().attempts(), state.schedule().attempts());
        assertEquals(fixture(FIXTURE_V17).length + 1, bytes.length, "the novelty byte of a state without novelty");
        assertArrayEquals(bytes, DetectorStateCodec.encode(state, head, FIXTURE_OFFSET),
                "the codec still writes the released bytes");
    }

    @Test
    void shouldRoundTripAnyOffsetAndScheduleWithAnyHead() {
        DetectorState state = new Detector(DetectorConfig.defaults()).newState();
        long[] values = {0, 1, 63, 64, -1, -65, 127, 128, 255, 256, 65_535, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE};
        for (int i = 0; i < values.length; i++) {
            long offset = Math.abs(values[i] == Long.MIN_VALUE ? 3 : values[i]);
            long count = values[(i + 3) % values.length];
            state.schedule().restore(count, values[(i + 5) % values.length], values[(i + 7) % values.length], count);
            state.schedule().restorePending(Math.max(1, Math.abs(count == Long.MIN_VALUE ? 9 : count)), 1 + i);
            byte[] head = new byte[i * 5 % 40];
            byte[] bytes = DetectorStateCodec.encode(state, head, offset);
            assertEquals(offset, DetectorStateBytes.inputOffset(bytes), "offset " + offset);
            assertArrayEquals(head, DetectorStateBytes.historyHead(bytes));
            assertEquals(state.lastTimestamp(), DetectorStateBytes.lastTimestamp(bytes));
            assertEquals(state.score().alertOpen(), DetectorStateBytes.alertOpen(bytes));
            DetectorState back = DetectorStateCodec.decode(bytes);
            assertArrayEquals(DetectorStateCodec.encode(state, head), DetectorStateCodec.encode(back, head));
            assertEquals(DetectorStateCodec.NO_OFFSET,
                    DetectorStateBytes.inputOffset(DetectorStateCodec.encode(state, head)));
        }
    }

    @Test
    void shouldTakeBytesByTheOffsetsSizeAndRefuseBrokenOnes() {
        DetectorState state = new Detector(DetectorConfig.defaults()).newState();
        assertThrows(IllegalArgumentException.class, () -> DetectorStateCodec.encode(state, new byte[3], -2));
        int without = DetectorStateCodec.encode(state, new byte[3]).length;
        // a fresh schedule's counters take 1 byte each instead of 8; an offset below 256 takes 2
        assertEquals(without - 5 * 7 + 2, DetectorStateCodec.encode(state, new byte[3], 7).length);
        assertEquals(without - 5 * 7 + 6, DetectorStateCodec.encode(state, new byte[3], 1L << 32).length);
        byte[] count = DetectorStateCodec.encode(state, new byte[3], 7);
        int countAt = count.length - 4 - 4 - 3 - 1;
        for (byte k : new byte[] {0, 9, -1}) {
            count[countAt] = k;
            byte[] sealed = LegacyDetectorState.sealed(count.clone(), DetectorStateCodec.FORMAT_VERSION);
            assertThrows(BadBytesException.class, () -> DetectorStateBytes.inputOffset(sealed), "count " + k);
            assertThrows(BadBytesException.class, () -> DetectorStateCodec.decode(sealed), "count " + k);
        }
        // a count of 2 reads a byte of the model centre as the offset's: it no longer ends where the centre does
        count[countAt] = 2;
        byte[] longer = LegacyDetectorState.sealed(count.clone(), DetectorStateCodec.FORMAT_VERSION);
        assertTrue(assertThrows(BadBytesException.class, () -> DetectorStateCodec.decode(longer)).getMessage()
                .contains("input offset"));
        byte[] flipped = DetectorStateCodec.encode(state, new byte[3], 7);
        flipped[countAt - 1] ^= 1;
        assertThrows(BadBytesException.class, () -> DetectorStateBytes.inputOffset(flipped));
    }

    /** {@code v16} (format 16) as format 15 wrote it, its checksum renewed. */
    static byte[] withoutInputOffset(byte[] v16) {
        return LegacyDetectorState.sealed(LegacyDetectorState.withoutInputOffset(v16), 15);
    }

    @Test
    void shouldReadTheV16OffsetAndRefuseANegativeOne() throws IOException {
        byte[] bytes = fixture(FIXTURE_V16);
        int head = ByteBuffer.wrap(bytes).getInt(bytes.length - 8);
        ByteBuffer.wrap(bytes).putLong(bytes.length - 4 - 4 - head - 8, -5);
        byte[] negative = LegacyDetectorState.sealed(bytes, 16);
        assertThrows(BadBytesException.class, () -> DetectorStateCodec.decode(negative));
    }
}
