package dev.vigil.stream;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.vigil.stream.EventParser.VALUES_FIELD;
import static dev.vigil.stream.EventParser.VALUE_FIELD;
import static dev.vigil.stream.EventParser.echo;
import static dev.vigil.stream.RejectReason.MISSING_CHANNEL;
import static dev.vigil.stream.RejectReason.MISSING_KEY;
import static dev.vigil.stream.RejectReason.MISSING_VALUE;
import static dev.vigil.stream.RejectReason.NON_FINITE;
import static dev.vigil.stream.RejectReason.UNKNOWN_CHANNEL;
import static dev.vigil.stream.RejectReason.WRONG_TYPE;

/**
 * One Jackson pass over an event document ({@link EventParser}'s general path): what it found (the key field's value,
 * the event time, the readings and which channels were seen) and the first problem met in it. A syntax error is thrown
 * for the parser to report. One instance a document; not thread-safe.
 */
final class EventScan {
    final double[] values;
    final boolean[] seen;
    String key;
    long timestamp;
    boolean hasTimestamp;
    boolean sawValue;
    boolean sawOtherShape;
    ParsedRecord problem;

    private final String keyField;
    private final String timestampField;
    private final List<String> channels;
    private final Map<String, Integer> channelIndex;

    /**
     * @param keyField       value field holding the sensor key, or null
     * @param timestampField value field holding the event time
     * @param channels       channel names of {@code "values"} events; empty for {@code "value"} events
     * @param channelIndex   each channel's position in {@code channels}
     */
    EventScan(String keyField, String timestampField, List<String> channels, Map<String, Integer> channelIndex) {
        this.keyField = keyField;
        this.timestampField = timestampField;
        this.channels = channels;
        this.channelIndex = channelIndex;
        int count = channels.isEmpty() ? 1 : channels.size();
        values = new double[count];
        seen = new boolean[count];
    }

    /**
     * Reads the whole document from {@code p}, keeping the first problem met ({@link #problem}).
     *
     * @throws IOException on a syntax error anywhere (the record is then not JSON, whatever else was met)
     */
    void read(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new JsonParseException(p, "no JSON value");
        }
        if (first != JsonToken.START_OBJECT) {
            fail(WRONG_TYPE, "event must be a JSON object, got " + describe(p));
            p.skipChildren();
        } else {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                readField(p, name);
            }
        }
        if (p.nextToken() != null) {
            throw new JsonParseException(p, "trailing content after the event");
        }
    }

    private void readField(JsonParser p, String name) throws IOException {
        boolean consumed = false;
        if (name.equals(keyField)) {
            readKey(p);
        }
        if (name.equals(timestampField)) {
            readTimestamp(p);
        }
        boolean single = channels.isEmpty();
        if (name.equals(single ? VALUE_FIELD : VALUES_FIELD)) {
            sawValue = true;
            if (single) {
                values[0] = number(p, "\"" + VALUE_FIELD + "\"", MISSING_VALUE);
                seen[0] = true;
            } else {
                consumed = readChannels(p);
            }
        } else if (name.equals(single ? VALUES_FIELD : VALUE_FIELD)) {
            sawOtherShape = true;
        }
        if (!consumed) {
            p.skipChildren();
        }
    }

    private void readKey(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        String key = keyText(p, token);
        if (key == null) {
            fail(MISSING_KEY, "key field \"" + keyField + "\" must be a non-empty string or a number, got "
                    + describe(p));
        } else {
            this.key = key;
        }
    }

    static String keyText(JsonParser p, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            String text = p.getText();
            return text.isEmpty() ? null : text;
        }
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getText();
        }
        return null;
    }

    private void readTimestamp(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        String field = "\"" + timestampField + "\"";
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token == JsonToken.VALUE_STRING) {
            try {
                setTimestamp(Instant.parse(p.getText()).toEpochMilli(), field);
            } catch (DateTimeException | ArithmeticException e) {
                fail(WRONG_TYPE, field + " is not an ISO-8601 instant (e.g. 2026-01-01T00:00:00Z): " + describe(p));
            }
        } else if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            setTimestamp(p.getLongValue(), field);
        } else {
            fail(WRONG_TYPE, field + " must be an ISO-8601 instant string or integer epoch millis, got "
                    + describe(p));
        }
    }

    /** Reads {@code "values": {...}}; returns whether the object was consumed. */
    private boolean readChannels(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        String field = "\"" + VALUES_FIELD + "\"";
        if (token == JsonToken.VALUE_NULL) {
            fail(MISSING_VALUE, field + " is null");
            return false;
        }
        if (token != JsonToken.START_OBJECT) {
            fail(WRONG_TYPE, field + " must be an object of channel readings, got " + describe(p));
            return false;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            Integer c = channelIndex.get(name);
            if (c == null) {
                fail(UNKNOWN_CHANNEL, "unknown channel \"" + echo(name) + "\"; the topology's channels are "
                        + channels);
            } else {
                values[c] = number(p, "channel \"" + name + "\"", MISSING_CHANNEL);
                seen[c] = true;
            }
            p.skipChildren();
        }
        return true;
    }

    private double number(JsonParser p, String what, RejectReason ifNull) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            double v = p.getDoubleValue();
            if (!Double.isFinite(v)) {
                fail(NON_FINITE, what + " is not a finite number: " + echo(p.getText()));
            }
            return v;
        }
        if (token == JsonToken.VALUE_NULL) {
            fail(ifNull, what + " is null");
        } else {
            fail(WRONG_TYPE, what + " must be a number, got " + describe(p));
        }
        return Double.NaN;
    }

    private static String describe(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string \"" + echo(p.getText()) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + echo(p.getText());
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    void fail(RejectReason reason, String detail) {
        if (problem == null) {
            problem = ParsedRecord.rejected(reason, detail);
        }
    }

    private void setTimestamp(long millis, String field) {
        if (millis == Long.MIN_VALUE) {
            fail(WRONG_TYPE, field + " is out of range: " + millis);
        }
        timestamp = millis;
        hasTimestamp = true;
    }
}
