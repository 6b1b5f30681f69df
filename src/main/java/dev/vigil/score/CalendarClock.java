package dev.vigil.score;

import dev.vigil.BadConfigException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * The clock the calendar is read on ({@link ScoringConfig#timeZone()}): an event time's wall-clock reading in a time
 * zone, as epoch milliseconds of that local date and time read as if it were UTC, so that the time of day, the day of
 * the week and the weekend are the zone's, daylight-saving changes included. The time-of-day profile, the weekend and
 * the network's calendar inputs read it; ages, lateness and everything stored stay in event time. Immutable.
 */
public final class CalendarClock {
    /** The default: the calendar of UTC, where local time is event time. */
    public static final CalendarClock UTC = new CalendarClock(ZoneId.of("UTC"));

    private final ZoneId zone;
    private final ZoneRules rules;
    /** The zone's offset when it never changes (UTC, "+05:30"), else {@link Long#MIN_VALUE}: look it up per time. */
    private final long fixedOffsetMs;

    private CalendarClock(ZoneId zone) {
        this.zone = zone;
        this.rules = zone.getRules();
        this.fixedOffsetMs = rules.isFixedOffset()
                ? 1000L * rules.getOffset(Instant.EPOCH).getTotalSeconds() : Long.MIN_VALUE;
    }

    /**
     * The clock of a time zone ID as {@link ZoneId#of} reads it: a region such as {@code Europe/Berlin}, {@code UTC},
     * or a fixed offset such as {@code +05:30}.
     *
     * @throws BadConfigException naming {@code key} when the ID is not a time zone
     */
    public static CalendarClock of(String key, String id) {
        ZoneId zone;
        try {
            zone = id == null || id.isBlank() ? null : ZoneId.of(id.trim());
        } catch (DateTimeException e) {
            zone = null;
        }
        if (zone == null) {
            throw new BadConfigException(key + " must be a time zone ID such as UTC or Europe/Berlin, got '"
                    + id + "'");
        }
        return zone.equals(UTC.zone) ? UTC : new CalendarClock(zone);
    }

    /** {@code epochMillis}'s wall-clock date and time in the zone, in epoch ms as if that wall clock were UTC. */
    public long local(long epochMillis) {
        if (fixedOffsetMs != Long.MIN_VALUE) {
            return epochMillis + fixedOffsetMs;
        }
        return epochMillis + 1000L * rules.getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds();
    }

    @Override
    public String toString() {
        return zone.getId();
    }
}
