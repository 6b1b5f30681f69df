package dev.vigil.stream;

import dev.vigil.lstm.ModelCodec;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static dev.vigil.stream.StreamFixtures.DETECTOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class PayloadFingerprintTest {

    @Test
    void shouldBeEqualForEqualBytesInAnotherArray() {
        byte[] payload = ModelCodec.encode(StreamFixtures.model(DETECTOR, "pump-1", 1L, 7L));
        assertEquals(PayloadFingerprint.of(payload), PayloadFingerprint.of(payload.clone()));
    }

    @Test
    void shouldTellApartEverySingleBitFlipOfAModelPayload() {
        byte[] payload = ModelCodec.encode(StreamFixtures.model(DETECTOR, "pump-1", 1L, 7L));
        PayloadFingerprint original = PayloadFingerprint.of(payload);
        Set<PayloadFingerprint> seen = new HashSet<>(Set.of(original));
        for (int i = 0; i < payload.length; i += 7) {
            byte[] flipped = payload.clone();
            flipped[i] ^= (byte) (1 << (i % 8));
            PayloadFingerprint fingerprint = PayloadFingerprint.of(flipped);
            assertNotEquals(original, fingerprint, "bit flip at byte " + i);
            seen.add(fingerprint);
        }
        assertEquals(1 + (payload.length + 6) / 7, seen.size(), "distinct fingerprints for distinct payloads");
    }

    @Test
    void shouldTellApartAnotherVersionOfTheSameModelAndAPayloadOfAnotherLength() {
        byte[] v1 = ModelCodec.encode(StreamFixtures.model(DETECTOR, "pump-1", 1L, 7L));
        byte[] v2 = ModelCodec.encode(StreamFixtures.model(DETECTOR, "pump-1", 2L, 7L));
        byte[] longer = ModelCodec.encode(StreamFixtures.model(DETECTOR, "pump-10", 1L, 7L));
        assertNotEquals(PayloadFingerprint.of(v1), PayloadFingerprint.of(v2));
        assertNotEquals(PayloadFingerprint.of(v1).length(), PayloadFingerprint.of(longer).length());
    }
}
