package dev.vigil.eval;

import dev.vigil.VigilException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Parses NAB timestamps: {@code YYYY-MM-DD HH:MM:SS} in data and results files, the same with a
 * fraction ({@code .ffffff}) in the label files. Both parse to the same {@link LocalDateTime}, which
 * is how windows are matched to rows. No zone: NAB timestamps have none.
 */
public final class NabTimestamp {
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter();

    private NabTimestamp() {
    }

    /**
     * Parses one timestamp.
     *
     * @param text {@code YYYY-MM-DD HH:MM:SS} with an optional fraction of a second
     * @param where what the text is, for the error message (e.g. a file and row)
     * @return the timestamp
     * @throws VigilException if the text is not a NAB timestamp
     */
    public static LocalDateTime parse(String text, String where) {
        try {
            return LocalDateTime.parse(text.trim(), FORMAT);
        } catch (DateTimeParseException e) {
            throw new VigilException(where + ": expected a timestamp 'YYYY-MM-DD HH:MM:SS[.ffffff]', got '"
                    + text + "'", e);
        }
    }
}
