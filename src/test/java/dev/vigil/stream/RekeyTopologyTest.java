package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Event;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.vigil.stream.StreamFixtures.DETECTOR;
import static dev.vigil.stream.StreamFixtures.RETRAIN;
import static dev.vigil.stream.StreamFixtures.assertScoreRecord;
import static dev.vigil.stream.StreamFixtures.json;
import static dev.vigil.stream.VigilDriver.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RekeyTopologyTest {
    private static final List<String> SENSORS = List.of("s-17", "s-42");
    private static final int EVENTS = 60;

    @TempDir
    Path stateDir;

    private static TopologyConfig topology() {
        return StreamFixtures.topology("plant", "sensor", List.of(), 0);
    }

    @Test
    void shouldKeyEventsByTheKeyFieldThroughTheRepartitionTopic() {
        LstmModel model = StreamFixtures.model(DETECTOR, "s-42", 2, 17);
        Map<String, OfflineReference> offline = new HashMap<>();
        Map<String, List<DetectorResult>> expected = new HashMap<>();
        try (VigilDriver vigil = new VigilDriver(topology(), DETECTOR, RETRAIN, stateDir)) {
            vigil.publish("s-42", ModelCodec.encode(model));
            for (int t = 0; t < EVENTS; t++) {
                for (int s = 0; s < SENSORS.size(); s++) {
                    String sensor = SENSORS.get(s);
                    Event e = SyntheticSeries.events(SyntheticSeries.seasonal(EVENTS, 3 + s, 1, 10, 0.1, 60 + s)).get(t);
                    // record keys are gateway ids (or absent): the sensor is named in the value
                    String gateway = t % 3 == 0 ? null : "gateway-" + (t % 2);
                    vigil.send(gateway, "{\"sensor\": \"" + sensor + "\", \"ts\": " + e.timestamp() + ", \"value\": "
                            + e.values()[0] + "}", 0);
                    expected.computeIfAbsent(sensor, k -> new ArrayList<>())
                            .add(offline.computeIfAbsent(sensor, k -> new OfflineReference(DETECTOR, RETRAIN.historySize()))
                                    .step(sensor.equals("s-42") ? model : null, e));
                }
            }
            Map<String, List<JsonNode>> byKey = new HashMap<>();
            for (TestRecord<String, byte[]> r : vigil.scoreRecords()) {
                byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(json(r.value()));
            }
            assertEquals(SENSORS.size(), byKey.size());
            for (String sensor : SENSORS) {
                for (int t = 0; t < EVENTS; t++) {
                    assertScoreRecord(sensor, expected.get(sensor).get(t), byKey.get(sensor).get(t), List.of());
                }
            }
            assertEquals(2, byKey.get("s-42").get(EVENTS - 1).get("modelVersion").asLong());
        }
    }

    @Test
    void shouldAcceptNumericKeyFields() {
        try (VigilDriver vigil = new VigilDriver(topology(), DETECTOR, RETRAIN, stateDir)) {
            vigil.send("gw", "{\"sensor\": 1042, \"value\": 1.5}", SyntheticSeries.START);
            assertEquals("1042", vigil.scoreRecords().get(0).key());
        }
    }

    @Test
    void shouldDeadLetterRecordsWithoutAUsableKeyFieldWithTheirOriginalKeyAndInputCoordinates() {
        try (VigilDriver vigil = new VigilDriver(topology(), DETECTOR, RETRAIN, stateDir)) {
            vigil.send("gw-1", StreamFixtures.single(SyntheticSeries.START, 1.0), 0);
            vigil.send("gw-2", "{\"sensor\": \"\", \"value\": 1.0}", 0);
            vigil.send("gw-3", "{\"sensor\": {\"id\": 3}, \"value\": 1.0}", 0);
            RecordHeaders spoofed = new RecordHeaders();
            spoofed.add(RecordOrigin.TOPIC, utf8("elsewhere"));
            long notJson = vigil.send(utf8("gw-4"), utf8("{\"sensor\": \"s-1\", "), 0, spoofed);
            vigil.send(null, "{\"sensor\": \"s-1\", \"value\": \"high\"}", 0);
            List<TestRecord<byte[], byte[]>> dead = vigil.dlq.readRecordsToList();
            List<String> reasons = dead.stream().map(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON)).toList();
            assertEquals(List.of("MISSING_KEY", "MISSING_KEY", "MISSING_KEY", "NOT_JSON", "WRONG_TYPE"), reasons);
            for (int i = 0; i < dead.size(); i++) {
                TestRecord<byte[], byte[]> r = dead.get(i);
                assertEquals("sensor-events", DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE_TOPIC));
                assertEquals(Integer.toString(i), DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE_OFFSET));
                assertNull(r.headers().lastHeader(RecordOrigin.TOPIC));
                assertNull(r.headers().lastHeader(RecordOrigin.KEY));
            }
            assertArrayEquals(utf8("gw-1"), dead.get(0).key());
            assertEquals(3, notJson);
            assertArrayEquals(utf8("gw-4"), dead.get(3).key());
            assertNull(dead.get(4).key());
            assertEquals(0, vigil.scoreRecords().size());
        }
    }
}
