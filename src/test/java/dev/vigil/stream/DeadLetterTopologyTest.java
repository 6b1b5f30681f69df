package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Event;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.vigil.stream.StreamFixtures.DETECTOR;
import static dev.vigil.stream.StreamFixtures.MAX_RECORD_BYTES;
import static dev.vigil.stream.StreamFixtures.RETRAIN;
import static dev.vigil.stream.VigilDriver.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterTopologyTest {
    private static final String KEY = "valve-3";
    private static final int GOOD = 30;

    @TempDir
    Path stateDir;

    /** Record timestamp of the bad records. */
    private static final long BAD_RECORD_TS = 1_767_300_000_000L;

    /** A bad input record and the reason it must be refused with. */
    private record Bad(RejectReason reason, byte[] key, byte[] value) {
        static Bad of(RejectReason reason, String value) {
            return new Bad(reason, utf8(KEY), utf8(value));
        }
    }

    private static List<Bad> badRecords(long lastTs) {
        long next = lastTs + SyntheticSeries.STEP_MS;
        List<Bad> bad = new ArrayList<>(List.of(
                Bad.of(RejectReason.NOT_JSON, "{\"ts\": " + next + ", \"value\": 1.0"),
                Bad.of(RejectReason.NOT_JSON, "not json at all"),
                Bad.of(RejectReason.NOT_JSON, ""),
                Bad.of(RejectReason.NOT_JSON, "{\"value\": 1.0} {\"value\": 2.0}"),
                Bad.of(RejectReason.NOT_JSON, "{\"value\": 1.0, \"value\": 2.0}"),
                Bad.of(RejectReason.OVERSIZED, "{\"value\": 1.0, \"pad\": \"" + "x".repeat(MAX_RECORD_BYTES) + "\"}"),
                Bad.of(RejectReason.WRONG_TYPE, "{\"ts\": " + next + ", \"value\": \"3.2\"}"),
                Bad.of(RejectReason.WRONG_TYPE, "{\"ts\": " + next + ", \"value\": true}"),
                Bad.of(RejectReason.WRONG_TYPE, "{\"ts\": " + next + ", \"value\": [1.0]}"),
                Bad.of(RejectReason.WRONG_TYPE, "{\"ts\": \"yesterday\", \"value\": 1.0}"),
                Bad.of(RejectReason.WRONG_TYPE, "{\"ts\": 1.767e12, \"value\": 1.0}"),
                Bad.of(RejectReason.WRONG_TYPE, "[1.0, 2.0]"),
                Bad.of(RejectReason.NON_FINITE, "{\"ts\": " + next + ", \"value\": NaN}"),
                Bad.of(RejectReason.NON_FINITE, "{\"ts\": " + next + ", \"value\": Infinity}"),
                Bad.of(RejectReason.NON_FINITE, "{\"ts\": " + next + ", \"value\": -Infinity}"),
                Bad.of(RejectReason.NON_FINITE, "{\"ts\": " + next + ", \"value\": 1e400}"),
                Bad.of(RejectReason.MISSING_VALUE, "{\"ts\": " + next + "}"),
                Bad.of(RejectReason.MISSING_VALUE, "{\"ts\": " + next + ", \"value\": null}"),
                Bad.of(RejectReason.MISSING_VALUE, "{\"ts\": " + next + ", \"values\": {\"temp\": 1.0}}"),
                new Bad(RejectReason.MISSING_VALUE, utf8(KEY), null),
                new Bad(RejectReason.MISSING_KEY, null, utf8(StreamFixtures.single(next, 1.0))),
                new Bad(RejectReason.MISSING_KEY, new byte[0], utf8(StreamFixtures.single(next, 1.0))),
                Bad.of(RejectReason.LATE, StreamFixtures.single(lastTs, 1.0)),
                Bad.of(RejectReason.LATE, StreamFixtures.single(lastTs - 1, 1.0)),
                // sent with record timestamp BAD_RECORD_TS: a day and a millisecond ahead of it
                Bad.of(RejectReason.FUTURE, StreamFixtures.single(BAD_RECORD_TS + 86_400_001L, 1.0)),
                Bad.of(RejectReason.FUTURE, "{\"ts\": \"2999-01-01T00:00:00Z\", \"value\": 1.0}"),
                // the next event's time in epoch seconds: it would read as January 1970
                Bad.of(RejectReason.TOO_EARLY, StreamFixtures.single(next / 1000, 1.0)),
                Bad.of(RejectReason.TOO_EARLY, "{\"ts\": \"1970-01-02T00:00:00Z\", \"value\": 1.0}")));
        return bad;
    }

    @Test
    void shouldSendEveryBadRecordToTheDeadLetterTopicWithItsReasonOriginalBytesAndSource() {
        List<Event> events = SyntheticSeries.events(SyntheticSeries.seasonal(GOOD + 1, 5, 1, 12, 0.1, 9));
        TopologyConfig topology = StreamFixtures.withMaxFutureMs(StreamFixtures.singleValue(),
                TopologyConfig.DEFAULT_MAX_FUTURE_MS);
        try (VigilDriver vigil = new VigilDriver(topology, DETECTOR, RETRAIN, stateDir)) {
            for (Event e : events.subList(0, GOOD)) {
                vigil.send(KEY, StreamFixtures.single(e.timestamp(), e.values()[0]), e.timestamp());
            }
            assertEquals(GOOD, vigil.scoreRecords().size());
            byte[] state = vigil.storedState(KEY);
            byte[] history = vigil.history(KEY);
            List<Bad> bad = badRecords(events.get(GOOD - 1).timestamp());
            for (Bad b : bad) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("trace-id", utf8("abc-123"));
                headers.add(DeadLetterHeaders.REASON, utf8("stale header from an earlier pass"));
                long offset = vigil.send(b.key(), b.value(), BAD_RECORD_TS, headers);
                List<TestRecord<byte[], byte[]>> dead = vigil.dlq.readRecordsToList();
                assertEquals(1, dead.size(), b.reason() + ": " + Arrays.toString(b.value()));
                assertDeadLetter(dead.get(0), b, offset);
                assertTrue(vigil.scores.isEmpty(), b.reason() + " produced a score");
                assertArrayEquals(state, vigil.storedState(KEY), b.reason() + " changed the state");
                assertArrayEquals(history, vigil.history(KEY), b.reason() + " changed the history");
            }
            Event last = events.get(GOOD);
            vigil.send(KEY, StreamFixtures.single(last.timestamp(), last.values()[0]), last.timestamp());
            assertEquals(1, vigil.scoreRecords().size(), "good records still flow after bad ones");
            for (RejectReason reason : List.of(RejectReason.NOT_JSON, RejectReason.NON_FINITE, RejectReason.LATE,
                    RejectReason.FUTURE, RejectReason.TOO_EARLY, RejectReason.MISSING_KEY)) {
                assertEquals(bad.stream().filter(b -> b.reason() == reason).count(), vigil.total(reason.metricName()),
                        reason.metricName());
            }
        }
    }

    private static void assertDeadLetter(TestRecord<byte[], byte[]> dead, Bad b, long offset) {
        String what = b.reason().name();
        assertArrayEquals(b.key(), dead.key(), what + " key");
        assertArrayEquals(b.value(), dead.value(), what + " value");
        assertEquals(BAD_RECORD_TS, dead.timestamp(), what + " timestamp");
        assertEquals(b.reason().name(), DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.REASON));
        assertEquals(1, count(dead, DeadLetterHeaders.REASON), what + ": one reason header");
        String detail = DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.DETAIL);
        assertNotNull(detail, what);
        assertFalse(detail.isBlank() || detail.contains("\n"), what + " detail: " + detail);
        assertEquals("sensor-events", DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC), what);
        assertEquals("0", DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.SOURCE_PARTITION), what);
        assertEquals(Long.toString(offset), DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET), what);
        assertEquals("abc-123", DeadLetterHeaders.text(dead.headers(), "trace-id"), what + ": original headers kept");
        assertNull(dead.headers().lastHeader(RecordOrigin.KEY), what);
    }

    private static int count(TestRecord<byte[], byte[]> record, String header) {
        int n = 0;
        for (var h : record.headers().headers(header)) {
            n++;
        }
        return n;
    }

    @Test
    void shouldSendRecordsWhoseKeyIsNotUtf8ToTheDeadLetterTopicThroughTheDeserializationHandler() {
        // TopologyTestDriver drops a dead letter produced by the deserialization handler under exactly-once (it
        // clears the mock producer's open transaction before the task commits), so this runs at-least-once; the
        // handler is the same under both guarantees.
        Map<String, Object> atLeastOnce = Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir, atLeastOnce)) {
            Bad bad = new Bad(RejectReason.UNDESERIALIZABLE, new byte[] {(byte) 0xC3, (byte) 0x28},
                    utf8(StreamFixtures.single(SyntheticSeries.START, 1.0)));
            RecordHeaders headers = new RecordHeaders();
            headers.add("trace-id", utf8("abc-123"));
            long offset = vigil.send(bad.key(), bad.value(), BAD_RECORD_TS, headers);
            assertDeadLetter(vigil.dlq.readRecord(), bad, offset);
            assertTrue(vigil.scores.isEmpty());
            vigil.send(KEY, StreamFixtures.single(SyntheticSeries.START, 1.0), SyntheticSeries.START);
            assertEquals(1, vigil.scoreRecords().size(), "good records still flow after an undeserializable one");
        }
    }

    @Test
    void shouldScoreEventsWithinTheAllowedLatenessAndDeadLetterOlderOnes() {
        long lateness = 2 * SyntheticSeries.STEP_MS;
        TopologyConfig topology = StreamFixtures.topology("sensors", null, List.of(), lateness);
        DetectorConfig detector = VigilTopology.detectorConfig(topology, DETECTOR, StreamFixtures.RETRAIN);
        OfflineReference offline = new OfflineReference(detector, RETRAIN.historySize());
        List<Event> events = new ArrayList<>(SyntheticSeries.events(SyntheticSeries.seasonal(40, 5, 1, 12, 0.1, 9)));
        long last = events.get(events.size() - 1).timestamp();
        events.add(new Event(last - lateness, new double[] {5.5}));
        events.add(new Event(last - lateness - 1, new double[] {5.5}));
        List<DetectorResult> expected = new ArrayList<>();
        try (VigilDriver vigil = new VigilDriver(topology, detector, RETRAIN, stateDir)) {
            for (Event e : events) {
                vigil.send(KEY, StreamFixtures.single(e.timestamp(), e.values()[0]), e.timestamp());
                expected.add(offline.step(null, e));
            }
            List<JsonNode> scores = vigil.scoreValues();
            assertEquals(events.size() - 1, scores.size());
            for (int t = 0; t < scores.size(); t++) {
                StreamFixtures.assertScoreRecord(KEY, expected.get(t), scores.get(t), List.of());
            }
            assertFalse(expected.get(events.size() - 1).accepted());
            TestRecord<byte[], byte[]> dead = vigil.dlq.readRecord();
            assertEquals("LATE", DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.REASON));
            assertTrue(vigil.dlq.isEmpty());
        }
    }

    @Test
    void shouldExplainTheProblemInTheDetailHeader() {
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), DETECTOR, RETRAIN, stateDir)) {
            vigil.send(KEY, "{\"ts\": \"yesterday\", \"value\": 1.0}", 0);
            String detail = DeadLetterHeaders.text(vigil.dlq.readRecord().headers(), DeadLetterHeaders.DETAIL);
            assertTrue(detail.contains("\"ts\"") && detail.contains("yesterday"), detail);
            vigil.send(KEY, "{\"value\": Infinity}", 0);
            detail = new String(vigil.dlq.readRecord().headers().lastHeader(DeadLetterHeaders.DETAIL).value(),
                    StandardCharsets.UTF_8);
            assertTrue(detail.contains("Infinity"), detail);
        }
    }
}
