package dev.vigil.app.bench;

import dev.vigil.detect.DetectorStateCodec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench lstm}'s {@code event} beyond its 1,000 stepped keys: copies of their mature states, stepped on. */
class LstmBenchmarkEventTest {
    @Test
    void keysBeyondTheSteppedOnesAreCopiesOfTheirTwinsStateAndStepOnTheirTwinsSeries() {
        LstmBenchmark.EventState s = new LstmBenchmark.EventState();
        s.keys = LstmBenchmark.EventState.STEPPED + 2;
        s.setUp();
        int twin = 1;
        int copy = LstmBenchmark.EventState.STEPPED + twin;
        assertNotSame(s.states[twin], s.states[copy]);
        assertNotSame(s.models[twin], s.models[copy]);
        assertEquals(LstmBenchmark.EventState.MATURE, s.next[copy]);
        assertArrayEquals(DetectorStateCodec.encode(s.states[twin]), DetectorStateCodec.encode(s.states[copy]));
        s.step(twin);
        s.step(copy);
        assertArrayEquals(DetectorStateCodec.encode(s.states[twin]), DetectorStateCodec.encode(s.states[copy]),
                "the same next reading, the same model: the same state");
        LstmBenchmark bench = new LstmBenchmark();
        for (int i = 0; i < s.keys; i++) {
            assertTrue(bench.event(s) > 0);
        }
        assertEquals(0, s.k, "keys taken in turn, wrapping at keys");
        for (int i = 0; i < s.keys; i++) {
            assertEquals(i, s.sequence[i], "in turn: the order of the states");
        }
    }

    @Test
    void shuffledTakesEveryKeyOncePerPassInAnotherOrder() {
        LstmBenchmark.EventState s = new LstmBenchmark.EventState();
        s.keys = LstmBenchmark.EventState.STEPPED;
        s.order = "shuffled";
        s.setUp();
        int[] sorted = s.sequence.clone();
        java.util.Arrays.sort(sorted);
        int inPlace = 0;
        for (int i = 0; i < s.keys; i++) {
            assertEquals(i, sorted[i], "a permutation of the keys");
            inPlace += s.sequence[i] == i ? 1 : 0;
        }
        assertTrue(inPlace < 10, "not the order of the states: " + inPlace + " keys in place");
        s.order = "sideways";
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, s::setUp);
    }
}
