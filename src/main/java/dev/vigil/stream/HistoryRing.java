package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.detect.HistoryWindowCodec;
import dev.vigil.lstm.LstmConfig;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * A key's {@link HistoryWindow} in the history store as a ring of small entries, so that an accepted event
 * writes one reading and a 21-byte head (to RocksDB and the changelog) instead of the whole window (32 KB when
 * full). Entries of key {@code k}, big-endian:
 * <pre>
 *   k + "#h"                      head:    u8 format version (2), i32 capacity, i32 channels, i32 size,
 *                                          i32 next (the slot the next reading goes to), i32 CRC32 of the rest
 *   k + "#" + 8 lowercase hex     reading: u8 format version (2), i64 timestamp (epoch ms), f64 value[channels]
 *                                          (the slot number, 0..capacity-1)
 * </pre>
 * The two suffixes have fixed lengths and the head's ends in a non-hex letter, so no entry of one key can be an
 * entry of another, whatever the keys. The i-th oldest reading is in slot {@code (next - size + i) mod capacity},
 * as in {@link HistoryWindow}. The head is written after the reading, in the same task and so the same
 * exactly-once transaction; the window is restored from the changelog like any store. (Format version 1 is
 * {@link HistoryWindowCodec}'s whole-window value under the plain key, which this layout no longer reads.)
 * Not thread-safe (one per processor).
 */
final class HistoryRing {
    static final int FORMAT_VERSION = 2;
    static final String HEAD_SUFFIX = "#h";
    static final int HEAD_BYTES = 1 + 5 * Integer.BYTES;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Shape and position of a stored ring. */
    record Head(int capacity, int channels, int size, int next) {
        /** Slot of the i-th oldest reading. */
        int slot(int i) {
            return Math.floorMod(next - size + i, capacity);
        }

        /** The head after appending one reading. */
        Head appended() {
            return new Head(capacity, channels, Math.min(size + 1, capacity), (next + 1) % capacity);
        }
    }

    private final ReadOnlyKeyValueStore<String, byte[]> reads;
    /** Null for a read-only ring. */
    private final KeyValueStore<String, byte[]> store;
    private final ByteBuffer headBuffer = ByteBuffer.allocate(HEAD_BYTES);
    private final CRC32 crc = new CRC32();

    HistoryRing(KeyValueStore<String, byte[]> store) {
        this.reads = store;
        this.store = store;
    }

    /** A read-only ring (e.g. over an interactive-query view of the store): {@link #head} and {@link #read} only. */
    HistoryRing(ReadOnlyKeyValueStore<String, byte[]> store) {
        this.reads = store;
        this.store = null;
    }

    /**
     * The key's stored head, or null when the key has none.
     *
     * @throws BadBytesException when the stored head does not decode
     */
    Head head(String key) {
        byte[] bytes = reads.get(headKey(key));
        return bytes == null ? null : decodeHead(bytes);
    }

    /**
     * The key's window read while another thread may be appending to it (the stream thread, while a trainer reads
     * through interactive queries): the head is read before and after the readings, and readings whose slots were
     * overwritten in between are left out, so the window holds the key's readings in order. Null when the key has
     * no history.
     *
     * @throws BadBytesException when an entry does not decode
     */
    HistoryWindow readConcurrently(String key) {
        Head before = head(key);
        if (before == null) {
            return null;
        }
        HistoryWindow read = read(key, before);
        Head after = head(key);
        int appended = after == null ? before.capacity() : Math.floorMod(after.next() - before.next(), before.capacity());
        int overwritten = Math.max(0, before.size() + appended - before.capacity());
        if (overwritten == 0) {
            return read;
        }
        HistoryWindow kept = new HistoryWindow(before.capacity(), before.channels());
        double[] reading = new double[before.channels()];
        for (int i = overwritten; i < read.size(); i++) {
            read.copyReading(i, reading);
            kept.append(read.timestamp(i), reading);
        }
        return kept;
    }

    /**
     * The key's whole window as {@code head} describes it.
     *
     * @throws BadBytesException when a reading is missing or does not decode
     */
    HistoryWindow read(String key, Head head) {
        HistoryWindow window = new HistoryWindow(head.capacity(), head.channels());
        double[] reading = new double[head.channels()];
        for (int i = 0; i < head.size(); i++) {
            int slot = head.slot(i);
            byte[] bytes = reads.get(slotKey(key, slot));
            window.append(decodeReading(bytes, slot, reading), reading);
        }
        return window;
    }

    /** Appends one reading to the ring {@code head} describes (which must be the stored one). */
    void append(String key, Head head, long timestamp, double[] reading) {
        store.put(slotKey(key, head.next()), encodeReading(timestamp, reading));
        store.put(headKey(key), encodeHead(head.appended()));
    }

    /** Replaces the key's ring by {@code window} (readings in slots 0..size-1, oldest first). */
    void write(String key, HistoryWindow window) {
        double[] reading = new double[window.channels()];
        for (int i = 0; i < window.size(); i++) {
            window.copyReading(i, reading);
            store.put(slotKey(key, i), encodeReading(window.timestamp(i), reading));
        }
        store.put(headKey(key), encodeHead(new Head(window.capacity(), window.channels(), window.size(),
                window.size() % window.capacity())));
    }

    static String headKey(String key) {
        return key + HEAD_SUFFIX;
    }

    static String slotKey(String key, int slot) {
        char[] suffix = new char[9];
        suffix[0] = '#';
        for (int d = 8; d >= 1; d--) {
            suffix[d] = HEX[slot & 0xF];
            slot >>>= 4;
        }
        return key.concat(new String(suffix));
    }

    byte[] encodeHead(Head head) {
        ByteBuffer out = headBuffer.clear();
        out.put((byte) FORMAT_VERSION).putInt(head.capacity()).putInt(head.channels()).putInt(head.size())
                .putInt(head.next());
        crc.reset();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array().clone();
    }

    static Head decodeHead(byte[] bytes) {
        if (bytes.length != HEAD_BYTES) {
            throw new BadBytesException("history head must be " + HEAD_BYTES + " bytes, got " + bytes.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int version = Byte.toUnsignedInt(in.get());
        if (version != FORMAT_VERSION) {
            throw new BadBytesException("history head format version " + version + " is not supported (expected "
                    + FORMAT_VERSION + ")");
        }
        int capacity = in.getInt();
        int channels = in.getInt();
        int size = in.getInt();
        int next = in.getInt();
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, HEAD_BYTES - Integer.BYTES);
        if (in.getInt() != (int) crc.getValue()) {
            throw new BadBytesException("history head checksum mismatch");
        }
        if (capacity < 1 || capacity > HistoryWindowCodec.MAX_CAPACITY || channels < 1
                || channels > LstmConfig.MAX_INPUT_SIZE || size < 0 || size > capacity || next < 0 || next >= capacity) {
            throw new BadBytesException("history head out of range: capacity " + capacity + ", channels " + channels
                    + ", size " + size + ", next " + next);
        }
        return new Head(capacity, channels, size, next);
    }

    static byte[] encodeReading(long timestamp, double[] reading) {
        ByteBuffer out = ByteBuffer.allocate(1 + Long.BYTES + reading.length * Double.BYTES);
        out.put((byte) FORMAT_VERSION).putLong(timestamp);
        for (double v : reading) {
            out.putDouble(v);
        }
        return out.array();
    }

    /** Decodes a reading into {@code out} (its length = channels); returns its timestamp. */
    static long decodeReading(byte[] bytes, int slot, double[] out) {
        int expected = 1 + Long.BYTES + out.length * Double.BYTES;
        if (bytes == null || bytes.length != expected) {
            throw new BadBytesException("history slot " + slot + " must hold " + expected + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        if (Byte.toUnsignedInt(bytes[0]) != FORMAT_VERSION) {
            throw new BadBytesException("history slot " + slot + " format version " + Byte.toUnsignedInt(bytes[0])
                    + " is not supported (expected " + FORMAT_VERSION + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, expected - 1);
        long timestamp = in.getLong();
        for (int c = 0; c < out.length; c++) {
            out[c] = in.getDouble();
        }
        return timestamp;
    }
}
