package dev.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.stream.VigilJson;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /sensors/{key}[/history][?topology=name]}: a key's state or history window, read by interactive
 * query from the topology's stores. The key is one path segment, percent-encoded ({@code /} as {@code %2F});
 * the topology defaults to the first served.
 * <p>
 * Kafka Streams says which instance holds the key's partition by the Java client's partitioner
 * ({@link org.apache.kafka.streams.KafkaStreams#queryMetadataForKey}), and that is where it is read first. A
 * producer with another partitioner (librdkafka's default) may have put the key elsewhere; on a miss the other
 * partitions are read, this instance's first, then the other instances' ({@link LookupPlan}). Another instance is
 * asked over HTTP at its advertised address ({@code application.server}, {@link PeerClient}) and reads only its
 * own stores: a forwarded request is never forwarded again. A topology with a key field repartitions with Kafka
 * Streams' own (Java) partitioner, so only its direct partition is read.
 * <p>
 * 200: found; 404: unknown topology, or a key found in no partition; 503: metadata or a store not available
 * (starting, restoring, rebalancing); 502: an instance to ask did not answer. When the instance holding the
 * direct partition fails, its answer is returned at once; when another fails and the key is found nowhere else,
 * the first such failure is returned (the key may be there), not 404.
 * <p>
 * {@code DELETE /sensors/{key}[?topology=name]} asks the instance holding the key to forget it, as
 * {@code vigil forget} does: the key is looked up as above, and a request ({@link dev.vigil.stream.ForgetRequests})
 * goes to the partition of the input topic its state was found in, where its events are; the task carries it out
 * in order with them. 202 with the request's topic, partition and offset once the broker has it; with
 * {@code ?wait=S} (up to {@value #MAX_WAIT_SECONDS} s), 200 once the request has been carried out within that time
 * ({@code "carriedOut":true}), else 202; 404, 503 or 502 as for a lookup (nothing sent); 400 for a bad wait; 403
 * when no {@code http.auth.token} is set (an endpoint anyone on the network can reach deletes nothing); 503 when the
 * broker does not acknowledge the request in time.
 */
final class SensorHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SensorHandler.class);
    static final String PREFIX = "/sensors/";
    static final String HISTORY = "history";

    private final List<ServedTopology> topologies;
    private final Map<String, KeyStores> stores = new HashMap<>();
    private final HostInfo selfHost;
    private final PeerClient peers;
    /** Sends the requests to forget a key, or null when deleting is off (no token set). */
    private final ForgetSender forgets;

    /** @param forgets what sends DELETE's requests, or null to refuse DELETE (403) */
    SensorHandler(List<ServedTopology> topologies, String advertised, PeerClient peers, ForgetSender forgets) {
        this.topologies = List.copyOf(topologies);
        this.selfHost = HostInfo.buildFromEndpoint(advertised);
        this.peers = peers;
        this.forgets = forgets;
        topologies.forEach(t -> stores.put(t.name(), new KeyStores(t, advertised)));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String[] segments = uri.getRawPath().substring(PREFIX.length()).split("/", -1);
        boolean history = segments.length == 2 && segments[1].equals(HISTORY);
        if (segments[0].isEmpty() || segments.length > 2 || (segments.length == 2 && !history)) {
            HttpEndpoint.sendJson(exchange, 404, HttpEndpoint.error("expected /sensors/{key} or /sensors/{key}/history"));
            return;
        }
        String key = URLDecoder.decode(segments[0].replace("+", "%2B"), StandardCharsets.UTF_8);
        String wanted = queryParameter(uri.getRawQuery(), "topology");
        ServedTopology t = topology(topologies, wanted);
        if (t == null) {
            unknownTopology(topologies, wanted).send(exchange);
            return;
        }
        Lookup lookup = new Lookup(t, stores.get(t.name()), history ? t.names().historyStore() : t.names().stateStore(),
                key, history);
        if (exchange.getRequestMethod().equals("DELETE")) {
            delete(exchange, lookup, uri.getRawPath(), queryParameter(uri.getRawQuery(), "wait"));
            return;
        }
        String forwardedBy = exchange.getRequestHeaders().getFirst(PeerClient.FORWARDED_HEADER);
        SensorAnswer answer = forwardedBy == null ? lookUp(lookup, uri.getRawPath())
                : readHere(lookup, forwardedBy, exchange.getRequestHeaders().getFirst(PeerClient.PARTITIONS_HEADER));
        answer.send(exchange);
    }

    /** One request's topology, stores, store name and key. */
    private record Lookup(ServedTopology topology, KeyStores stores, String store, String key, boolean history) {
    }

    /** The key wherever it is: the probes of {@link LookupPlan} in order, until one finds it. */
    private SensorAnswer lookUp(Lookup l, String rawPath) {
        KeyQueryMetadata meta;
        Map<HostInfo, Set<Integer>> hosted;
        try {
            meta = l.topology().streams().queryMetadataForKey(l.store(), l.key(), Serdes.String().serializer());
            if (meta == null || meta.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
                return SensorAnswer.unavailable("which instance holds key '" + l.key()
                        + "' is not known yet (starting or rebalancing)");
            }
            hosted = l.stores().hosted(l.store());
        } catch (StreamsException | IllegalStateException e) {
            return notRunning(l.topology(), e);
        }
        Map<HostInfo, Set<Integer>> scanned = l.topology().topology().keyField() == null ? hosted : Map.of();
        List<LookupPlan.Probe> probes = LookupPlan.of(selfHost, meta.partition(), meta.activeHost(), scanned);
        SensorAnswer failed = null;
        for (LookupPlan.Probe probe : probes) {
            SensorAnswer answer = probe.host().equals(selfHost)
                    ? l.stores().read(l.store(), l.key(), l.history(), probe.partitions(),
                            hosted.getOrDefault(selfHost, Set.of()), null)
                    : peers.ask(probe.host(), rawPath, l.topology().name(), probe.partitions());
            if (answer.found()) {
                return answer;
            }
            if (!answer.notHere()) {
                if (probe == probes.get(0)) {
                    return answer;
                }
                failed = failed == null ? answer : failed;
            }
        }
        return failed != null ? failed : l.stores().unknownKey(l.key());
    }

    /**
     * DELETE: the key looked up where it is, then a request to forget it sent to the partition of the input topic its
     * state is in (with a key field, to whichever: the topology re-keys it); with {@code wait} (seconds), the key
     * looked up again until the request has been carried out.
     */
    private void delete(HttpExchange exchange, Lookup l, String rawPath, String waitParameter) throws IOException {
        long waitMs;
        try {
            waitMs = waitMillis(waitParameter);
        } catch (IllegalArgumentException e) {
            HttpEndpoint.sendJson(exchange, 400, HttpEndpoint.error(e.getMessage()));
            return;
        }
        if (l.history()) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            HttpEndpoint.sendJson(exchange, 405, HttpEndpoint.error("DELETE /sensors/{key} forgets a key; its history"
                    + " goes with it"));
            return;
        }
        if (forgets == null) {
            HttpEndpoint.sendJson(exchange, 403, HttpEndpoint.error("DELETE needs http.auth.token set: without a"
                    + " token this endpoint deletes nothing (or use vigil forget)"));
            return;
        }
        SensorAnswer found = lookUp(l, rawPath);
        if (!found.found()) {
            found.send(exchange);
            return;
        }
        JsonNode state = VigilJson.MAPPER.readTree(found.body());
        if (!state.path("partition").isInt()) {
            SensorAnswer.error(502, "instance " + state.path("instance").asText() + " holding key '" + l.key()
                    + "' did not say its partition (an earlier release); use vigil forget --partition").send(exchange);
            return;
        }
        String topic = l.topology().topology().inputTopic();
        Integer partition = l.topology().topology().keyField() == null ? state.get("partition").asInt() : null;
        String by = "DELETE /sensors from " + exchange.getRemoteAddress();
        RecordMetadata sent;
        try {
            sent = forgets.send(topic, partition, l.key(), by);
        } catch (KafkaException e) {
            SensorAnswer.unavailable("the request to forget key '" + l.key() + "' was not sent to " + topic + ": "
                    + e.getMessage()).send(exchange);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            SensorAnswer.unavailable("interrupted while sending the request to forget key '" + l.key() + "'")
                    .send(exchange);
            return;
        }
        LOG.info("topology {}: asked to forget key {} ({}): {}-{}@{}", l.topology().name(), l.key(), by, sent.topic(),
                sent.partition(), sent.offset());
        boolean carriedOut = waitMs > 0 && awaitForgotten(l, rawPath, state, waitMs);
        HttpEndpoint.sendJson(exchange, carriedOut ? 200 : 202, VigilJson.MAPPER.createObjectNode()
                .put("topology", l.topology().name()).put("key", l.key())
                .put("instance", state.path("instance").asText()).put("topic", sent.topic())
                .put("partition", sent.partition()).put("offset", sent.offset()).put("carriedOut", carriedOut));
    }

    /** The longest {@code ?wait=} a DELETE may ask for, in seconds: a waiting request holds a data-lane thread. */
    static final int MAX_WAIT_SECONDS = 30;

    /** {@code ?wait=S} in milliseconds (0 without it). */
    static long waitMillis(String parameter) {
        if (parameter == null) {
            return 0;
        }
        int seconds;
        try {
            seconds = Integer.parseInt(parameter);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
            throw new IllegalArgumentException("wait must be whole seconds from 0 to " + MAX_WAIT_SECONDS + ", got '"
                    + parameter + "'");
        }
        return seconds * 1000L;
    }

    /**
     * Looks the key up every 100 ms for up to {@code waitMs} until its request has been carried out: the key is found
     * nowhere, or its state is a new one ({@link #backAfresh}: it sent again after being forgotten).
     */
    private boolean awaitForgotten(Lookup l, String rawPath, JsonNode before, long waitMs) throws IOException {
        long deadline = System.nanoTime() + waitMs * 1_000_000L;
        while (true) {
            SensorAnswer now = lookUp(l, rawPath);
            if (now.notHere() || now.found() && backAfresh(before, VigilJson.MAPPER.readTree(now.body()))) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Whether lookup answer {@code now} is of a state begun after the one {@code before} described (the key was
     * forgotten and sent again): begun at another first event time, or holding fewer events. A state only ever grows
     * from its first event, so neither holds for the same state however many events it scored meanwhile.
     */
    static boolean backAfresh(JsonNode before, JsonNode now) {
        return now.path("firstTimestamp").asLong() != before.path("firstTimestamp").asLong()
                || now.path("events").asLong() < before.path("events").asLong();
    }

    /** A forwarded request: the key in the partitions it names (or its direct one), read from this instance only. */
    private SensorAnswer readHere(Lookup l, String forwardedBy, String partitionsHeader) {
        List<Integer> partitions;
        Set<Integer> here;
        try {
            partitions = partitionsHeader == null ? List.of(l.topology().streams().queryMetadataForKey(l.store(), l.key(),
                    Serdes.String().serializer()).partition()) : PeerClient.partitions(partitionsHeader);
            here = l.stores().hosted(l.store()).getOrDefault(selfHost, Set.of());
        } catch (IllegalArgumentException e) {
            return SensorAnswer.error(400, e.getMessage());
        } catch (StreamsException | IllegalStateException e) {
            return notRunning(l.topology(), e);
        }
        return l.stores().read(l.store(), l.key(), l.history(), partitions, here, forwardedBy);
    }

    private static SensorAnswer notRunning(ServedTopology t, RuntimeException e) {
        return SensorAnswer.unavailable("topology " + t.name() + " is not running: " + e.getMessage());
    }

    /** Every parameter of a raw query string, decoded (the first value of each name). */
    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> out = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                out.putIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The served topology named {@code wanted}, the first with null, or null when none is so named. */
    static ServedTopology topology(List<ServedTopology> topologies, String wanted) {
        return wanted == null ? topologies.get(0)
                : topologies.stream().filter(s -> s.name().equals(wanted)).findFirst().orElse(null);
    }

    /** The 404 answer for an unknown topology. */
    static SensorAnswer unknownTopology(List<ServedTopology> topologies, String wanted) {
        return SensorAnswer.error(404, "unknown topology '" + wanted + "' (served: "
                + topologies.stream().map(ServedTopology::name).toList() + ")");
    }

    /** The first value of {@code name} in a raw query string, decoded, or null. */
    static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
