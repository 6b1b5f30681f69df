package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.detect.DetectorResult;
import dev.vigil.score.AlertReason;
import dev.vigil.score.AlertTransition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vigil.stream.StreamFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputRecordsTest {
    private static DetectorResult result(double[] values, double[] prediction, double[] residual, AlertTransition t,
                                         int[] top) {
        return new DetectorResult(1_767_225_600_000L, values, prediction, residual, 0.25, 0.125, 0.0625, 0.75, false, 3, true,
                t, t == AlertTransition.OPENED, top, false,
                t == AlertTransition.OPENED ? AlertReason.RANGE : t == AlertTransition.CLOSED ? AlertReason.CALM : null,
                t == AlertTransition.NONE ? null : "why", -1, null);
    }

    @Test
    void shouldWriteASingleValueScoreRecordWithEveryField() {
        DetectorResult r = result(new double[] {3.2}, new double[] {3.1}, new double[] {0.1}, AlertTransition.NONE, new int[0]);
        String text = new String(new ScoreRecordWriter(List.of()).write("pump-7", r));
        assertEquals("{\"key\":\"pump-7\",\"ts\":1767225600000,\"value\":3.2,\"prediction\":3.1,\"residual\":0.1,"
                + "\"rawScore\":0.25,\"likelihoodScore\":0.125,\"patternScore\":0.0625,\"score\":0.75,\"warmup\":false,\"modelVersion\":3,"
                + "\"alertOpen\":false,\"outsideRange\":true,\"stateReset\":false}", text);
    }

    @Test
    void shouldWriteNamedChannelsAsObjectsAndAFirstEventWithoutPrediction() {
        DetectorResult r = result(new double[] {21.5, 0.02}, null, null, AlertTransition.NONE, new int[0]);
        JsonNode score = json(new ScoreRecordWriter(List.of("temp", "vibration")).write("press-2", r));
        assertEquals(21.5, score.get("values").get("temp").doubleValue());
        assertEquals(0.02, score.get("values").get("vibration").doubleValue());
        assertEquals(true, score.get("prediction").isNull());
        assertEquals(true, score.get("residual").isNull());
        assertEquals(false, score.has("value"));
    }

    @Test
    void shouldWriteAlertRecordsNamingTheChannelsMostFirst() {
        DetectorResult opened = result(new double[] {1, 2}, new double[] {1, 1}, new double[] {0, 1},
                AlertTransition.OPENED, new int[] {1, 0});
        String text = new String(new AlertRecordWriter(List.of("temp", "vibration")).write("press-2", opened));
        assertEquals("{\"key\":\"press-2\",\"ts\":1767225600000,\"type\":\"opened\",\"score\":0.75,"
                + "\"reason\":\"range\",\"detail\":\"why\",\"channels\":[\"vibration\",\"temp\"],\"modelVersion\":3}", text);
        DetectorResult closed = result(new double[] {1}, new double[] {1}, new double[] {0}, AlertTransition.CLOSED,
                new int[] {0});
        JsonNode alert = json(new AlertRecordWriter(List.of()).write("pump-7", closed));
        assertEquals("closed", alert.get("type").asText());
        assertEquals("value", alert.get("channels").get(0).asText());
        assertThrows(IllegalArgumentException.class, () -> new AlertRecordWriter(List.of())
                .write("k", result(new double[] {1}, null, null, AlertTransition.NONE, new int[0])));
    }

    @Test
    void shouldNameTheChannelAMultichannelDetailIsAbout() {
        AlertRecordWriter writer = new AlertRecordWriter(List.of("temp", "vibration"));
        assertEquals("vibration: a reading of 92.4 outside the range of the 8640 readings so far (61.2 to 80.05)",
                writer.named("a reading of 92.4 outside the range of the 8640 readings so far (61.2 to 80.05)", 1));
        assertEquals("temp: the recent level 4.2 below usual",
                writer.named("the recent level 4.2 below usual", 0));
        assertEquals("channel 7: beyond the channels", writer.named("beyond the channels", 7));
        assertEquals("a reading of 3 outside the range of the 9 readings so far (1 to 2)",
                writer.named("a reading of 3 outside the range of the 9 readings so far (1 to 2)", -1));
        assertEquals(null, writer.named(null, -1));
        // through the record, from a real detector's multichannel range alert
        dev.vigil.detect.Detector detector = new dev.vigil.detect.Detector(dev.vigil.detect.DetectorConfig.defaults()
                .withChannels(2));
        dev.vigil.detect.DetectorState state = detector.newState();
        DetectorResult opened = null;
        for (int t = 0; t < 400 && opened == null; t++) {
            double[] x = {20 + Math.sin(t / 5.0), t == 399 ? 50 : 1 + 0.1 * Math.cos(t / 3.0)};
            long ts = 1_767_225_600_000L + 60_000L * t;
            DetectorResult r = detector.step(null, state, new dev.vigil.detect.Event(ts, x));
            if (r.transition() == AlertTransition.OPENED) {
                opened = r;
            }
        }
        assertEquals(AlertReason.RANGE, opened.alertReason());
        assertEquals(1, opened.alertDetailChannel(), "the channel that left its range");
        assertTrue(opened.alertDetail().startsWith("a reading of 50 outside the range of the 399 readings so far ("),
                opened.alertDetail());
        assertTrue(json(writer.write("press-2", opened)).get("detail").asText()
                .startsWith("vibration: a reading of 50 outside the range of the 399 readings so far ("));
    }
}
