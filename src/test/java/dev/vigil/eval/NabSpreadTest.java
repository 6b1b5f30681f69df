package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.VigilException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NabSpreadTest {
    private static Map<NabProfile, NabScore> run(double standard, double lowFp, double lowFn) {
        Map<NabProfile, NabScore> m = new EnumMap<>(NabProfile.class);
        m.put(NabProfile.STANDARD, new NabScore(NabProfile.STANDARD, 0.5, 0, standard, 1, 0, 0));
        m.put(NabProfile.REWARD_LOW_FP, new NabScore(NabProfile.REWARD_LOW_FP, 0.5, 0, lowFp, 1, 0, 0));
        m.put(NabProfile.REWARD_LOW_FN, new NabScore(NabProfile.REWARD_LOW_FN, 0.5, 0, lowFn, 1, 0, 0));
        return m;
    }

    @Test
    void shouldGiveTheMeanLowestAndHighestOfEachProfile() {
        Map<NabProfile, NabSpread> s = NabSpread.of(List.of(run(60, 50, 70), run(66, 49, 72), run(63, -2, 80)));
        assertEquals(new NabSpread(NabProfile.STANDARD, 3, 63, 60, 66), s.get(NabProfile.STANDARD));
        assertEquals(new NabSpread(NabProfile.REWARD_LOW_FP, 3, 97.0 / 3, -2, 50), s.get(NabProfile.REWARD_LOW_FP));
        assertEquals(new NabSpread(NabProfile.REWARD_LOW_FN, 3, 74, 70, 80), s.get(NabProfile.REWARD_LOW_FN));
    }

    @Test
    void shouldNeedAtLeastOneRun() {
        assertEquals("a spread needs at least one run, got none",
                assertThrows(VigilException.class, () -> NabSpread.of(List.of())).getMessage());
    }
}
