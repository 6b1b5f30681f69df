package dev.vigil.detect;

import dev.vigil.BadBytesException;
import dev.vigil.lstm.LstmConfig;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Binary form of a {@link HistoryWindow}, as kept in the stream's history store. Big-endian:
 * <pre>
 *   u8  format version (1)
 *   i32 capacity                                 (1..{@value #MAX_CAPACITY})
 *   i32 channels                                 (1..{@link LstmConfig#MAX_INPUT_SIZE})
 *   i32 size                                     (0..capacity)
 *   i64 timestamp[size]                          oldest first, epoch ms
 *   f64 value[size][channels]                    oldest first, reading by reading, raw IEEE bits
 *   i32 CRC32 of everything before it
 * </pre>
 * The readings are written in logical order (oldest first), not in the ring's internal slot order, so a
 * full, wrapped ring and a freshly filled one with the same readings have the same bytes, and a decoded
 * window behaves exactly like the encoded one (same readings, same eviction order). Size: 17 + 8·size·(1 +
 * channels) bytes; 32,017 bytes for a full default window (2000 readings, 1 channel). Stateless, thread-safe.
 */
public final class HistoryWindowCodec {
    public static final int FORMAT_VERSION = 1;
    /** Largest capacity accepted when decoding: the largest {@code retrain.historySize}. */
    public static final int MAX_CAPACITY = 1_000_000;

    /** Version, capacity, channels, size. */
    private static final int HEADER_BYTES = 1 + 3 * Integer.BYTES;
    private static final int CRC_BYTES = Integer.BYTES;

    private HistoryWindowCodec() {
    }

    /** The window's bytes in format {@value #FORMAT_VERSION}. */
    public static byte[] encode(HistoryWindow window) {
        int size = window.size();
        int channels = window.channels();
        ByteBuffer out = ByteBuffer.allocate((int) length(size, channels));
        out.put((byte) FORMAT_VERSION).putInt(window.capacity()).putInt(channels).putInt(size);
        for (int i = 0; i < size; i++) {
            out.putLong(window.timestamp(i));
        }
        for (int i = 0; i < size; i++) {
            for (int c = 0; c < channels; c++) {
                out.putDouble(window.value(i, c));
            }
        }
        out.putInt((int) crc(out.array(), out.position()));
        return out.array();
    }

    /**
     * The window encoded in {@code bytes}.
     *
     * @throws BadBytesException for null bytes, an unknown format version, a header out of range, truncated or
     *                           trailing bytes, or a checksum mismatch
     */
    public static HistoryWindow decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES + CRC_BYTES) {
            throw new BadBytesException("history window is truncated: need at least " + (HEADER_BYTES + CRC_BYTES)
                    + " bytes, got " + (bytes == null ? 0 : bytes.length));
        }
        int version = Byte.toUnsignedInt(bytes[0]);
        if (version != FORMAT_VERSION) {
            throw new BadBytesException("history window format version " + version + " is not supported (expected "
                    + FORMAT_VERSION + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(1);
        int capacity = in.getInt();
        int channels = in.getInt();
        int size = in.getInt();
        checkHeader(capacity, channels, size);
        long expected = length(size, channels);
        if (bytes.length < expected) {
            throw new BadBytesException("history window is truncated: " + size + " readings of " + channels
                    + " channel(s) need " + expected + " bytes, got " + bytes.length);
        }
        if (bytes.length > expected) {
            throw new BadBytesException("history window has " + (bytes.length - expected) + " trailing bytes: "
                    + size + " readings of " + channels + " channel(s) need " + expected + " bytes");
        }
        int stored = in.getInt(bytes.length - CRC_BYTES);
        int computed = (int) crc(bytes, bytes.length - CRC_BYTES);
        if (stored != computed) {
            throw new BadBytesException(String.format("history window checksum mismatch: stored CRC32 0x%08X, computed 0x%08X",
                    stored, computed));
        }
        return readReadings(in, capacity, channels, size);
    }

    private static HistoryWindow readReadings(ByteBuffer in, int capacity, int channels, int size) {
        long[] timestamps = new long[size];
        for (int i = 0; i < size; i++) {
            timestamps[i] = in.getLong();
        }
        HistoryWindow window = new HistoryWindow(capacity, channels);
        double[] reading = new double[channels];
        for (int i = 0; i < size; i++) {
            for (int c = 0; c < channels; c++) {
                reading[c] = in.getDouble();
            }
            window.append(timestamps[i], reading);
        }
        return window;
    }

    private static void checkHeader(int capacity, int channels, int size) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new BadBytesException("history window capacity must be in [1, " + MAX_CAPACITY + "], got " + capacity);
        }
        if (channels < 1 || channels > LstmConfig.MAX_INPUT_SIZE) {
            throw new BadBytesException("history window channels must be in [1, " + LstmConfig.MAX_INPUT_SIZE + "], got "
                    + channels);
        }
        if (size < 0 || size > capacity) {
            throw new BadBytesException("history window size must be in [0, capacity=" + capacity + "], got " + size);
        }
    }

    private static long length(int size, int channels) {
        return HEADER_BYTES + (long) size * Long.BYTES + (long) size * channels * Double.BYTES + CRC_BYTES;
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }
}
