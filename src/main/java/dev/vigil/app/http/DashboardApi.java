package dev.vigil.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.stream.VigilJson;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's small endpoints besides {@code /api/fleet} ({@link FleetHandler}), answered from this instance
 * (its {@link ScoreFeed} reads every partition):
 * <ul>
 *   <li>{@code GET /api/topologies}: the served topologies: name, channels, alert threshold, topics, and whether
 *       {@code DELETE /sensors/{key}} forgets keys here ({@code forget}: a token is set);</li>
 *   <li>{@code GET /api/series/{key}[?topology=&since=]}: the key's recent score records after event time
 *       {@code since} (epoch ms; all without it): readings, predictions, scores, model versions, and its alert
 *       records, oldest first ({@code seen: false} when the feed holds none for the key);</li>
 *   <li>{@code GET /api/alerts[?topology=&limit=]}: the latest alert records, newest first (default 100, at most
 *       {@value ScoreFeed#ALERTS}), of the topology's alerts topic or of every served one.</li>
 * </ul>
 * The readings of a key's whole history window come from {@code /sensors/{key}/history}.
 */
final class DashboardApi implements HttpHandler {
    static final String PREFIX = "/api/";
    private static final int KEY_ALERTS = 200;

    private final List<ServedTopology> topologies;
    private final ScoreFeed feed;
    /** Whether {@code DELETE /sensors/{key}} forgets keys on this instance (only with a token). */
    private final boolean forgetting;

    DashboardApi(List<ServedTopology> topologies, ScoreFeed feed, boolean forgetting) {
        this.topologies = List.copyOf(topologies);
        this.feed = feed;
        this.forgetting = forgetting;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
        Map<String, String> parameters = SensorHandler.queryParameters(exchange.getRequestURI().getRawQuery());
        String wanted = parameters.get("topology");
        ServedTopology t = SensorHandler.topology(topologies, wanted);
        if (t == null) {
            SensorHandler.unknownTopology(topologies, wanted).send(exchange);
            return;
        }
        SensorAnswer answer;
        try {
            if (path.equals("topologies")) {
                answer = SensorAnswer.json(200, topologies());
            } else if (path.equals("alerts")) {
                int limit = integer(parameters, "limit", 100);
                answer = SensorAnswer.json(200, alerts(wanted == null ? null : t, Math.max(1, Math.min(limit,
                        ScoreFeed.ALERTS))));
            } else if (path.startsWith("series/") && path.indexOf('/', "series/".length()) < 0
                    && path.length() > "series/".length()) {
                String key = URLDecoder.decode(path.substring("series/".length()).replace("+", "%2B"),
                        StandardCharsets.UTF_8);
                long since = parameters.containsKey("since") ? Long.parseLong(parameters.get("since")) : Long.MIN_VALUE;
                answer = SensorAnswer.json(200, series(t, key, since));
            } else {
                answer = SensorAnswer.error(404, "no such resource; try /api/fleet, /api/topologies, /api/alerts,"
                        + " /api/series/{key}");
            }
        } catch (NumberFormatException e) {
            answer = SensorAnswer.error(400, "since and limit must be integers: " + e.getMessage());
        }
        answer.send(exchange);
    }

    private static int integer(Map<String, String> parameters, String name, int orElse) {
        String v = parameters.get(name);
        return v == null ? orElse : Integer.parseInt(v);
    }

    private ArrayNode topologies() {
        ArrayNode out = VigilJson.MAPPER.createArrayNode();
        for (ServedTopology t : topologies) {
            ObjectNode n = out.addObject().put("name", t.name());
            ArrayNode channels = n.putArray("channels");
            t.topology().channelNames().forEach(channels::add);
            n.put("threshold", t.detector().scoring().alertThreshold()).put("scoresTopic", t.topology().scoresTopic())
                    .put("alertsTopic", t.topology().alertsTopic()).put("forget", forgetting);
        }
        return out;
    }

    private ObjectNode series(ServedTopology t, String key, long since) {
        ObjectNode out = VigilJson.MAPPER.createObjectNode().put("topology", t.name()).put("key", key)
                .put("threshold", t.detector().scoring().alertThreshold());
        feed.series(t.topology().scoresTopic(), key, since, out);
        List<ScoreFeed.AlertRecord> alerts = feed.alerts(t.topology().alertsTopic(), key, KEY_ALERTS);
        ArrayNode a = out.putArray("alerts");
        for (int i = alerts.size() - 1; i >= 0; i--) {
            a.add(alert(alerts.get(i)));
        }
        return out;
    }

    private ObjectNode alerts(ServedTopology only, int limit) {
        ObjectNode out = VigilJson.MAPPER.createObjectNode();
        ArrayNode a = out.putArray("alerts");
        for (ScoreFeed.AlertRecord r : feed.alerts(only == null ? null : only.topology().alertsTopic(), null, limit)) {
            ObjectNode n = alert(r);
            ArrayNode names = n.putArray("topologies");
            topologies.stream().filter(t -> t.topology().alertsTopic().equals(r.topic()))
                    .forEach(t -> names.add(t.name()));
            a.add(n);
        }
        return out;
    }

    private static ObjectNode alert(ScoreFeed.AlertRecord r) {
        ObjectNode n = VigilJson.MAPPER.createObjectNode().put("key", r.key()).put("ts", r.ts()).put("type", r.type())
                .put("score", r.score()).put("reason", r.reason()).put("detail", r.detail())
                .put("modelVersion", r.modelVersion());
        ArrayNode channels = n.putArray("channels");
        r.channels().forEach(channels::add);
        return n;
    }
}
