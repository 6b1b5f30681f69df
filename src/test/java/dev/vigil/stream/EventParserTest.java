package dev.vigil.stream;

import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.Event;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventParserTest {
    private static final long RECORD_TS = 1_767_225_600_000L;
    private static final EventParser SINGLE = new EventParser(null, "ts", List.of(), 256);
    private static final EventParser MULTI = new EventParser(null, "ts", List.of("temp", "vibration"), 256);
    private static final EventParser KEYED = new EventParser("sensor", "time", List.of(), 256);

    private static ParsedRecord parse(EventParser parser, String json) {
        return parser.parse("k", json.getBytes(StandardCharsets.UTF_8), RECORD_TS);
    }

    private static void assertRejected(RejectReason reason, ParsedRecord parsed) {
        assertFalse(parsed.isAccepted(), () -> "accepted: " + parsed);
        assertEquals(reason, parsed.reason(), parsed::detail);
        assertNotNull(parsed.detail());
        assertFalse(parsed.detail().isBlank() || parsed.detail().contains("\n"), parsed.detail());
        assertNull(parsed.event());
    }

    private static Event accepted(ParsedRecord parsed) {
        assertTrue(parsed.isAccepted(), () -> parsed.reason() + ": " + parsed.detail());
        return parsed.event();
    }

    @Test
    void shouldReadEpochMillisAndIsoInstantsAndFallBackToTheRecordTimestamp() {
        assertEquals(1_767_225_600_123L, accepted(parse(SINGLE, "{\"ts\": 1767225600123, \"value\": 3.2}")).timestamp());
        assertEquals(1_767_225_600_123L, accepted(parse(SINGLE, "{\"ts\": \"2026-01-01T00:00:00.123Z\", \"value\": 3.2}"))
                .timestamp());
        assertEquals(RECORD_TS, accepted(parse(SINGLE, "{\"value\": 3.2}")).timestamp());
        assertEquals(RECORD_TS, accepted(parse(SINGLE, "{\"ts\": null, \"value\": 3.2}")).timestamp());
        assertArrayEquals(new double[] {3.2}, accepted(parse(SINGLE, "{\"value\": 3.2, \"unit\": \"bar\", \"tags\": [1, {}]}"))
                .values());
    }

    @Test
    void shouldRefuseAnEventTimeTooFarAheadOfTheRecordTimestamp() {
        EventParser dayAhead = new EventParser(null, "ts", List.of(), 256, 86_400_000L, 0);
        String atDayLimit = "{\"ts\": " + (RECORD_TS + 86_400_000L) + ", \"value\": 1}";
        String pastDayLimit = "{\"ts\": " + (RECORD_TS + 86_400_001L) + ", \"value\": 1}";
        assertEquals(RECORD_TS + 86_400_000L, accepted(parse(dayAhead, atDayLimit)).timestamp());
        assertRejected(RejectReason.FUTURE, parse(dayAhead, pastDayLimit));
        assertRejected(RejectReason.FUTURE, parse(dayAhead, "{\"ts\": \"2999-01-01T00:00:00Z\", \"value\": 1}"));
        // the past is the allowed-lateness rule's business, not this one's
        assertEquals(0L, accepted(parse(dayAhead, "{\"ts\": 0, \"value\": 1}")).timestamp());
        // no check without a known record timestamp, or with maxFutureMs 0
        assertTrue(dayAhead.parse("k", pastDayLimit.getBytes(StandardCharsets.UTF_8), -1).isAccepted());
        assertTrue(parse(SINGLE, pastDayLimit).isAccepted());
    }

    @Test
    void shouldRefuseAnEventTimeBeforeTheMinimumAndSayWhatItIsAsEpochSeconds() {
        EventParser parser = EventParser.forTopology(StreamFixtures.singleValue());
        long min = TopologyConfig.DEFAULT_MIN_EVENT_TIME_MS;
        String seconds = "{\"ts\": 1767225600, \"value\": 1}";
        ParsedRecord refused = parse(parser, seconds);
        assertRejected(RejectReason.TOO_EARLY, refused);
        assertEquals("event time 1767225600 (1970-01-21T10:53:45.600Z) is before minEventTimeMs 100000000000"
                + " (1973-03-03T09:46:40Z); as epoch seconds it would be 2026-01-01T00:00:00Z: send epoch milliseconds"
                + " (1767225600000) or an ISO-8601 instant", refused.detail());
        assertRejected(RejectReason.TOO_EARLY, parse(parser, "{\"ts\": \"1970-01-02T00:00:00Z\", \"value\": 1}"));
        assertFalse(parse(parser, "{\"ts\": 0, \"value\": 1}").detail().contains("seconds"),
                "0 is no time in seconds either");
        assertEquals(min, accepted(parse(parser, "{\"ts\": " + min + ", \"value\": 1}")).timestamp());
        // the record timestamp is Kafka's, in ms: not checked
        assertTrue(parser.parse("k", "{\"value\": 1}".getBytes(StandardCharsets.UTF_8), 5_000).isAccepted());
        // 0 turns the check off (times since a device's start)
        assertEquals(1_767_225_600L, accepted(parse(SINGLE, seconds)).timestamp());
    }

    @Test
    void shouldReadNumbersToTheSameBitsAsJava() {
        for (double v : new double[] {0.1, -0.0, 1e-300, 4.9e-324, 1.7976931348623157e308, 123456789.123456789, 42}) {
            double read = accepted(parse(SINGLE, "{\"value\": " + v + "}")).values()[0];
            assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(read), Double.toString(v));
        }
        assertEquals(7.0, accepted(parse(SINGLE, "{\"value\": 7}")).values()[0]);
    }

    @Test
    void shouldOrderNamedChannelsLikeTheTopology() {
        Event e = accepted(parse(MULTI, "{\"values\": {\"vibration\": 0.02, \"temp\": 21.5}, \"ts\": 5}"));
        assertArrayEquals(new double[] {21.5, 0.02}, e.values());
        assertEquals(5, e.timestamp());
    }

    @Test
    void shouldClassifyEachKindOfBadEvent() {
        assertRejected(RejectReason.NOT_JSON, parse(SINGLE, "{\"value\": 1"));
        assertRejected(RejectReason.NOT_JSON, parse(SINGLE, ""));
        assertRejected(RejectReason.NOT_JSON, parse(SINGLE, "   "));
        assertRejected(RejectReason.NOT_JSON, parse(SINGLE, "{\"value\": 1} x"));
        assertRejected(RejectReason.NOT_JSON, parse(SINGLE, "{\"value\": 1, \"value\": 2}"));
        assertRejected(RejectReason.NOT_JSON, parse(SINGLE, "{\"value\": \"x\", \"ts\": }"));
        assertRejected(RejectReason.WRONG_TYPE, parse(SINGLE, "{\"value\": \"3.2\"}"));
        assertRejected(RejectReason.WRONG_TYPE, parse(SINGLE, "{\"value\": {\"v\": 1}}"));
        assertRejected(RejectReason.WRONG_TYPE, parse(SINGLE, "{\"ts\": true, \"value\": 1}"));
        assertRejected(RejectReason.WRONG_TYPE, parse(SINGLE, "{\"ts\": \"2026-01-01\", \"value\": 1}"));
        assertRejected(RejectReason.WRONG_TYPE, parse(SINGLE, "{\"ts\": 99999999999999999999999, \"value\": 1}"));
        assertRejected(RejectReason.WRONG_TYPE, parse(SINGLE, "{\"ts\": -9223372036854775808, \"value\": 1}"));
        assertRejected(RejectReason.WRONG_TYPE, parse(SINGLE, "\"just a string\""));
        assertRejected(RejectReason.WRONG_TYPE, parse(MULTI, "{\"values\": 3}"));
        assertRejected(RejectReason.NON_FINITE, parse(SINGLE, "{\"value\": NaN}"));
        assertRejected(RejectReason.NON_FINITE, parse(SINGLE, "{\"value\": -Infinity}"));
        assertRejected(RejectReason.NON_FINITE, parse(SINGLE, "{\"value\": 2e308}"));
        EventParser roomy = new EventParser(null, "ts", List.of(), 4096);
        assertRejected(RejectReason.NON_FINITE, parse(roomy, "{\"value\": 1" + "0".repeat(400) + "}"));
        assertRejected(RejectReason.MISSING_VALUE, parse(SINGLE, "{\"ts\": 1}"));
        assertRejected(RejectReason.MISSING_VALUE, parse(MULTI, "{\"value\": 1}"));
        assertRejected(RejectReason.MISSING_VALUE, parse(MULTI, "{\"values\": null}"));
        assertRejected(RejectReason.MISSING_VALUE, SINGLE.parse("k", null, RECORD_TS));
        assertRejected(RejectReason.UNKNOWN_CHANNEL, parse(MULTI, "{\"values\": {\"temp\": 1, \"vibration\": 2, \"rpm\": 3}}"));
        assertRejected(RejectReason.MISSING_CHANNEL, parse(MULTI, "{\"values\": {\"temp\": 1}}"));
        assertRejected(RejectReason.MISSING_KEY, SINGLE.parse(null, "{\"value\": 1}".getBytes(StandardCharsets.UTF_8), 0));
        assertRejected(RejectReason.MISSING_KEY, SINGLE.parse("", "{\"value\": 1}".getBytes(StandardCharsets.UTF_8), 0));
    }

    @Test
    void shouldRefuseOversizedValuesBeforeParsingThem() {
        byte[] big = new byte[257];
        assertRejected(RejectReason.OVERSIZED, SINGLE.parse("k", big, RECORD_TS));
        assertTrue(SINGLE.parse("k", big, RECORD_TS).detail().contains("257 bytes"));
    }

    @Test
    void shouldReportTheFirstProblemInTheDocumentUnlessTheSyntaxIsBroken() {
        ParsedRecord two = parse(MULTI, "{\"values\": {\"temp\": \"hot\", \"wind\": 1}}");
        assertRejected(RejectReason.WRONG_TYPE, two);
        assertTrue(two.detail().contains("temp"), two.detail());
        assertRejected(RejectReason.NOT_JSON, parse(MULTI, "{\"values\": {\"temp\": \"hot\"}, ]"));
    }

    @Test
    void shouldTakeTheKeyFromTheKeyFieldWhenTheTopologyNamesOne() {
        byte[] json = "{\"sensor\": \"s-9\", \"time\": 12, \"value\": 1}".getBytes(StandardCharsets.UTF_8);
        ParsedRecord parsed = KEYED.parse(null, json, RECORD_TS);
        assertEquals("s-9", parsed.key());
        assertEquals(12, accepted(parsed).timestamp());
        assertEquals("s-9", KEYED.extractKey(json));
        assertEquals("77", KEYED.extractKey("{\"sensor\": 77}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("77", KEYED.parse("other", "{\"sensor\": 77, \"value\": 1}".getBytes(StandardCharsets.UTF_8), 0).key());
        for (String bad : List.of("{\"value\": 1}", "{\"sensor\": \"\", \"value\": 1}", "{\"sensor\": [1], \"value\": 1}",
                "{\"sensor\": null, \"value\": 1}")) {
            assertRejected(RejectReason.MISSING_KEY, KEYED.parse("record-key", bad.getBytes(StandardCharsets.UTF_8), 0));
            assertNull(KEYED.extractKey(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        assertNull(KEYED.extractKey("nonsense".getBytes(StandardCharsets.UTF_8)));
        assertNull(SINGLE.extractKey(json), "no key field: nothing to extract");
    }

    @Test
    void shouldEchoAtMostABoundedPieceOfTheInputInDetails() {
        String longText = "x".repeat(150);
        ParsedRecord parsed = parse(SINGLE, "{\"value\": \"" + longText + "\"}");
        assertRejected(RejectReason.WRONG_TYPE, parsed);
        assertTrue(parsed.detail().length() < 150, parsed.detail());
    }

    @Test
    void shouldNeverThrowOnArbitraryBytes() {
        Random random = new Random(5);
        String alphabet = "{}[]\":,0123456789.eE+-NaInfitylu \\tsvaluestemp";
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            if (random.nextBoolean()) {
                random.nextBytes(bytes);
            } else {
                for (int b = 0; b < bytes.length; b++) {
                    bytes[b] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
                }
            }
            ParsedRecord parsed = MULTI.parse("k", bytes, RECORD_TS);
            assertTrue(parsed.isAccepted() || parsed.detail() != null);
            KEYED.extractKey(bytes);
        }
    }
}
