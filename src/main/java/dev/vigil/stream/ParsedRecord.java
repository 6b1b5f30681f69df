package dev.vigil.stream;

import dev.vigil.detect.Event;

/**
 * What {@link EventParser} made of one record: either a key and an {@link Event}, or a rejection with a reason
 * and a one-line detail. Immutable.
 *
 * @param key    the sensor key (null when rejected)
 * @param event  the reading, values ordered like the topology's channels (null when rejected)
 * @param reason why the record is refused (null when accepted)
 * @param detail one line saying what was wrong, for the {@code vigil.dlq.detail} header (null when accepted)
 */
public record ParsedRecord(String key, Event event, RejectReason reason, String detail) {

    public static ParsedRecord accepted(String key, Event event) {
        return new ParsedRecord(key, event, null, null);
    }

    public static ParsedRecord rejected(RejectReason reason, String detail) {
        return new ParsedRecord(null, null, reason, detail);
    }

    public boolean isAccepted() {
        return reason == null;
    }
}
