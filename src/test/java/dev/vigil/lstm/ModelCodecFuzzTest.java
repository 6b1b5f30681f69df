package dev.vigil.lstm;

import dev.vigil.BadBytesException;
import dev.vigil.testutil.PayloadMutations;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

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
            byte[] mutated = PayloadMutations.mutate(real, random);
            if (random.nextInt(4) != 0) {
                PayloadMutations.fixChecksum(mutated);
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
}
