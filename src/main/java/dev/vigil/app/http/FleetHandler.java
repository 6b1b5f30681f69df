package dev.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.BadBytesException;
import dev.vigil.VigilException;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.score.Scorer;
import dev.vigil.stream.StoredKeyReader;
import dev.vigil.stream.VigilJson;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/fleet[?topology=&q=&sort=&order=&offset=&limit=]}: one page of every key the topology's instances
 * hold ({@link FleetQuery}), with {@code total} (keys matching the filter). Each instance reads its own keys from its
 * detector-state stores (then reuses them for a second or more, {@link #localRows}) and asks every other instance
 * for its first rows over HTTP; an instance that does not answer is named in {@code missing} and the page is made of
 * the others. 400: bad parameters; 503: the stores cannot be queried yet.
 */
final class FleetHandler implements HttpHandler {
    static final String PATH = "/api/fleet";
    /** Rows read from the stores are reused for this long at least... */
    private static final long CACHE_MS = 1000;
    /** ...and this many times the read took, so that reading a large fleet costs at most about a tenth of a core. */
    private static final long CACHE_FACTOR = 10;

    private record Cached(long until, List<FleetQuery.Row> rows) {
    }

    private final List<ServedTopology> topologies;
    private final String self;
    private final HostInfo selfHost;
    private final PeerClient peers;
    private final ScoreFeed feed;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    FleetHandler(List<ServedTopology> topologies, String advertised, PeerClient peers, ScoreFeed feed) {
        this.topologies = List.copyOf(topologies);
        this.self = advertised;
        this.selfHost = HostInfo.buildFromEndpoint(advertised);
        this.peers = peers;
        this.feed = feed;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Map<String, String> parameters = SensorHandler.queryParameters(exchange.getRequestURI().getRawQuery());
        ServedTopology t = SensorHandler.topology(topologies, parameters.get("topology"));
        if (t == null) {
            SensorHandler.unknownTopology(topologies, parameters.get("topology")).send(exchange);
            return;
        }
        boolean forwarded = exchange.getRequestHeaders().getFirst(PeerClient.FORWARDED_HEADER) != null;
        FleetQuery query;
        List<FleetQuery.Row> local;
        try {
            query = FleetQuery.of(parameters, forwarded);
            local = localRows(t);
        } catch (VigilException e) {
            SensorAnswer.error(400, e.getMessage()).send(exchange);
            return;
        } catch (StreamsException | IllegalStateException e) {
            SensorAnswer.unavailable("topology " + t.name() + " cannot be queried yet: " + e.getMessage())
                    .send(exchange);
            return;
        }
        ObjectNode out = VigilJson.MAPPER.createObjectNode().put("topology", t.name());
        long total = query.count(local);
        List<List<FleetQuery.Row>> tops = new ArrayList<>();
        tops.add(query.top(local));
        ArrayNode missing = VigilJson.MAPPER.createArrayNode();
        int instances = 1;
        if (!forwarded) {
            for (HostInfo peer : otherInstances(t)) {
                instances++;
                total += askPeer(t, peer, query, tops, missing);
            }
        }
        out.put("total", total).put("offset", query.offset()).put("limit", query.limit()).put("instances", instances);
        ArrayNode rows = out.putArray("rows");
        (forwarded ? tops.get(0) : query.page(tops)).forEach(r -> rows.add(r.toJson()));
        out.set("missing", missing);
        SensorAnswer.json(200, out).send(exchange);
    }

    /** Adds the peer's top rows to {@code tops} and returns its total, or names it in {@code missing} and returns 0. */
    private long askPeer(ServedTopology t, HostInfo peer, FleetQuery query, List<List<FleetQuery.Row>> tops,
                         ArrayNode missing) {
        SensorAnswer answer = peers.get(peer, PATH + "?topology=" + t.name() + "&" + query.peerQuery());
        JsonNode body;
        try {
            body = VigilJson.MAPPER.readTree(answer.body());
        } catch (IOException e) {
            body = null;
        }
        if (answer.status() != 200 || body == null) {
            missing.add(peer.host() + ":" + peer.port() + ": " + (body == null ? answer.status()
                    : body.path("error").asText(String.valueOf(answer.status()))));
            return 0;
        }
        List<FleetQuery.Row> rows = new ArrayList<>();
        body.path("rows").forEach(r -> rows.add(FleetQuery.Row.fromJson(r)));
        tops.add(rows);
        return body.path("total").asLong();
    }

    private List<HostInfo> otherInstances(ServedTopology t) {
        List<HostInfo> hosts = new ArrayList<>();
        for (StreamsMetadata m : t.streams().streamsMetadataForStore(t.names().stateStore())) {
            if (!m.hostInfo().equals(selfHost)) {
                hosts.add(m.hostInfo());
            }
        }
        return hosts;
    }

    /**
     * This instance's keys of {@code t}, read from its stores at most once per {@link #CACHE_MS} or
     * {@link #CACHE_FACTOR} times the last read's duration, whichever is longer (docs/operations.md gives the time
     * 100,000 keys took).
     */
    private List<FleetQuery.Row> localRows(ServedTopology t) {
        long now = System.currentTimeMillis();
        Cached c = cache.get(t.name());
        if (c != null && now < c.until()) {
            return c.rows();
        }
        List<FleetQuery.Row> rows = new ArrayList<>();
        Scorer scorer = new Scorer(t.detector().scoring());
        // states held behind their events (states.replayEvents) first: the store's value of such a key is older
        java.util.Set<String> held = t.held().visit((key, s) -> rows.add(row(t, key, s, scorer)));
        try (KeyValueIterator<String, byte[]> all = StoredKeyReader.store(t.streams(), t.names().stateStore()).all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                if (held.contains(kv.key)) {
                    continue;
                }
                DetectorState s;
                try {
                    s = DetectorStateCodec.decode(kv.value);
                } catch (BadBytesException e) {
                    continue; // restarted at the key's next event
                }
                rows.add(row(t, kv.key, s, scorer));
            }
        }
        long took = System.currentTimeMillis() - now;
        cache.put(t.name(), new Cached(now + Math.max(CACHE_MS, CACHE_FACTOR * took), List.copyOf(rows)));
        return rows;
    }

    private FleetQuery.Row row(ServedTopology t, String key, DetectorState s, Scorer scorer) {
        boolean open = s.score().alertOpen();
        ScoreFeed.AlertRecord latest = open && feed != null ? feed.latestAlert(t.topology().alertsTopic(), key) : null;
        return new FleetQuery.Row(key, s.lastTimestamp() == DetectorState.NO_TIMESTAMP ? Long.MIN_VALUE
                : s.lastTimestamp(), s.lastScore(), open, latest == null ? null : latest.reason(),
                s.score().alertsOpened(), s.modelVersion(), scorer.inWarmup(s.score()), s.events(), self);
    }
}
