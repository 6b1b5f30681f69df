package dev.vigil.detect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HistoryWindowTest {
    @Test
    void shouldKeepTheNewestReadingsOldestFirst() {
        HistoryWindow w = new HistoryWindow(3, 2);
        for (int t = 0; t < 5; t++) {
            w.append(t, new double[] {t, -t});
        }
        assertEquals(3, w.size());
        assertEquals(2, w.timestamp(0));
        assertEquals(4, w.timestamp(2));
        assertArrayEquals(new double[][] {{3, -3}, {4, -4}}, w.lastReadings(2));
        assertThrows(IndexOutOfBoundsException.class, () -> w.timestamp(3));
    }
}
