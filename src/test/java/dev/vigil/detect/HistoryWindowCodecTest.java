package dev.vigil.detect;

import dev.vigil.BadBytesException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryWindowCodecTest {

    private static HistoryWindow filled(int capacity, int channels, int readings) {
        HistoryWindow w = new HistoryWindow(capacity, channels);
        for (int t = 0; t < readings; t++) {
            double[] r = new double[channels];
            for (int c = 0; c < channels; c++) {
                r[c] = Math.sin(t * 0.37 + c) * 1e3 + c / 7.0;
            }
            w.append(1_767_225_600_000L + 300_000L * t, r);
        }
        return w;
    }

    private static void assertSameWindow(HistoryWindow expected, HistoryWindow actual) {
        assertEquals(expected.capacity(), actual.capacity());
        assertEquals(expected.channels(), actual.channels());
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.timestamp(i), actual.timestamp(i), "timestamp " + i);
            for (int c = 0; c < expected.channels(); c++) {
                assertEquals(Double.doubleToRawLongBits(expected.value(i, c)), Double.doubleToRawLongBits(actual.value(i, c)),
                        "value " + i + "/" + c);
            }
        }
    }

    @Test
    void shouldRoundTripAnEmptyAndAPartlyFilledWindow() {
        for (int readings : new int[] {0, 1, 5}) {
            HistoryWindow w = filled(8, 2, readings);
            byte[] bytes = HistoryWindowCodec.encode(w);
            assertEquals(17 + 8 * readings * 3, bytes.length);
            assertSameWindow(w, HistoryWindowCodec.decode(bytes));
        }
    }

    @Test
    void shouldRoundTripAFullWrappedRingAndKeepEvictingInTheSameOrder() {
        HistoryWindow w = filled(7, 3, 7 * 3 + 4);
        HistoryWindow decoded = HistoryWindowCodec.decode(HistoryWindowCodec.encode(w));
        assertSameWindow(w, decoded);
        assertArrayEquals(HistoryWindowCodec.encode(w), HistoryWindowCodec.encode(decoded));
        for (int t = 0; t < 3; t++) {
            double[] r = {t, -t, 0.5 * t};
            w.append(9_000_000_000_000L + t, r);
            decoded.append(9_000_000_000_000L + t, r);
        }
        assertSameWindow(w, decoded);
    }

    @Test
    void shouldKeepNonFiniteAndNegativeZeroBitsExactly() {
        HistoryWindow w = new HistoryWindow(4, 1);
        w.append(1, new double[] {-0.0});
        w.append(2, new double[] {Double.longBitsToDouble(0x7ff8_0000_0000_0123L)});
        w.append(3, new double[] {Double.MIN_VALUE});
        assertSameWindow(w, HistoryWindowCodec.decode(HistoryWindowCodec.encode(w)));
    }

    @Test
    void shouldRejectAnUnknownFormatVersion() {
        byte[] bytes = HistoryWindowCodec.encode(filled(4, 1, 2));
        bytes[0] = 2;
        BadBytesException e = assertThrows(BadBytesException.class, () -> HistoryWindowCodec.decode(bytes));
        assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
    }

    @Test
    void shouldRejectTruncatedAndTrailingBytes() {
        byte[] bytes = HistoryWindowCodec.encode(filled(4, 2, 3));
        for (int length : new int[] {0, 5, 16, bytes.length - 1}) {
            byte[] cut = Arrays.copyOf(bytes, length);
            BadBytesException e = assertThrows(BadBytesException.class, () -> HistoryWindowCodec.decode(cut));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        BadBytesException e = assertThrows(BadBytesException.class, () -> HistoryWindowCodec.decode(longer));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        assertThrows(BadBytesException.class, () -> HistoryWindowCodec.decode(null));
    }

    @Test
    void shouldRejectABadChecksum() {
        byte[] bytes = HistoryWindowCodec.encode(filled(4, 1, 4));
        bytes[20] ^= 0x01;
        BadBytesException e = assertThrows(BadBytesException.class, () -> HistoryWindowCodec.decode(bytes));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void shouldRejectAHeaderOutOfRange() {
        byte[] bytes = HistoryWindowCodec.encode(filled(4, 1, 2));
        ByteBuffer.wrap(bytes).putInt(9, 5);
        BadBytesException e = assertThrows(BadBytesException.class, () -> HistoryWindowCodec.decode(bytes));
        assertTrue(e.getMessage().contains("size must be in [0, capacity=4]"), e.getMessage());
        byte[] zeroChannels = HistoryWindowCodec.encode(filled(4, 1, 2));
        ByteBuffer.wrap(zeroChannels).putInt(5, 0);
        assertThrows(BadBytesException.class, () -> HistoryWindowCodec.decode(zeroChannels));
    }
}
