package dev.vigil.detect;

import dev.vigil.BadBytesException;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The compact longs of a detector state's format {@value DetectorStateCodec#FORMAT_VERSION} ({@link
 * DetectorStateCodec}): a counter that is small almost always as a zigzag varint (7 bits a byte, low group first, the
 * high bit set on every byte but the last; 1 byte for -64..63, at most 10), and the input offset as its significant
 * bytes, big-endian, followed by their count (2 bytes for an offset below 256, 5 below 2^32), so that it is read from
 * the end of the state as well as from the front.
 */
final class CompactLongs {
    /** Most bytes of a zigzag varint of a long. */
    private static final int MAX_VARINT_BYTES = 10;

    private CompactLongs() {
    }

    /** Bytes of {@code v} as a zigzag varint. */
    static int varintSize(long v) {
        long u = (v << 1) ^ (v >> 63);
        int n = 1;
        while ((u >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** Writes {@code v} as a zigzag varint. */
    static void putVarint(ByteBuffer out, long v) {
        long u = (v << 1) ^ (v >> 63);
        while ((u & ~0x7FL) != 0) {
            out.put((byte) ((u & 0x7F) | 0x80));
            u >>>= 7;
        }
        out.put((byte) u);
    }

    /**
     * Reads a zigzag varint.
     *
     * @throws BadBytesException when it runs over {@value #MAX_VARINT_BYTES} bytes
     * @throws BufferUnderflowException when it runs past the buffer's limit
     */
    static long getVarint(ByteBuffer in) {
        long u = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            byte b = in.get();
            u |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return (u >>> 1) ^ -(u & 1);
            }
        }
        throw new BadBytesException("detector state has a varint of more than " + MAX_VARINT_BYTES + " bytes");
    }

    /** The position after the zigzag varint at {@code at} in {@code bytes}, which must end before {@code limit}. */
    static int skipVarint(byte[] bytes, int at, int limit) {
        for (int i = 0; i < MAX_VARINT_BYTES && at + i < limit; i++) {
            if (bytes[at + i] >= 0) {
                return at + i + 1;
            }
        }
        throw new BadBytesException("detector state has a varint that does not end where it should");
    }

    /** Bytes of the input offset {@code offset} (&ge; 0) with its count. */
    static int offsetSize(long offset) {
        return 1 + significantBytes(offset);
    }

    /** Writes the input offset {@code offset} (&ge; 0): its significant bytes, big-endian, then their count. */
    static void putOffset(ByteBuffer out, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("an input offset is >= 0, got " + offset);
        }
        int k = significantBytes(offset);
        for (int i = k - 1; i >= 0; i--) {
            out.put((byte) (offset >>> (8 * i)));
        }
        out.put((byte) k);
    }

    /** Bytes of the input offset that ends just before {@code end} in {@code bytes}, its count included. */
    static int offsetLength(byte[] bytes, int end) {
        if (end < 1) {
            throw new BadBytesException("detector state is too short for its input offset");
        }
        int k = bytes[end - 1];
        if (k < 1 || k > Long.BYTES || end - 1 - k < 0) {
            throw new BadBytesException("detector state has an input offset of " + k + " bytes");
        }
        return k + 1;
    }

    /** The input offset that ends just before {@code end} in {@code bytes} (its count the last byte). */
    static long offsetBefore(byte[] bytes, int end) {
        int length = offsetLength(bytes, end);
        long v = 0;
        for (int i = end - length; i < end - 1; i++) {
            v = (v << 8) | (bytes[i] & 0xFF);
        }
        if (v < 0) {
            throw new BadBytesException("detector state has a negative input offset");
        }
        return v;
    }

    /** Bytes that hold {@code v} (&ge; 0) big-endian without leading zero bytes; 1 for 0. */
    private static int significantBytes(long v) {
        return Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(v) + 7) / 8);
    }
}
