package dev.vigil.lstm;

import dev.vigil.BadBytesException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutated real payloads (bit flips, overwritten ranges, huge and negative length and shape fields, truncation,
 * trailing bytes), most with the checksum recomputed so that the parser itself meets them: every one either decodes
 * to a model that encodes back to the very same bytes, or is refused with a {@link BadBytesException}; nothing else
 * is thrown (no out-of-bounds index, negative array size or out-of-memory from a length field), whatever the seed.
 */
class ModelCodecFuzzTest {
    private static final int MUTATIONS = 20_000;

    @Test
    void shouldRefuseEveryMutatedPayloadWithABadBytesExceptionOrDecodeItExactly() {
        LstmConfig shape = LstmConfig.defaults();
        byte[] real = ModelCodec.encode(LstmModel.initialise(shape, new Normalisation(new double[] {12.5},
                new double[] {3.25}), 7));
        SplittableRandom random = new SplittableRandom(2026);
        int refused = 0;
        int decoded = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] mutated = mutate(real, random);
            if (random.nextInt(4) != 0) {
                fixChecksum(mutated);
            }
            try {
                LstmModel model = ModelCodec.decode(mutated);
                assertArrayEquals(mutated, ModelCodec.encode(model), "mutation " + i + " decoded to another model");
                decoded++;
            } catch (BadBytesException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "mutation " + i + ": no reason");
                refused++;
            } catch (RuntimeException | OutOfMemoryError e) {
                fail("mutation " + i + " threw " + e + " instead of a BadBytesException", e);
            }
        }
        assertTrue(refused > MUTATIONS / 2, "most mutations are refused: " + refused + " of " + MUTATIONS);
        assertTrue(refused + decoded == MUTATIONS);
    }

    private static byte[] mutate(byte[] real, SplittableRandom r) {
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

    /** Recomputes the trailing CRC32 over every preceding byte (when there is room for one). */
    private static void fixChecksum(byte[] b) {
        if (b.length < 8) {
            return;
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    }
}
