package dev.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.stream.VigilJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard feed keeps each key's recent score records and the recent alert records, bounded. */
class ScoreFeedTest {
    private final ScoreFeed feed = ScoreFeed.detached(List.of("scores"), List.of("alerts"));

    private void score(String key, long ts, String value, String prediction, double score, long version) {
        feed.accept("scores", key, bytes("{\"key\":\"" + key + "\",\"ts\":" + ts + "," + value + ",\"prediction\":"
                + prediction + ",\"score\":" + score + ",\"modelVersion\":" + version + "}"));
    }

    private JsonNode series(String key, long since) {
        ObjectNode out = VigilJson.MAPPER.createObjectNode();
        feed.series("scores", key, since, out);
        return out;
    }

    @Test
    void shouldKeepAKeysReadingsPredictionsScoresAndVersionsInOrder() {
        score("pump-1", 1000, "\"value\":1.5", "null", 0, 0);
        score("pump-1", 2000, "\"value\":2.5", "1.5", 0.25, 0);
        score("pump-1", 3000, "\"value\":3.5", "2.5", 0.75, 1);
        JsonNode s = series("pump-1", Long.MIN_VALUE);
        assertTrue(s.get("seen").asBoolean());
        assertEquals("[1000,2000,3000]", s.get("timestamps").toString());
        assertEquals("[1.5,2.5,3.5]", s.get("values").get("value").toString());
        assertEquals("[null,1.5,2.5]", s.get("predictions").get("value").toString());
        assertEquals("[0.0,0.25,0.75]", s.get("scores").toString());
        assertEquals("[0,0,1]", s.get("modelVersions").toString());
        assertEquals("[3000]", series("pump-1", 2000).get("timestamps").toString(), "only what came after since");
        assertFalse(series("pump-2", Long.MIN_VALUE).get("seen").asBoolean());
    }

    @Test
    void shouldKeepEachChannelOfAMultichannelKey() {
        score("turbine-1", 1000, "\"values\":{\"temp\":70,\"vibration\":0.02}",
                "{\"temp\":69,\"vibration\":0.03}", 0.1, 2);
        JsonNode s = series("turbine-1", Long.MIN_VALUE);
        assertEquals("[70.0]", s.get("values").get("temp").toString());
        assertEquals(0.03, s.get("predictions").get("vibration").get(0).asDouble(), 1e-6);
    }

    @Test
    void shouldKeepACounterChannelsFirstReadingAsAGap() {
        score("plant-1", 1000, "\"values\":{\"temp\":21.5,\"energy\":null}", "null", 0, 0);
        score("plant-1", 2000, "\"values\":{\"temp\":21.75,\"energy\":2.5}", "{\"temp\":21.5,\"energy\":2}", 0, 0);
        JsonNode s = series("plant-1", Long.MIN_VALUE);
        assertEquals("[null,2.5]", s.get("values").get("energy").toString());
        assertEquals("[21.5,21.75]", s.get("values").get("temp").toString());
    }

    @Test
    void shouldKeepOnlyTheLastPointsOfAKey() {
        for (int i = 0; i < ScoreFeed.POINTS + 10; i++) {
            score("pump-1", i, "\"value\":" + i, "null", 0, 0);
        }
        JsonNode t = series("pump-1", Long.MIN_VALUE).get("timestamps");
        assertEquals(ScoreFeed.POINTS, t.size());
        assertEquals(10, t.get(0).asLong());
        assertEquals(ScoreFeed.POINTS + 9, t.get(t.size() - 1).asLong());
    }

    @Test
    void shouldDropTheLeastRecentlyUpdatedKeyButNotOneBeingViewed() {
        score("viewed", 1, "\"value\":1", "null", 0, 0);
        series("viewed", Long.MIN_VALUE);
        for (int k = 0; k < ScoreFeed.MAX_KEYS; k++) {
            score("key-" + k, 1, "\"value\":1", "null", 0, 0);
        }
        assertTrue(series("viewed", Long.MIN_VALUE).get("seen").asBoolean(), "pinned while viewed");
        assertFalse(series("key-0", Long.MIN_VALUE).get("seen").asBoolean(), "the oldest unviewed key went");
        assertTrue(series("key-1", Long.MIN_VALUE).get("seen").asBoolean());
    }

    @Test
    void shouldListAlertRecordsNewestFirstAndKeepEachKeysLatest() {
        feed.accept("alerts", "pump-1", bytes("{\"ts\":10,\"type\":\"opened\",\"score\":0.9,\"reason\":\"range\","
                + "\"detail\":\"out of range\",\"channels\":[\"value\"],\"modelVersion\":1}"));
        feed.accept("alerts", "pump-2", bytes("{\"ts\":20,\"type\":\"opened\",\"score\":0.8,"
                + "\"reason\":\"stuck-sensor\","
                + "\"detail\":null,\"channels\":[],\"modelVersion\":0}"));
        feed.accept("alerts", "pump-1", bytes("{\"ts\":30,\"type\":\"closed\",\"score\":0.1,\"reason\":\"calm\","
                + "\"detail\":\"30 calm events\",\"channels\":[],\"modelVersion\":1}"));
        feed.accept("alerts", "pump-1", bytes("not json"));
        assertEquals(List.of(30L, 20L, 10L), times(feed.alerts(null, null, 10)));
        assertEquals(List.of(30L, 10L), times(feed.alerts("alerts", "pump-1", 10)));
        assertEquals("calm", feed.latestAlert("alerts", "pump-1").reason());
        assertEquals("stuck-sensor", feed.latestAlert("alerts", "pump-2").reason());
        assertEquals(List.of("value"), feed.alerts(null, "pump-1", 10).get(1).channels());
    }

    private static List<Long> times(List<ScoreFeed.AlertRecord> alerts) {
        return alerts.stream().map(ScoreFeed.AlertRecord::ts).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
