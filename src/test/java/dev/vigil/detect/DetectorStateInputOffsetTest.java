package dev.vigil.detect;

import dev.vigil.BadBytesException;
import dev.vigil.testutil.LegacyDetectorState;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE;
import static dev.vigil.detect.DetectorStateCodecTest.FIXTURE_V15;
import static dev.vigil.detect.DetectorStateCodecTest.fixture;
import static dev.vigil.detect.DetectorStateUpgradeTest.HISTORY_HEAD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Format 16: the input offset a stream's state was written at, beside the state, read without decoding it. */
class DetectorStateInputOffsetTest {
    static final long FIXTURE_OFFSET = 1_234_567_890_123L;

    @Test
    void shouldDecodeTheReleasedV16FixtureAndItsInputOffset() throws IOException {
        byte[] head = fixture(HISTORY_HEAD);
        if (Boolean.getBoolean("vigil.updateFixtures")) {
            java.nio.file.Files.write(java.nio.file.Path.of("src/test/resources" + FIXTURE),
                    DetectorStateCodec.encode(DetectorStateCodec.decode(fixture(FIXTURE_V15)), head, FIXTURE_OFFSET));
        }
        byte[] bytes = fixture(FIXTURE);
        assertEquals(16, bytes[0]);
        assertEquals(FIXTURE_OFFSET, DetectorStateCodec.inputOffset(bytes));
        DetectorState state = DetectorStateCodec.decode(bytes);
        assertArrayEquals(head, DetectorStateCodec.historyHead(bytes));
        assertArrayEquals(bytes, DetectorStateCodec.encode(state, head, FIXTURE_OFFSET),
                "the codec still writes the released bytes");
        byte[] v15 = fixture(FIXTURE_V15);
        assertArrayEquals(v15, withoutInputOffset(bytes, head.length), "format 15 with the offset beside it");
        assertArrayEquals(v15, DetectorStateCodec.encode(state, head), "without an offset: format 15, as released");
        assertEquals(DetectorStateCodec.decode(v15).score(), state.score());
    }

    @Test
    void shouldReadTheOffsetWithAnyHeadAndRefuseANegativeOne() {
        DetectorState state = new Detector(DetectorConfig.defaults()).newState();
        for (int head = 0; head < 40; head += 13) {
            assertEquals(7L, DetectorStateCodec.inputOffset(DetectorStateCodec.encode(state, new byte[head], 7)));
            assertEquals(DetectorStateCodec.NO_OFFSET,
                    DetectorStateCodec.inputOffset(DetectorStateCodec.encode(state, new byte[head])));
        }
        assertThrows(IllegalArgumentException.class, () -> DetectorStateCodec.encode(state, new byte[3], -2));
        byte[] negative = DetectorStateCodec.encode(state, new byte[3], 7);
        java.nio.ByteBuffer.wrap(negative).putLong(negative.length - 4 - 4 - 3 - 8, -5);
        assertThrows(BadBytesException.class, () -> DetectorStateCodec.decode(LegacyDetectorState.sealed(negative, 16)));
        assertEquals(8, DetectorStateCodec.encode(state, new byte[3], 7).length
                - DetectorStateCodec.encode(state, new byte[3]).length, "8 bytes more with the offset");
        byte[] flipped = DetectorStateCodec.encode(state, new byte[3], 7);
        flipped[flipped.length - 4 - 4 - 3 - 1] ^= 1;
        assertThrows(BadBytesException.class, () -> DetectorStateCodec.inputOffset(flipped));
    }

    /** {@code current} (format 16) as format 15 wrote it, its checksum renewed. */
    static byte[] withoutInputOffset(byte[] current, int headLength) {
        return LegacyDetectorState.sealed(LegacyDetectorState.withoutInputOffset(current), 15);
    }
}
