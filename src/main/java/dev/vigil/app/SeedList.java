package dev.vigil.app;

import dev.vigil.BadConfigException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code --seeds} option's text: comma-separated non-negative integers and inclusive ranges, e.g.
 * {@code 1,2,3}, {@code 1-5} or {@code 1-3,42}. Seeds keep the order given; a seed given twice is an error.
 */
final class SeedList {
    /** The most seeds one evaluation runs (a guard against a mistyped range). */
    static final int MAX_SEEDS = 1000;

    private SeedList() {
    }

    /**
     * Parses the text.
     *
     * @return the seeds, at least one
     * @throws BadConfigException with one line naming the bad part
     */
    static List<Long> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new BadConfigException("--seeds must list seeds, e.g. 1,2,3 or 1-5, got '" + text + "'");
        }
        Set<Long> seeds = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            int dash = p.indexOf('-');
            long first = number(dash < 0 ? p : p.substring(0, dash), text);
            long last = dash < 0 ? first : number(p.substring(dash + 1), text);
            if (last < first) {
                throw new BadConfigException("--seeds range '" + p + "' must not run backwards");
            }
            if (last - first >= MAX_SEEDS) {
                throw new BadConfigException("--seeds must list at most " + MAX_SEEDS + " seeds, got '" + p + "'");
            }
            for (long s = first; s <= last; s++) {
                if (!seeds.add(s)) {
                    throw new BadConfigException("--seeds lists seed " + s + " twice");
                }
            }
            if (seeds.size() > MAX_SEEDS) {
                throw new BadConfigException("--seeds must list at most " + MAX_SEEDS + " seeds, got " + seeds.size());
            }
        }
        return new ArrayList<>(seeds);
    }

    private static long number(String s, String text) {
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadConfigException("--seeds must list non-negative integers or ranges like 1-5, got '" + text
                    + "'");
        }
    }
}
