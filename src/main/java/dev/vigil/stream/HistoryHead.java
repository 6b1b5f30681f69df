package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.detect.HistoryWindowCodec;
import dev.vigil.lstm.LstmConfig;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32;

import static dev.vigil.stream.HistoryRing.BLOCK;
import static dev.vigil.stream.HistoryRing.FORMAT_VERSION;
import static dev.vigil.stream.HistoryRing.HEAD_FIXED_BYTES;
import static dev.vigil.stream.HistoryRing.LEGACY_HEAD_BYTES;
import static dev.vigil.stream.HistoryRing.LEGACY_VERSION;
import static dev.vigil.stream.HistoryRing.readingBytes;

/**
 * A {@link HistoryRing}'s stored head (kept in the key's state value): the ring's shape and position, its format,
 * and (format 3) the open block's readings as stored.
 *
 * @param pending the encoded readings of slots {@code blockStart(next) .. next-1} (empty for format 2)
 */
record HistoryHead(int capacity, int channels, int size, int next, int version, byte[] pending) {
    /** Slot of the i-th oldest reading. */
    int slot(int i) {
        return Math.floorMod(next - size + i, capacity);
    }

    /** The head of an empty ring of the current format: what a key's first reading is appended to. */
    static HistoryHead empty(int capacity, int channels) {
        return new HistoryHead(capacity, channels, 0, 0, FORMAT_VERSION, new byte[0]);
    }

    /** First slot of the block that {@code next} is in: the head holds the readings from there to next-1. */
    int openBlockStart() {
        return next - next % BLOCK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistoryHead h && capacity == h.capacity && channels == h.channels && size == h.size
                && next == h.next && version == h.version && Arrays.equals(pending, h.pending);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(capacity, channels, size, next, version) + Arrays.hashCode(pending);
    }

    @Override
    public String toString() {
        return "HistoryHead[capacity=" + capacity + ", channels=" + channels + ", size=" + size + ", next=" + next
                + ", version=" + version + ", pending=" + pending.length + " bytes]";
    }

    /** The head's stored form (format 3), checksummed with {@code crc} (reset first). */
    static byte[] encode(CRC32 crc, int capacity, int channels, int size, int next, byte[] pending) {
        ByteBuffer out = ByteBuffer.allocate(HEAD_FIXED_BYTES + pending.length + Integer.BYTES);
        out.put((byte) FORMAT_VERSION).putInt(capacity).putInt(channels).putInt(size).putInt(next).put(pending);
        crc.reset();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /**
     * Decodes a stored head of format 3 or 2.
     *
     * @throws BadBytesException when it is of another format, fails its checksum, is out of range, or its open
     *                           block's readings do not match its position
     */
    static HistoryHead decode(byte[] bytes) {
        if (bytes.length < LEGACY_HEAD_BYTES) {
            throw new BadBytesException("history head must be at least " + LEGACY_HEAD_BYTES + " bytes, got "
                    + bytes.length);
        }
        int version = Byte.toUnsignedInt(bytes[0]);
        if (version != FORMAT_VERSION && version != LEGACY_VERSION) {
            throw new BadBytesException("history head format version " + version + " is not supported (expected "
                    + FORMAT_VERSION + " or " + LEGACY_VERSION + ")");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - Integer.BYTES);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt(bytes.length - Integer.BYTES) != (int) crc.getValue()) {
            throw new BadBytesException("history head checksum mismatch");
        }
        in.position(1);
        int capacity = in.getInt();
        int channels = in.getInt();
        int size = in.getInt();
        int next = in.getInt();
        if (capacity < 1 || capacity > HistoryWindowCodec.MAX_CAPACITY || channels < 1
                || channels > LstmConfig.MAX_INPUT_SIZE || size < 0 || size > capacity || next < 0 || next >= capacity) {
            throw new BadBytesException("history head out of range: capacity " + capacity + ", channels " + channels
                    + ", size " + size + ", next " + next);
        }
        int held = version == LEGACY_VERSION ? 0 : (next % BLOCK) * readingBytes(channels);
        if (bytes.length != LEGACY_HEAD_BYTES + held) {
            throw new BadBytesException("history head format " + version + " at slot " + next + " must be "
                    + (LEGACY_HEAD_BYTES + held) + " bytes, got " + bytes.length);
        }
        return new HistoryHead(capacity, channels, size, next, version,
                Arrays.copyOfRange(bytes, HEAD_FIXED_BYTES, HEAD_FIXED_BYTES + held));
    }
}
