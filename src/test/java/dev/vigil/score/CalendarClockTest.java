package dev.vigil.score;

import dev.vigil.BadConfigException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CalendarClockTest {
    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void shouldReadEventTimeAsItIsInUtc() {
        long t = at("2021-03-28T01:30:00Z");
        assertEquals(t, CalendarClock.UTC.local(t));
        assertSame(CalendarClock.UTC, CalendarClock.of("scoring.timeZone", "UTC"));
        assertSame(CalendarClock.UTC, ScoringConfig.defaults().calendarClock());
    }

    @Test
    void shouldFollowTheZonesDaylightSavingChanges() {
        CalendarClock berlin = CalendarClock.of("scoring.timeZone", "Europe/Berlin");
        // 00:59 UTC on 28 March 2021 is 01:59 winter time; a minute later the clocks read 03:00 summer time
        assertEquals(at("2021-03-28T01:59:00Z"), berlin.local(at("2021-03-28T00:59:00Z")));
        assertEquals(at("2021-03-28T03:00:00Z"), berlin.local(at("2021-03-28T01:00:00Z")));
        // so 15:00 local is 14:00 UTC in winter and 13:00 UTC in summer: the same local time of day
        assertEquals(at("2021-03-01T15:00:00Z"), berlin.local(at("2021-03-01T14:00:00Z")));
        assertEquals(at("2021-04-01T15:00:00Z"), berlin.local(at("2021-04-01T13:00:00Z")));
    }

    @Test
    void shouldShiftByAFixedOffset() {
        CalendarClock india = CalendarClock.of("scoring.timeZone", "+05:30");
        assertEquals(at("2021-01-01T05:30:00Z"), india.local(at("2021-01-01T00:00:00Z")));
        assertEquals(at("2021-07-01T05:30:00Z"), india.local(at("2021-07-01T00:00:00Z")));
    }

    @Test
    void shouldRefuseWhatIsNotATimeZoneNamingTheKey() {
        assertEquals("scoring.timeZone must be a time zone ID such as UTC or Europe/Berlin, got 'Mars/Olympus'",
                assertThrows(BadConfigException.class,
                        () -> CalendarClock.of("scoring.timeZone", "Mars/Olympus")).getMessage());
        assertThrows(BadConfigException.class, () -> CalendarClock.of("scoring.timeZone", " "));
        assertThrows(BadConfigException.class,
                () -> ScoringConfigs.with(ScoringConfig.defaults(), "timeZone", "CET+1"));
    }
}
