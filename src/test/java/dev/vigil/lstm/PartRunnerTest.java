package dev.vigil.lstm;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartRunnerTest {

    @Test
    void shouldRunEveryChunkExactlyOnceAndReturnWhenAllAreDone() {
        PartRunner runner = new PartRunner(MinibatchGradient.SPIN_NANOS);
        int[] byWorker = new int[2];
        for (int round = 1; round <= 2000; round++) {
            int chunks = 1 + round % 9;
            long factor = round;
            AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
            long[] values = new long[chunks];
            int[] mine = new int[2];
            runner.run(chunks, (chunk, worker) -> {
                runs.incrementAndGet(chunk);
                values[chunk] = chunk * factor;
                mine[worker]++;
            });
            for (int c = 0; c < chunks; c++) {
                assertEquals(1, runs.get(c), "chunk " + c + " of " + chunks + " in round " + round);
                // each chunk's plain writes are visible here, whichever thread ran it
                assertEquals((long) c * round, values[c]);
            }
            byWorker[0] += mine[0];
            byWorker[1] += mine[1];
        }
        assertTrue(byWorker[0] > 0, "the caller ran chunks");
        runner.stop();
    }

    @Test
    void shouldThrowAChunksExceptionHereAfterAllChunksEnded() {
        PartRunner runner = new PartRunner(0);
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(4, (chunk, worker) -> {
            runs.incrementAndGet(chunk);
            if (chunk == 2) {
                throw new IllegalStateException("chunk failed");
            }
        }));
        assertEquals("chunk failed", e.getMessage());
        for (int c = 0; c < 4; c++) {
            assertEquals(1, runs.get(c));
        }
        int[] after = new int[3];
        runner.run(3, (chunk, worker) -> after[chunk]++);
        assertEquals(3, after[0] + after[1] + after[2], "the runner still works after a failed chunk");
        runner.stop();
    }
}
