package dev.vigil.stream;

import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Identifies a model payload's bytes without keeping them: its length and its CRC-32 and CRC-32C (two different
 * polynomials, so two payloads of one length that differ are taken for the same with a chance of about 2⁻⁶⁴).
 * Both checksums are JIT intrinsics: an 18 KB payload takes a few microseconds, about what comparing two copies
 * took. Used by {@link ModelCache}, which otherwise kept a copy of every key's payload beside its decoded model.
 */
record PayloadFingerprint(int length, long crc32, long crc32c) {

    static PayloadFingerprint of(byte[] payload) {
        CRC32 crc32 = new CRC32();
        crc32.update(payload);
        CRC32C crc32c = new CRC32C();
        crc32c.update(payload);
        return new PayloadFingerprint(payload.length, crc32.getValue(), crc32c.getValue());
    }
}
