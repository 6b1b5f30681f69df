package dev.vigil.testutil;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Seeded mutations of a real model payload for the fuzz tests of the codec and the models topic: bit flips,
 * overwritten ranges, header ints set to extremes, truncation, trailing bytes, and float parameters set to NaN,
 * infinity, huge values or denormals.
 */
public final class PayloadMutations {
    private PayloadMutations() {
    }

    /** A mutated copy of {@code real} (its trailing CRC32 left as it was; see {@link #fixChecksum}). */
    public static byte[] mutate(byte[] real, SplittableRandom r) {
        byte[] b = Arrays.copyOf(real, real.length);
        switch (r.nextInt(6)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(8); k > 0; k--) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> {
                int at = r.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + r.nextInt(64));
                for (int k = 0; k < len; k++) {
                    b[at + k] = (byte) r.nextInt(256);
                }
            }
            case 2 -> {
                // an int field of the header (version, shape, id length, counts) set to an extreme
                int[] extremes = {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 65_536, 1 << 30};
                int at = 4 * r.nextInt(Math.min(b.length / 4, 12));
                ByteBuffer.wrap(b).putInt(at, extremes[r.nextInt(extremes.length)]);
            }
            case 3 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case 4 -> {
                byte[] longer = Arrays.copyOf(b, b.length + 1 + r.nextInt(100));
                for (int k = b.length; k < longer.length; k++) {
                    longer[k] = (byte) r.nextInt(256);
                }
                b = longer;
            }
            default -> {
                // a float parameter set to NaN, infinity, a huge value or a denormal
                float[] odd = {Float.NaN, Float.POSITIVE_INFINITY, -Float.MAX_VALUE, Float.MIN_VALUE, 1e30f};
                int at = 100 + 4 * r.nextInt((b.length - 108) / 4);
                ByteBuffer.wrap(b).putFloat(at, odd[r.nextInt(odd.length)]);
            }
        }
        return b;
    }

    /** Recomputes, in place, the trailing CRC32 over every preceding byte (when there is room for one). */
    public static void fixChecksum(byte[] b) {
        if (b.length < 8) {
            return;
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    }
}
