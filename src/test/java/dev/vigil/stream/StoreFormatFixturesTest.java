package dev.vigil.stream;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Golden fixtures of the released store formats: a history head and reading (v2) and the model generation (v1). */
class StoreFormatFixturesTest {
    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = StoreFormatFixturesTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertNotNull(in, name + " is missing");
            return in.readAllBytes();
        }
    }

    @Test
    void shouldStillDecodeTheReleasedHistoryHead() throws IOException {
        byte[] bytes = fixture("history-head-v2.bin");
        HistoryRing.Head head = HistoryRing.decodeHead(bytes);
        assertEquals(new HistoryRing.Head(2000, 2, 1500, 1500), head);
    }

    @Test
    void shouldStillDecodeTheReleasedHistoryReading() throws IOException {
        byte[] bytes = fixture("history-reading-v2.bin");
        double[] reading = new double[2];
        assertEquals(1_767_225_600_000L, HistoryRing.decodeReading(bytes, 0, reading));
        assertArrayEquals(new double[] {21.5, 0.02}, reading);
        assertArrayEquals(bytes, HistoryRing.encodeReading(1_767_225_600_000L, new double[] {21.5, 0.02}));
    }

    @Test
    void shouldStillDecodeTheReleasedModelGeneration() throws IOException {
        byte[] bytes = fixture("model-generation-v1.bin");
        assertEquals(42, ModelGeneration.decode(bytes));
        assertArrayEquals(bytes, ModelGeneration.encode(42));
    }
}
