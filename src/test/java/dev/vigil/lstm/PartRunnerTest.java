package dev.vigil.lstm;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PartRunnerTest {

    @Test
    void shouldRunPartOneOnTheHelperAndReturnWhenBothAreDone() {
        PartRunner runner = new PartRunner(0);
        long[] sums = new long[2];
        AtomicReference<Thread> helper = new AtomicReference<>();
        for (int round = 1; round <= 50; round++) {
            int n = round;
            runner.run(part -> {
                if (part == 1) {
                    helper.set(Thread.currentThread());
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                sums[part] += n;
            });
            // both parts' writes are visible here, the helper's included
            assertArrayEquals(new long[] {(long) n * (n + 1) / 2, (long) n * (n + 1) / 2}, sums);
        }
        assertNotSame(Thread.currentThread(), helper.get());
        runner.stop();
    }

    @Test
    void shouldThrowTheHelpersExceptionHereAfterBothPartsEnded() {
        PartRunner runner = new PartRunner(MinibatchGradient.SPIN_NANOS);
        boolean[] callerDone = new boolean[1];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(part -> {
            if (part == 1) {
                throw new IllegalStateException("helper part failed");
            }
            callerDone[0] = true;
        }));
        assertEquals("helper part failed", e.getMessage());
        assertEquals(true, callerDone[0]);
        int[] after = new int[2];
        runner.run(part -> after[part]++);
        assertArrayEquals(new int[] {1, 1}, after, "the runner still works after a failed part");
        runner.stop();
    }
}
