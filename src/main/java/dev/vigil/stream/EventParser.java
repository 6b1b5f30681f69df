package dev.vigil.stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.Event;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.vigil.stream.RejectReason.FUTURE;
import static dev.vigil.stream.RejectReason.MISSING_CHANNEL;
import static dev.vigil.stream.RejectReason.MISSING_KEY;
import static dev.vigil.stream.RejectReason.MISSING_VALUE;
import static dev.vigil.stream.RejectReason.NOT_JSON;
import static dev.vigil.stream.RejectReason.OVERSIZED;
import static dev.vigil.stream.RejectReason.TOO_EARLY;

/**
 * Reads one JSON event (a record's value bytes) into an {@link Event}, or says why it cannot. Pure: no Kafka
 * types, no state; immutable and thread-safe.
 *
 * <p>Accepted events (DESIGN.md): {@code {"ts": "2026-01-01T00:00:00Z" | epoch millis, "value": 3.2}} for a
 * topology without named channels, {@code {"ts": ..., "values": {"temp": 21.5, "vibration": 0.02}}} for one with
 * channels (values are returned in the topology's channel order). The timestamp field's name is configurable
 * ({@code timestampField}); when it is absent or null, the record timestamp is used. Other top-level fields are
 * ignored. The sensor key is the record key, or, when the topology names a {@code keyField}, that field's value
 * (a non-empty string, or a number's JSON text).
 *
 * <p>Checks, in this order: null value, size ({@code maxRecordBytes}, before any parsing), record key (without a
 * key field), then one pass over the document. The first problem met in the document wins, except that a syntax
 * error anywhere makes the record {@link RejectReason#NOT_JSON}; missing key, value or channels, and an event time
 * too far ahead of the record timestamp ({@code maxFutureMs}) or before {@code minEventTimeMs}, are known only at
 * the end. Details are one line and echo at most {@value #MAX_ECHO} characters of the input.
 */
public final class EventParser {
    /** Field of the reading in single-value events. */
    public static final String VALUE_FIELD = "value";
    /** Field of the readings object in events with named channels. */
    public static final String VALUES_FIELD = "values";
    /** Longest piece of input echoed in a detail. */
    public static final int MAX_ECHO = 64;

    private final String keyField;
    private final String timestampField;
    private final List<String> channels;
    private final Map<String, Integer> channelIndex = new HashMap<>();
    private final int maxRecordBytes;
    private final long maxFutureMs;
    private final long minEventTimeMs;
    /** The common single-value shape read without Jackson; null when the topology's events are not of it. */
    private final PlainEventReader plain;

    /** A parser without the future and early checks ({@code maxFutureMs} and {@code minEventTimeMs} 0). */
    public EventParser(String keyField, String timestampField, List<String> channels, int maxRecordBytes) {
        this(keyField, timestampField, channels, maxRecordBytes, 0, 0);
    }

    /**
     * @param keyField       value field holding the sensor key, or null to use the record key
     * @param timestampField value field holding the event time
     * @param channels       channel names of {@code "values"} events; empty for {@code "value"} events
     * @param maxRecordBytes larger values are {@link RejectReason#OVERSIZED}
     * @param maxFutureMs    an event time further ahead of a known (non-negative) record timestamp is
     *                       {@link RejectReason#FUTURE}; 0: no check
     * @param minEventTimeMs an event time read from the event ({@code timestampField}, not the record timestamp)
     *                       before this is {@link RejectReason#TOO_EARLY}; 0: no check
     */
    public EventParser(String keyField, String timestampField, List<String> channels, int maxRecordBytes,
                       long maxFutureMs, long minEventTimeMs) {
        this.keyField = keyField;
        this.timestampField = timestampField;
        this.channels = List.copyOf(channels);
        this.maxRecordBytes = maxRecordBytes;
        this.maxFutureMs = maxFutureMs;
        this.minEventTimeMs = minEventTimeMs;
        for (int c = 0; c < this.channels.size(); c++) {
            channelIndex.put(this.channels.get(c), c);
        }
        this.plain = keyField == null && this.channels.isEmpty() ? PlainEventReader.forTimestampField(timestampField)
                : null;
    }

    public static EventParser forTopology(TopologyConfig topology) {
        return new EventParser(topology.keyField(), topology.timestampField(), topology.channels(),
                topology.maxRecordBytes(), topology.maxFutureMs(), topology.minEventTimeMs());
    }

    /** Number of values per event: the channels, or 1 for single-value events. */
    public int channelCount() {
        return channels.isEmpty() ? 1 : channels.size();
    }

    /**
     * Parses one record.
     *
     * @param recordKey       the record's key (ignored when the topology has a key field)
     * @param value           the record's value bytes
     * @param recordTimestamp used as the event time when the event has none
     */
    public ParsedRecord parse(String recordKey, byte[] value, long recordTimestamp) {
        return parse(recordKey, value, recordTimestamp, plain);
    }

    /** {@link #parse} by the Jackson pass alone (the reference {@link PlainEventReader} is tested against). */
    ParsedRecord parseWithJackson(String recordKey, byte[] value, long recordTimestamp) {
        return parse(recordKey, value, recordTimestamp, null);
    }

