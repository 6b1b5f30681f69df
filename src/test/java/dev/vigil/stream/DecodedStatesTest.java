package dev.vigil.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link DecodedStates}' estimate of an entry's heap. */
class DecodedStatesTest {

    @Test
    void shouldCountHalfTheRoomOfTheOpenBlockAKeyOfItsChannelsKeeps() {
        for (int channels = 1; channels <= 8; channels++) {
            // the head's open block has room for a block of readings (HistoryHead), half of it beyond what is stored
            long room = (long) HistoryRing.BLOCK * HistoryRing.readingBytes(channels);
            long base = DecodedStates.entryBytes(0, 1) - DecodedStates.OPEN_BLOCK_ROOM_BYTES * 2;
            assertEquals(room / 2, DecodedStates.entryBytes(0, channels) - base, "channels " + channels);
        }
        assertEquals(DecodedStates.entryBytes(0, 1) + 1_600, DecodedStates.entryBytes(1_000, 1),
                "1.6 bytes of heap a stored byte");
    }
}
