package dev.vigil.stream;

import com.fasterxml.jackson.core.io.NumberInput;

import java.nio.charset.StandardCharsets;

/**
 * Reads the common single-value event, {@code {"ts": <epoch ms>, "value": <number>}} (the fields in either order,
 * the timestamp optional, JSON whitespace between tokens), without a JSON parser. Anything else (another field, a
 * string timestamp, an escape in a field name, a timestamp with a fraction or beyond 18 digits, a number JSON does not
 * allow, a reading that is not finite, a syntax error) is left to {@link EventParser}'s Jackson pass, which then
 * decides as it always did. What this reads gets the bits the Jackson pass gives: an integer reading is converted
 * from its long (so {@code -0} is {@code 0.0}, as Jackson has it), a decimal one is read by Jackson's own
 * {@link NumberInput}. Immutable, thread-safe.
 */
final class PlainEventReader {
    /** Longest number read here (Jackson's own limit is far above; a longer one is left to it). */
    private static final int MAX_NUMBER_CHARS = 40;
    /** Integer digits that always fit a long. */
    private static final int MAX_LONG_DIGITS = 18;
    private static final byte[] VALUE = EventParser.VALUE_FIELD.getBytes(StandardCharsets.US_ASCII);

    private final byte[] timestampField;

    private PlainEventReader(byte[] timestampField) {
        this.timestampField = timestampField;
    }

    /**
     * A reader for events whose timestamp field is {@code timestampField}, or null when that name is not plain
     * printable ASCII (without quote or backslash) or is the value field.
     */
    static PlainEventReader forTimestampField(String timestampField) {
        if (timestampField == null || timestampField.isEmpty() || timestampField.equals(EventParser.VALUE_FIELD)) {
            return null;
        }
        for (int i = 0; i < timestampField.length(); i++) {
            char c = timestampField.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return null;
            }
        }
        return new PlainEventReader(timestampField.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reads {@code json} into {@code reading[0]} and, if present, {@code timestamp[0]}.
     *
     * @return -1: left to the Jackson pass (nothing reliable was written); 0: read, no timestamp; 1: read, with one
     */
    int read(byte[] json, double[] reading, long[] timestamp) {
        int n = json.length;
        int i = space(json, 0);
        if (i >= n || json[i] != '{') {
            return -1;
        }
        boolean haveTimestamp = false;
        boolean haveValue = false;
        i = space(json, i + 1);
        while (true) {
            if (i >= n || json[i] != '"') {
                return -1;
            }
            int nameEnd = quoteEnd(json, i + 1);
            boolean isTimestamp = same(json, i + 1, nameEnd, timestampField);
            boolean isValue = !isTimestamp && same(json, i + 1, nameEnd, VALUE);
            if (!isTimestamp && !isValue || isTimestamp && haveTimestamp || isValue && haveValue) {
                return -1;
            }
            i = space(json, nameEnd + 1);
            if (i >= n || json[i] != ':') {
                return -1;
            }
            int start = space(json, i + 1);
            int end = numberEnd(json, start);
            if (end < 0) {
                return -1;
            }
            boolean integer = isInteger(json, start, end);
            if (isTimestamp) {
                if (!integer || digits(json, start, end) > MAX_LONG_DIGITS) {
                    return -1;
                }
                timestamp[0] = parseLong(json, start, end);
                haveTimestamp = true;
            } else {
                double v = number(json, start, end, integer);
                if (!Double.isFinite(v)) {
                    return -1;
                }
                reading[0] = v;
                haveValue = true;
            }
            i = space(json, end);
            if (i < n && json[i] == ',') {
                i = space(json, i + 1);
            } else if (i < n && json[i] == '}') {
                break;
            } else {
                return -1;
            }
        }
        if (space(json, i + 1) != n || !haveValue) {
            return -1;
        }
        return haveTimestamp ? 1 : 0;
    }

    /** The index of the first '"' at or after {@code from} (the length when there is none). */
    private static int quoteEnd(byte[] json, int from) {
        int i = from;
        while (i < json.length && json[i] != '"') {
            i++;
        }
        return i;
    }

    /** The number in {@code json[start, end)}: exactly when it is an integer of at most {@value #MAX_LONG_DIGITS} digits. */
    private static double number(byte[] json, int start, int end, boolean integer) {
        if (integer && digits(json, start, end) <= MAX_LONG_DIGITS) {
            return parseLong(json, start, end);
        }
        return NumberInput.parseDouble(new String(json, start, end - start, StandardCharsets.US_ASCII), true);
    }

    private static int space(byte[] json, int i) {
        while (i < json.length && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) {
            i++;
        }
        return i;
    }

    private static boolean same(byte[] json, int from, int to, byte[] name) {
        if (to - from != name.length) {
            return false;
        }
        for (int k = 0; k < name.length; k++) {
            if (json[from + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The end of the JSON number at {@code i} ({@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}), or -1 if there
     * is none, it is longer than {@value #MAX_NUMBER_CHARS} characters, or a byte follows it that cannot end a value.
     */
    private static int numberEnd(byte[] json, int i) {
        int start = i;
        int n = json.length;
        if (i < n && json[i] == '-') {
            i++;
        }
        if (i < n && json[i] == '0') {
            i++;
        } else if (i < n && json[i] >= '1' && json[i] <= '9') {
            i = digitsEnd(json, i);
        } else {
            return -1;
        }
        if (i < n && json[i] == '.') {
            int fraction = digitsEnd(json, i + 1);
            if (fraction == i + 1) {
                return -1;
            }
            i = fraction;
        }
        if (i < n && (json[i] == 'e' || json[i] == 'E')) {
            i++;
            if (i < n && (json[i] == '+' || json[i] == '-')) {
                i++;
            }
            int exponent = digitsEnd(json, i);
            if (exponent == i) {
                return -1;
            }
            i = exponent;
        }
        if (i - start > MAX_NUMBER_CHARS) {
            return -1;
        }
        boolean ends = i >= n || json[i] == ',' || json[i] == '}' || json[i] == ' ' || json[i] == '\t'
                || json[i] == '\n' || json[i] == '\r';
        return ends ? i : -1;
    }

    private static int digitsEnd(byte[] json, int i) {
        while (i < json.length && json[i] >= '0' && json[i] <= '9') {
            i++;
        }
        return i;
    }

    private static boolean isInteger(byte[] json, int start, int end) {
        for (int k = start; k < end; k++) {
            if (json[k] == '.' || json[k] == 'e' || json[k] == 'E') {
                return false;
            }
        }
        return true;
    }

    private static int digits(byte[] json, int start, int end) {
        return json[start] == '-' ? end - start - 1 : end - start;
    }

    /** The integer (at most {@value #MAX_LONG_DIGITS} digits) in {@code json[start, end)}. */
    private static long parseLong(byte[] json, int start, int end) {
        boolean negative = json[start] == '-';
        long v = 0;
        for (int k = negative ? start + 1 : start; k < end; k++) {
            v = 10 * v + (json[k] - '0');
        }
        return negative ? -v : v;
    }
}
