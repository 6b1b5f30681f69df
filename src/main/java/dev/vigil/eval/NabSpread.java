package dev.vigil.eval;

import dev.vigil.VigilException;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One profile's normalised NAB score over several runs of the same corpus (one per seed): mean, lowest and
 * highest. Each run's threshold is optimised on its own, as NAB does for every detector run.
 *
 * @param profile the profile
 * @param runs    number of runs
 * @param mean    mean normalised score
 * @param min     lowest
 * @param max     highest
 */
public record NabSpread(NabProfile profile, int runs, double mean, double min, double max) {

    /**
     * The spread of each profile over runs.
     *
     * @param runs one map of scores per run, each holding every profile
     * @return per profile, in the profiles' order
     * @throws VigilException if there is no run or a run lacks a profile
     */
    public static Map<NabProfile, NabSpread> of(List<Map<NabProfile, NabScore>> runs) {
        if (runs.isEmpty()) {
            throw new VigilException("a spread needs at least one run, got none");
        }
        Map<NabProfile, NabSpread> out = new EnumMap<>(NabProfile.class);
        for (NabProfile p : NabProfile.values()) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (Map<NabProfile, NabScore> run : runs) {
                NabScore s = run.get(p);
                if (s == null) {
                    throw new VigilException("every run needs a " + p.nabName() + " score");
                }
                sum += s.normalisedScore();
                min = Math.min(min, s.normalisedScore());
                max = Math.max(max, s.normalisedScore());
            }
            out.put(p, new NabSpread(p, runs.size(), sum / runs.size(), min, max));
        }
        return out;
    }
}
