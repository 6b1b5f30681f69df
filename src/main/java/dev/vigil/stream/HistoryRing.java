package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.detect.DetectorStateBytes;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.detect.HistoryWindowCodec;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * A key's {@link HistoryWindow} as a ring of blocks of {@value #BLOCK} readings in the history store and a small head
 * kept in the key's state value ({@link dev.vigil.detect.DetectorStateCodec} format 5), so that an accepted event
 * rewrites only the state value it writes anyway and writes a block every {@value #BLOCK} events, instead of rewriting
 * the whole window (32 KB when full), or writing a reading, or a head, to RocksDB and the changelog on every event.
 * Big-endian (format version 3):
 * <pre>
 *   in the state value of k       head:  u8 format version (3), i32 capacity, i32 channels, i32 size,
 *                                        i32 next (the slot the next reading goes to),
 *                                        the open block's readings (slots blockStart(next) .. next-1),
 *                                        i32 CRC32 of all before it
 *   k + "#b" + 8 lowercase hex    block: u8 format version (3), the block's readings
 *                                        (block b holds slots b*BLOCK .. min((b+1)*BLOCK, capacity)-1)
 *   a reading                            i64 timestamp (epoch ms), f64 value[channels]
 * </pre>
 * The suffixes have fixed lengths and end in a letter or are told apart by their first two characters, so no entry
 * of one key can be an entry of another, whatever the keys. The i-th oldest reading is in slot
 * {@code (next - size + i) mod capacity}, as in {@link HistoryWindow}; slots of the open block before {@code next}
 * are in the head, every other slot in its block (the open block's later slots still hold the previous lap's
 * readings). A block is written when its last slot is, before the head, in the same task and so the same
 * exactly-once transaction; the window is restored from the changelog like any store.
 *
 * <p>Beside a state of format 4 or earlier the head is in the history store under {@code k + "#h"} (a format-3 head,
 * or a 21-byte format-2 one whose readings are one entry each under {@code k + "#" + 8 hex}, u8 version then the
 * reading); it is still read, so that a window written by an earlier release survives the upgrade: the key's next
 * state is saved with the head, {@link #deleteHeadEntry} removes the entry and {@link #write} replaces a format-2
 * ring's readings. Version 1 ({@link HistoryWindowCodec}'s whole-window value under the plain key) is not read. Not
 * thread-safe (one per processor).
 */
final class HistoryRing {
    static final int FORMAT_VERSION = 3;
    /** The format of an earlier release: one entry per reading. Read, never written. */
    static final int LEGACY_VERSION = 2;
    /** Readings per block. */
    static final int BLOCK = 32;
    static final String HEAD_SUFFIX = "#h";
    static final int HEAD_FIXED_BYTES = 1 + 4 * Integer.BYTES;
    static final int LEGACY_HEAD_BYTES = HEAD_FIXED_BYTES + Integer.BYTES;
    private static final char[] HEX = "0123456789abcdef".toCharArray();


    private final ReadOnlyKeyValueStore<String, byte[]> reads;
    /** Null for a read-only ring. */
    private final KeyValueStore<String, byte[]> store;
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
     * The key's head: the one in its state value {@code state} (state format 5; null when the key has no history),
     * else the one under {@code k + "#h"} (beside a state of an earlier format); null when there is none.
     *
     * @throws BadBytesException when the state value or the head does not decode
     */
    HistoryHead head(String key, byte[] state) {
        byte[] held = state == null ? null : DetectorStateBytes.historyHead(state);
        if (held == null) {
            return headEntry(key);
        }
        return held.length == 0 ? null : HistoryHead.decode(held);
    }

    /** The head under {@code k + "#h"}, where releases before state format 5 kept it, or null; may throw as head. */
    HistoryHead headEntry(String key) {
        byte[] bytes = reads.get(headKey(key));
        return bytes == null ? null : HistoryHead.decode(bytes);
    }

    /**
     * Deletes every entry the key's ring has in the store, as {@code head} (null: not known, or none) describes it:
     * the blocks its readings filled (all of a ring of {@code capacity} readings when the head is not known), a head
     * entry of an earlier release, the slots of a legacy ring.
     */
    void deleteAll(String key, HistoryHead head, int capacity) {
        store.delete(headKey(key));
        if (head != null && head.version() == LEGACY_VERSION) {
            for (int slot = 0; slot < head.capacity(); slot++) {
                store.delete(legacySlotKey(key, slot));
            }
            return;
        }
        int written = head == null ? blocks(capacity) : Math.min(blocks(head.capacity()), blocks(head.size()));
        for (int b = 0; b < written; b++) {
            store.delete(blockKey(key, b));
        }
    }

    /** Deletes the entry {@link #headEntry} reads (once the key's head is saved in its state value). */
    void deleteHeadEntry(String key) {
        store.delete(headKey(key));
    }

    /**
     * The key's window read while another thread may be appending to it (the stream thread, while a trainer reads
     * through interactive queries): the head is read before and after the readings, and readings whose slots were
     * overwritten in between are left out, so the window holds the key's readings in order. (The open block's
     * readings come from the first head; a block written in between holds the same readings for its slots before
     * that head's next, and overwritten ones for the rest.) Null when the key has no history.
     *
     * @param states the state store (the view beside this ring's), which holds the heads
     * @throws BadBytesException when an entry does not decode
     */
    HistoryWindow readConcurrently(String key, ReadOnlyKeyValueStore<String, byte[]> states) {
        HistoryHead before = head(key, states.get(key));
        if (before == null) {
            return null;
        }
        HistoryWindow read = read(key, before);
        HistoryHead after = head(key, states.get(key));
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
     * The key's whole window as {@code head} describes it (either format).
     *
     * @throws BadBytesException when a block or reading is missing or does not decode
     */
    HistoryWindow read(String key, HistoryHead head) {
        HistoryWindow window = new HistoryWindow(head.capacity(), head.channels());
        double[] reading = new double[head.channels()];
        int readingBytes = readingBytes(head.channels());
        int openStart = head.openBlockStart();
        int loadedBlock = -1;
        byte[] block = null;
        for (int i = 0; i < head.size(); i++) {
            int slot = head.slot(i);
            long timestamp;
            if (head.version() == LEGACY_VERSION) {
                timestamp = decodeLegacyReading(reads.get(legacySlotKey(key, slot)), slot, reading);
            } else if (slot >= openStart && slot < head.next()) {
                timestamp = decodeReading(head.pendingBytes(), (slot - openStart) * readingBytes, reading);
            } else {
                int b = slot / BLOCK;
                if (b != loadedBlock) {
                    block = checkedBlock(reads.get(blockKey(key, b)), b, head);
                    loadedBlock = b;
                }
                timestamp = decodeReading(block, 1 + (slot - b * BLOCK) * readingBytes, reading);
            }
            window.append(timestamp, reading);
        }
        return window;
    }

    /**
     * Appends one reading to the ring {@code head} describes (the key's current one, in format 3), updating the head in
     * place: writes the block when the reading completes it.
     *
     * @return {@code head}, for the caller to save in the key's state value
     */
    HistoryHead append(String key, HistoryHead head, long timestamp, double[] reading) {
        if (head.version() != FORMAT_VERSION) {
            throw new IllegalArgumentException("only a format " + FORMAT_VERSION + " ring is appended to, got "
                    + head.version());
        }
        int block = head.next() / BLOCK;
        encodeReading(head.pendingBytes(), head.pendingLength(), timestamp, reading);
        if (head.appended(readingBytes(head.channels()))) {
            store.put(blockKey(key, block), block(head.pendingBytes(), head.pendingLength()));
            head.closeBlock();
        }
        return head;
    }

    /**
     * Replaces the key's ring by {@code window} (readings in slots 0..size-1, oldest first), and deletes the
     * entries of the ring it replaces, {@code old} (null when none or unknown), that the new one does not overwrite
     * (a format-2 ring's readings, or blocks beyond the new capacity).
     *
     * @return the ring's head, for the caller to save in the key's state value
     */
    HistoryHead write(String key, HistoryWindow window, HistoryHead old) {
        deleteStale(key, window.capacity(), old);
        int capacity = window.capacity();
        int size = window.size();
        int readingBytes = readingBytes(window.channels());
        int next = size % capacity;
        int openStart = next - next % BLOCK;
        int complete = size == capacity ? blocks(capacity) : openStart / BLOCK;
        double[] reading = new double[window.channels()];
        for (int b = 0; b < complete; b++) {
            int first = b * BLOCK;
            int count = Math.min(BLOCK, capacity - first);
            byte[] readings = new byte[count * readingBytes];
            for (int j = 0; j < count; j++) {
                window.copyReading(first + j, reading);
                encodeReading(readings, j * readingBytes, window.timestamp(first + j), reading);
            }
            store.put(blockKey(key, b), block(readings, readings.length));
        }
        byte[] pending = new byte[size == capacity ? 0 : (size - openStart) * readingBytes];
        for (int slot = openStart; size < capacity && slot < size; slot++) {
            window.copyReading(slot, reading);
            encodeReading(pending, (slot - openStart) * readingBytes, window.timestamp(slot), reading);
        }
        return new HistoryHead(capacity, window.channels(), size, next, FORMAT_VERSION, pending);
    }

    private void deleteStale(String key, int capacity, HistoryHead old) {
        if (old == null) {
            return;
        }
        if (old.version() == LEGACY_VERSION) {
            for (int slot = 0; slot < old.capacity(); slot++) {
                store.delete(legacySlotKey(key, slot));
            }
        } else {
            for (int b = blocks(capacity); b < blocks(old.capacity()); b++) {
                store.delete(blockKey(key, b));
            }
        }
    }

    /** Blocks of a ring of {@code capacity} readings (the last may be shorter). */
    static int blocks(int capacity) {
        return (capacity + BLOCK - 1) / BLOCK;
    }

    static int readingBytes(int channels) {
        return Long.BYTES + channels * Double.BYTES;
    }

    static String headKey(String key) {
        return key + HEAD_SUFFIX;
    }

    /** Entry of block {@code block}: the key, '#', 'b' and the block number in 8 lowercase hex digits. */
    static String blockKey(String key, int block) {
        return key.concat(hexSuffix("#b", block));
    }

    /** Entry of a format-2 reading: the key, '#' and the slot number in 8 lowercase hex digits. */
    static String legacySlotKey(String key, int slot) {
        return key.concat(hexSuffix("#", slot));
    }

    private static String hexSuffix(String prefix, int n) {
        char[] suffix = new char[prefix.length() + 8];
        prefix.getChars(0, prefix.length(), suffix, 0);
        for (int d = suffix.length - 1; d >= prefix.length(); d--) {
            suffix[d] = HEX[n & 0xF];
            n >>>= 4;
        }
        return new String(suffix);
    }

    /** The head's stored form (format 3). */
    byte[] encodeHead(HistoryHead head) {
        return HistoryHead.encode(crc, head.capacity(), head.channels(), head.size(), head.next(), head.pendingBytes(),
                head.pendingLength());
    }

    byte[] encodeHead(int capacity, int channels, int size, int next, byte[] pending) {
        return HistoryHead.encode(crc, capacity, channels, size, next, pending);
    }


    /** A stored block of the first {@code length} bytes of {@code readings}. */
    private static byte[] block(byte[] readings, int length) {
        byte[] block = new byte[1 + length];
        block[0] = (byte) FORMAT_VERSION;
        System.arraycopy(readings, 0, block, 1, length);
        return block;
    }

    private static byte[] checkedBlock(byte[] bytes, int block, HistoryHead head) {
        int count = Math.min(BLOCK, head.capacity() - block * BLOCK);
        return checkedEntry(bytes, 1 + count * readingBytes(head.channels()), FORMAT_VERSION, "block", block);
    }

    /**
     * {@code bytes} if they are a stored block or format-2 reading ({@code what} number {@code n}) of {@code expected}
     * bytes that starts with format version {@code version}.
     *
     * @throws BadBytesException naming the entry, when they are missing, of another length or of another version
     */
    private static byte[] checkedEntry(byte[] bytes, int expected, int version, String what, int n) {
        if (bytes == null || bytes.length != expected) {
            throw new BadBytesException("history " + what + " " + n + " must hold " + expected + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        if (Byte.toUnsignedInt(bytes[0]) != version) {
            throw new BadBytesException("history " + what + " " + n + " format version " + Byte.toUnsignedInt(bytes[0])
                    + " is not supported (expected " + version + ")");
        }
        return bytes;
    }

    private static void encodeReading(byte[] into, int offset, long timestamp, double[] reading) {
        ByteBuffer out = ByteBuffer.wrap(into, offset, readingBytes(reading.length));
        out.putLong(timestamp);
        for (double v : reading) {
            out.putDouble(v);
        }
    }

    /** Decodes the reading at {@code offset} into {@code out} (its length = channels); returns its timestamp. */
    private static long decodeReading(byte[] bytes, int offset, double[] out) {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, readingBytes(out.length));
        long timestamp = in.getLong();
        for (int c = 0; c < out.length; c++) {
            out[c] = in.getDouble();
        }
        return timestamp;
    }

    /** Decodes a format-2 reading entry into {@code out} (its length = channels); returns its timestamp. */
    static long decodeLegacyReading(byte[] bytes, int slot, double[] out) {
        return decodeReading(checkedEntry(bytes, 1 + readingBytes(out.length), LEGACY_VERSION, "slot", slot), 1, out);
    }
}