    private ParsedRecord parse(String recordKey, byte[] value, long recordTimestamp, PlainEventReader plain) {
        if (value == null) {
            return ParsedRecord.rejected(MISSING_VALUE, "record value is null");
        }
        if (value.length > maxRecordBytes) {
            return ParsedRecord.rejected(OVERSIZED, "record value is " + value.length + " bytes, more than maxRecordBytes "
                    + maxRecordBytes);
        }
        if (keyField == null && (recordKey == null || recordKey.isEmpty())) {
            return ParsedRecord.rejected(MISSING_KEY, recordKey == null ? "record key is null" : "record key is empty");
        }
        EventScan scan = new EventScan(keyField, timestampField, channels, channelIndex);
        long[] plainTimestamp = new long[1];
        int plainRead = plain == null ? -1 : plain.read(value, scan.values, plainTimestamp);
        if (plainRead >= 0) {
            scan.sawValue = scan.seen[0] = true;
            scan.hasTimestamp = plainRead == 1;
            scan.timestamp = plainTimestamp[0];
            return complete(recordKey, recordTimestamp, scan);
        }
        try (JsonParser p = VigilJson.FACTORY.createParser(value)) {
            scan.read(p);
        } catch (IOException e) {
            return ParsedRecord.rejected(NOT_JSON, syntaxDetail(e));
        }
        return scan.problem != null ? scan.problem : complete(recordKey, recordTimestamp, scan);
    }

    /**
     * The key field's value, read with the same rules as {@link #parse}, without validating the rest of the
     * event; null when there is no key field, the value is oversized or not a JSON object, or the field is
     * absent, empty or not a string or number.
     */
    public String extractKey(byte[] value) {
        if (keyField == null || value == null || value.length > maxRecordBytes) {
            return null;
        }
        try (JsonParser p = VigilJson.FACTORY.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                if (name.equals(keyField)) {
                    return EventScan.keyText(p, token);
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private ParsedRecord complete(String recordKey, long recordTimestamp, EventScan scan) {
        String key = keyField == null ? recordKey : scan.key;
        if (key == null) {
            return ParsedRecord.rejected(MISSING_KEY, "key field \"" + keyField + "\" is missing");
        }
        boolean single = channels.isEmpty();
        if (!scan.sawValue) {
            String expected = single ? "\"" + VALUE_FIELD + "\"" : "\"" + VALUES_FIELD + "\" with channels " + channels;
            String got = !scan.sawOtherShape ? "" : single
                    ? "; got \"" + VALUES_FIELD + "\", but the topology has no named channels"
                    : "; got \"" + VALUE_FIELD + "\", but the topology reads named channels";
            return ParsedRecord.rejected(MISSING_VALUE, "event has no " + expected + got);
        }
        if (!single) {
            List<String> missing = new ArrayList<>();
            for (int c = 0; c < channels.size(); c++) {
                if (!scan.seen[c]) {
                    missing.add(channels.get(c));
                }
            }
            if (!missing.isEmpty()) {
                return ParsedRecord.rejected(MISSING_CHANNEL, "\"" + VALUES_FIELD + "\" lacks channel(s) " + missing);
            }
        }
        long timestamp = scan.hasTimestamp ? scan.timestamp : recordTimestamp;
        if (scan.hasTimestamp && timestamp < minEventTimeMs) {
            return ParsedRecord.rejected(TOO_EARLY, tooEarly(timestamp));
        }
        if (maxFutureMs > 0 && recordTimestamp >= 0 && timestamp > recordTimestamp
                && timestamp - recordTimestamp > maxFutureMs) {
            return ParsedRecord.rejected(FUTURE, "event time " + Instant.ofEpochMilli(timestamp)
                    + " is more than maxFutureMs " + maxFutureMs + " ahead of the record timestamp "
                    + Instant.ofEpochMilli(recordTimestamp));
        }
        return ParsedRecord.accepted(key, new Event(timestamp, scan.values));
    }

    /** The detail of an event time before {@code minEventTimeMs}, with the milliseconds it means if it is seconds. */
    private String tooEarly(long timestamp) {
        String detail = "event time " + timestamp + " (" + Instant.ofEpochMilli(timestamp)
                + ") is before minEventTimeMs " + minEventTimeMs + " (" + Instant.ofEpochMilli(minEventTimeMs)
                + ")";
        if (timestamp > 0 && timestamp <= Long.MAX_VALUE / 1000 && timestamp * 1000 >= minEventTimeMs) {
            detail += "; as epoch seconds it would be " + Instant.ofEpochSecond(timestamp)
                    + ": send epoch milliseconds (" + timestamp * 1000 + ") or an ISO-8601 instant";
        }
        return detail;
    }

    private static String syntaxDetail(IOException e) {
        if (e instanceof JsonProcessingException j) {
            String where = j.getLocation() == null ? "" : " (at byte " + j.getLocation().getByteOffset() + ")";
            // Jackson names the (unechoed) source in locations: "[Source: REDACTED (...); line: 1, column: 1]"
            return oneLine(j.getOriginalMessage().replaceAll("\\[Source: [^;\\]]*; ", "[")) + where;
        }
        return oneLine(String.valueOf(e.getMessage()));
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("[\\r\\n\\t]+", " ").trim();
        return flat.length() <= 4 * MAX_ECHO ? flat : flat.substring(0, 4 * MAX_ECHO) + "...";
    }

    /** At most {@link #MAX_ECHO} characters of {@code text}, control characters replaced, for details. */
    static String echo(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ECHO) + 3);
        for (int i = 0; i < text.length() && i < MAX_ECHO; i++) {
            char ch = text.charAt(i);
            out.append(Character.isISOControl(ch) ? ' ' : ch);
        }
        return text.length() > MAX_ECHO ? out.append("...").toString() : out.toString();
    }

}
