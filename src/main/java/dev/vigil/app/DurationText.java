package dev.vigil.app;

import dev.vigil.BadConfigException;

import java.time.Duration;
import java.util.Locale;

/** Durations written the short way on command lines: "90s", "2m", "1h", "500ms", or ISO-8601 ("PT90S"). */
final class DurationText {
    private DurationText() {
    }

    static Duration parse(String text, String option) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return positive(Duration.parse(t.toUpperCase(Locale.ROOT)), option, text);
            }
            if (t.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), option, text);
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return positive(switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            }, option, text);
        } catch (NumberFormatException | java.time.format.DateTimeParseException | IndexOutOfBoundsException e) {
            throw new BadConfigException(option + " must look like 90s, 2m, 1h or 500ms, got '" + text + "'");
        }
    }

    private static Duration positive(Duration d, String option, String text) {
        if (d.isNegative() || d.isZero()) {
            throw new BadConfigException(option + " must be positive, got '" + text + "'");
        }
        return d;
    }
}
