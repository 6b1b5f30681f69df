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
 * and (format 3) the open block's readings as stored. A key's head is updated in place as readings are appended
 * ({@link HistoryRing#append}), as its {@link dev.vigil.detect.DetectorState} is stepped in place: an event allocates
 * no new head, and the objects a key keeps between its events (in the old generation, for a large fleet) take no new
 * reference at each event. Not thread-safe: the task that owns the key changes it, under the lock its queries take.
 */
final class HistoryHead {
    private final int capacity;
    private final int channels;
    private final int version;
    private int size;
    private int next;
    /** The open block's readings as stored, in its first {@link #pendingLength} bytes; room for a block (format 3). */
    private final byte[] pending;
    private int pendingLength;

    /**
     * @param pending the encoded readings of slots {@code blockStart(next) .. next-1} (empty for format 2), copied
     */
    HistoryHead(int capacity, int channels, int size, int next, int version, byte[] pending) {
        this(capacity, channels, size, next, version, pending, 0, pending.length);
    }

    /** As above, the open block's readings the {@code length} bytes of {@code from} at {@code at}, copied. */
    private HistoryHead(int capacity, int channels, int size, int next, int version, byte[] from, int at, int length) {
        this.capacity = capacity;
        this.channels = channels;
        this.size = size;
        this.next = next;
        this.version = version;
        int room = version == FORMAT_VERSION ? BLOCK * readingBytes(channels) : 0;
        this.pending = new byte[Math.max(room, length)];
        System.arraycopy(from, at, this.pending, 0, length);
        this.pendingLength = length;
    }

    int capacity() {
        return capacity;
    }

    int channels() {
        return channels;
    }

    /** Readings in the ring. */
    int size() {
        return size;
    }

    /** The slot the next reading goes to. */
    int next() {
        return next;
    }

    int version() {
        return version;
    }

    /** The encoded readings of slots {@code blockStart(next) .. next-1} (a copy). */
    byte[] pending() {
        return Arrays.copyOf(pending, pendingLength);
    }

    /** The open block's readings in place: valid to {@link #pendingLength}; for reading only. */
    byte[] pendingBytes() {
        return pending;
    }

    int pendingLength() {
        return pendingLength;
    }

    /**
     * Counts one reading of {@code readingBytes} bytes, just encoded at the open block's end ({@link #pendingBytes} at
     * {@link #pendingLength}; format 3), and moves the position on; returns whether it completed the block, whose
     * readings are then the first {@link #pendingLength} bytes until {@link #closeBlock}.
     */
    boolean appended(int readingBytes) {
        pendingLength += readingBytes;
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
        return next % BLOCK == 0;
    }

    /** Empties the open block, once the readings it completed are stored. */
    void closeBlock() {
        pendingLength = 0;
    }

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
                && next == h.next && version == h.version
                && Arrays.equals(pending, 0, pendingLength, h.pending, 0, h.pendingLength);
    }

    @Override
    public int hashCode() {
        int bytes = 1;
        for (int i = 0; i < pendingLength; i++) {
            bytes = 31 * bytes + pending[i];
        }
        return 31 * Objects.hash(capacity, channels, size, next, version) + bytes;
    }

    @Override
    public String toString() {
        return "HistoryHead[capacity=" + capacity + ", channels=" + channels + ", size=" + size + ", next=" + next
                + ", version=" + version + ", pending=" + pendingLength + " bytes]";
    }

    /** The head's stored form (format 3), checksummed with {@code crc} (reset first). */
    static byte[] encode(CRC32 crc, int capacity, int channels, int size, int next, byte[] pending) {
        return encode(crc, capacity, channels, size, next, pending, pending.length);
    }

    /** The head's stored form (format 3) with the first {@code length} bytes of {@code pending}. */
    static byte[] encode(CRC32 crc, int capacity, int channels, int size, int next, byte[] pending, int length) {
        ByteBuffer out = ByteBuffer.allocate(HEAD_FIXED_BYTES + length + Integer.BYTES);
        out.put((byte) FORMAT_VERSION).putInt(capacity).putInt(channels).putInt(size).putInt(next)
                .put(pending, 0, length);
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
        return new HistoryHead(capacity, channels, size, next, version, bytes, HEAD_FIXED_BYTES, held);
    }
}
