package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Event;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.score.AlertTransition;
import dev.vigil.testutil.SyntheticSeries;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.vigil.stream.StreamFixtures.RETRAIN;
import static dev.vigil.stream.StreamFixtures.assertBits;
import static dev.vigil.stream.StreamFixtures.assertScoreRecord;
import static dev.vigil.stream.StreamFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultichannelTopologyTest {
    private static final List<String> CHANNELS = List.of("temp", "vibration");
    private static final String KEY = "press-2";
    private static final int EVENTS = 160;
    private static final int SPIKE_AT = 100;

    @TempDir
    Path stateDir;

    private static TopologyConfig topology() {
        return StreamFixtures.topology("machines", null, CHANNELS, 0);
    }

    private static DetectorConfig detector() {
        return VigilTopology.detectorConfig(topology(), StreamFixtures.DETECTOR, StreamFixtures.RETRAIN);
    }

    private static List<Event> events() {
        double[] temp = SyntheticSeries.seasonal(EVENTS, 21, 1.5, 24, 0.1, 31);
        double[] vibration = SyntheticSeries.withSpike(SyntheticSeries.seasonal(EVENTS, 0.02, 0.005, 24, 0.001, 32),
                SPIKE_AT, 0.5);
        return SyntheticSeries.events(temp, vibration);
    }

    @Test
    void shouldScoreNamedChannelsInTheTopologysOrderAndNameThemInAlerts() {
        DetectorConfig detector = detector();
        LstmModel model = StreamFixtures.model(detector, KEY, 1, 13);
        OfflineReference offline = new OfflineReference(detector, RETRAIN.historySize());
        List<DetectorResult> expected = new ArrayList<>();
        try (VigilDriver vigil = new VigilDriver(topology(), detector, RETRAIN, stateDir)) {
            vigil.publish(KEY, ModelCodec.encode(model));
            for (Event e : events()) {
                // the event lists vibration first: values are matched by name, not position
                vigil.send(KEY, StreamFixtures.multi(e.timestamp(), List.of("vibration", "temp"),
                        new double[] {e.values()[1], e.values()[0]}), 0);
                expected.add(offline.step(model, e));
            }
            List<JsonNode> scores = vigil.scoreValues();
            assertEquals(EVENTS, scores.size());
            for (int t = 0; t < EVENTS; t++) {
                assertScoreRecord(KEY, expected.get(t), scores.get(t), CHANNELS);
            }
            assertFalse(scores.get(EVENTS - 1).has("value"));
            List<DetectorResult> transitions = expected.stream().filter(r -> r.transition() != AlertTransition.NONE).toList();
            List<TestRecord<String, byte[]>> alerts = vigil.alerts.readRecordsToList();
            assertFalse(transitions.isEmpty(), "the spike should open an alert");
            assertEquals(transitions.size(), alerts.size());
            for (int i = 0; i < alerts.size(); i++) {
                assertAlert(transitions.get(i), alerts.get(i));
            }
            JsonNode opened = json(alerts.get(0).value());
            assertEquals("opened", opened.get("type").asText());
            assertEquals("vibration", opened.get("channels").get(0).asText());
            assertEquals(alerts.size(), vigil.total(VigilMetrics.ALERTS));
        }
    }

    private static void assertAlert(DetectorResult expected, TestRecord<String, byte[]> record) {
        JsonNode alert = json(record.value());
        assertEquals(KEY, record.key());
        assertEquals(KEY, alert.get("key").asText());
        assertEquals(expected.timestamp(), alert.get("ts").asLong());
        assertEquals(expected.transition() == AlertTransition.OPENED ? "opened" : "closed", alert.get("type").asText());
        assertBits(expected.anomalyScore(), alert.get("score"));
        assertEquals(expected.modelVersion(), alert.get("modelVersion").asLong());
        List<String> names = new ArrayList<>();
        alert.get("channels").forEach(n -> names.add(n.asText()));
        List<String> expectedNames = new ArrayList<>();
        for (int c : expected.topChannels()) {
            expectedNames.add(CHANNELS.get(c));
        }
        assertEquals(expectedNames, names);
    }

    @Test
    void shouldDeadLetterUnknownAndMissingChannels() {
        try (VigilDriver vigil = new VigilDriver(topology(), detector(), RETRAIN, stateDir)) {
            long ts = SyntheticSeries.START;
            vigil.send(KEY, "{\"ts\": " + ts + ", \"values\": {\"temp\": 1, \"vibration\": 2, \"humidity\": 3}}", 0);
            vigil.send(KEY, "{\"ts\": " + ts + ", \"values\": {\"temp\": 1}}", 0);
            vigil.send(KEY, "{\"ts\": " + ts + ", \"values\": {\"temp\": 1, \"vibration\": null}}", 0);
            vigil.send(KEY, "{\"ts\": " + ts + ", \"value\": 1}", 0);
            vigil.send(KEY, "{\"ts\": " + ts + ", \"values\": [1, 2]}", 0);
            vigil.send(KEY, "{\"ts\": " + ts + ", \"values\": {\"temp\": 1, \"vibration\": NaN}}", 0);
            List<String> reasons = vigil.dlq.readRecordsToList().stream()
                    .map(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON)).toList();
            assertEquals(List.of("UNKNOWN_CHANNEL", "MISSING_CHANNEL", "MISSING_CHANNEL", "MISSING_VALUE", "WRONG_TYPE",
                    "NON_FINITE"), reasons);
            vigil.send(KEY, "{\"ts\": " + ts + ", \"values\": {\"vibration\": 2, \"temp\": 1}}", 0);
            JsonNode score = vigil.scoreValues().get(0);
            assertEquals(1.0, score.get("values").get("temp").doubleValue());
            assertEquals(2.0, score.get("values").get("vibration").doubleValue());
            assertTrue(score.get("prediction").isNull());
        }
    }

    @Test
    void shouldScoreACounterChannelByItsIncreaseAsIfTheIncreasesHadBeenSent() {
        List<String> channels = List.of("temp", "energy");
        TopologyConfig plain = StreamFixtures.topology("plant", null, channels, 0);
        TopologyConfig counting = new TopologyConfig(plain.name(), plain.inputTopic(), null, channels,
                plain.timestampField(), 0, plain.maxRecordBytes(), plain.scoresTopic(), plain.alertsTopic(),
                plain.dlqTopic(), plain.modelsTopic(), plain.detector(), plain.maxFutureMs(), plain.minEventTimeMs(),
                List.of("energy"));
        DetectorConfig detector = VigilTopology.detectorConfig(plain, StreamFixtures.DETECTOR, RETRAIN);
        byte[] model = ModelCodec.encode(StreamFixtures.model(detector, KEY, 1, 17));
        double[] temp = SyntheticSeries.seasonal(EVENTS + 1, 21, 1.5, 24, 0.1, 33);
        double[] used = SyntheticSeries.seasonal(EVENTS + 1, 4, 2, 24, 0.5, 34);
        double[] total = new double[EVENTS + 1];
        total[0] = 73_812.5;
        for (int t = 1; t <= EVENTS; t++) {
            total[t] = total[t - 1] + Math.abs(used[t]);
        }
        total[EVENTS / 2] = 2.5;   // the meter rebooted and counted from 0
        for (int t = EVENTS / 2 + 1; t <= EVENTS; t++) {
            total[t] = total[t - 1] + Math.abs(used[t]);
        }
        List<JsonNode> fromTotals;
        List<JsonNode> fromIncreases;
        try (VigilDriver vigil = new VigilDriver(counting, StreamFixtures.DETECTOR, RETRAIN, stateDir.resolve("a"))) {
            vigil.publish(KEY, model);
            for (int t = 0; t <= EVENTS; t++) {
                vigil.send(KEY, StreamFixtures.multi(SyntheticSeries.START + t * SyntheticSeries.STEP_MS, channels,
                        new double[] {temp[t], total[t]}), 0);
            }
            fromTotals = vigil.scoreValues();
            assertTrue(vigil.dlq.readRecordsToList().isEmpty());
        }
        try (VigilDriver vigil = new VigilDriver(plain, StreamFixtures.DETECTOR, RETRAIN, stateDir.resolve("b"))) {
            vigil.publish(KEY, model);
            for (int t = 1; t <= EVENTS; t++) {
                double increase = total[t] >= total[t - 1] ? total[t] - total[t - 1] : total[t];
                vigil.send(KEY, StreamFixtures.multi(SyntheticSeries.START + t * SyntheticSeries.STEP_MS, channels,
                        new double[] {temp[t], increase}), 0);
            }
            fromIncreases = vigil.scoreValues();
        }
        assertEquals(EVENTS + 1, fromTotals.size(), "one score record per accepted event, the first's too");
        JsonNode first = fromTotals.get(0);
        assertTrue(first.get("values").get("energy").isNull(), "no increase yet: " + first);
        assertEquals(temp[0], first.get("values").get("temp").doubleValue());
        assertTrue(first.get("warmup").booleanValue());
        assertTrue(first.get("prediction").isNull());
        assertEquals(2.5, fromTotals.get(EVENTS / 2).get("values").get("energy").doubleValue(), "a restart");
        for (int t = 1; t <= EVENTS; t++) {
            assertEquals(fromIncreases.get(t - 1), fromTotals.get(t), "event " + t);
        }
    }
}
