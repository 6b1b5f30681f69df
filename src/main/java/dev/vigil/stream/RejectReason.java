package dev.vigil.stream;

import java.util.Locale;

/**
 * Why a record went to the dead-letter topic; the name is written to the {@code vigil.dlq.reason} header and
 * names the metric that counts it ({@link #metricName()}).
 */
public enum RejectReason {
    /** The value is not parseable JSON (syntax error, trailing content, repeated field, empty bytes). */
    NOT_JSON,
    /** The value is larger than the topology's {@code maxRecordBytes}; checked before parsing. */
    OVERSIZED,
    /**
     * A field has the wrong JSON type: the event is not an object, {@code value} or a channel is not a number,
     * {@code values} is not an object, the timestamp is neither an ISO-8601 instant string nor integer epoch
     * millis (or is out of range).
     */
    WRONG_TYPE,
    /** A reading is NaN or ±Infinity, written as such or a number too large for a double. */
    NON_FINITE,
    /**
     * No reading: the record value is null (and the record is no {@link ForgetRequests request} to forget its key), or
     * {@code value} (single-value) / {@code values} (named channels) is missing or null.
     */
    MISSING_VALUE,
    /** {@code values} names a channel the topology does not list. */
    UNKNOWN_CHANNEL,
    /** {@code values} lacks one of the topology's channels (or holds null for it). */
    MISSING_CHANNEL,
    /** No sensor key: null or empty record key, or the topology's key field is absent, empty, or not a string or number. */
    MISSING_KEY,
    /** The event time is too far behind the key's latest event for the allowed lateness. */
    LATE,
    /** The event time lies further ahead of the record's timestamp than the topology's {@code maxFutureMs}. */
    FUTURE,
    /**
     * The event's own time (its timestamp field) lies before the topology's {@code minEventTimeMs}: most often epoch
     * seconds sent as milliseconds.
     */
    TOO_EARLY,
    /** The detector refused the event for another reason (named in the detail). */
    REFUSED,
    /** The record's key or value could not be deserialized at the source (e.g. a key that is not UTF-8). */
    UNDESERIALIZABLE;

    /** {@code "dlq-not-json"} etc.: the operation name of the Streams metric counting these records. */
    public String metricName() {
        return "dlq-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
