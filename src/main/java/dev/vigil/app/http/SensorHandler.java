package dev.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.BadBytesException;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.stream.StoredKeyReader;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /sensors/{key}[/history][?topology=name]}: a key's state or history window, read by interactive
 * query from the topology's stores. The key is one path segment, percent-encoded ({@code /} as {@code %2F});
 * the topology defaults to the first served. Kafka Streams says which instance holds the key's partition
 * ({@link org.apache.kafka.streams.KafkaStreams#queryMetadataForKey}); when it is another one, the request is
 * forwarded to that instance's advertised address ({@code application.server}) and its answer returned as it
 * is. A forwarded request is never forwarded again: if ownership moved in between, the answer is 503 (retry).
 * 404: unknown key or topology; 503: metadata or store not available (starting, restoring, rebalancing);
 * 502: the owning instance did not answer.
 */
final class SensorHandler implements HttpHandler {
    static final String PREFIX = "/sensors/";
    static final String HISTORY = "history";
    /** Set on forwarded requests (value: the forwarding instance). */
    static final String FORWARDED_HEADER = "X-Vigil-Forwarded-By";
    static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);

    private final List<ServedTopology> topologies;
    private final String self;
    private final HostInfo selfHost;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    SensorHandler(List<ServedTopology> topologies, String advertised) {
        this.topologies = List.copyOf(topologies);
        this.self = advertised;
        this.selfHost = HostInfo.buildFromEndpoint(advertised);
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
        ServedTopology t = wanted == null ? topologies.get(0)
                : topologies.stream().filter(s -> s.name().equals(wanted)).findFirst().orElse(null);
        if (t == null) {
            HttpEndpoint.sendJson(exchange, 404, HttpEndpoint.error("unknown topology '" + wanted + "' (served: "
                    + topologies.stream().map(ServedTopology::name).toList() + ")"));
            return;
        }
        String store = history ? t.names().historyStore() : t.names().stateStore();
        KeyQueryMetadata meta;
        try {
            meta = t.streams().queryMetadataForKey(store, key, Serdes.String().serializer());
        } catch (StreamsException | IllegalStateException e) {
            unavailable(exchange, "topology " + t.name() + " is not running: " + e.getMessage());
            return;
        }
        if (meta == null || meta.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            unavailable(exchange, "which instance holds key '" + key + "' is not known yet (starting or rebalancing)");
            return;
        }
        if (!meta.activeHost().equals(selfHost)) {
            String forwardedBy = exchange.getRequestHeaders().getFirst(FORWARDED_HEADER);
            if (forwardedBy != null) {
                unavailable(exchange, "key '" + key + "' is moving between instances (" + forwardedBy + " sent it here, "
                        + "the metadata here says " + meta.activeHost() + ")");
            } else {
                forward(exchange, meta.activeHost(), uri, t);
            }
            return;
        }
        answerLocally(exchange, t, store, key, meta.partition(), history);
    }

    private void answerLocally(HttpExchange exchange, ServedTopology t, String store, String key, int partition,
                               boolean history) throws IOException {
        ReadOnlyKeyValueStore<String, byte[]> view;
        try {
            view = t.streams().store(StoreQueryParameters.fromNameAndType(store,
                    QueryableStoreTypes.<String, byte[]>keyValueStore()).withPartition(partition));
        } catch (InvalidStateStoreException e) {
            unavailable(exchange, "store " + store + " is not queryable here yet: " + e.getMessage());
            return;
        }
        JsonNode body;
        try {
            if (history) {
                HistoryWindow w = StoredKeyReader.history(view, key);
                body = w == null ? null : SensorJson.history(t, key, self, w);
            } else {
                DetectorState s = StoredKeyReader.state(view, key);
                body = s == null ? null : SensorJson.state(t, key, self, s);
            }
        } catch (InvalidStateStoreException e) {
            unavailable(exchange, "store " + store + " closed during the query: " + e.getMessage());
            return;
        } catch (BadBytesException e) {
            HttpEndpoint.sendJson(exchange, 500, HttpEndpoint.error("stored bytes of key '" + key
                    + "' do not decode: " + e.getMessage()));
            return;
        }
        if (body == null) {
            HttpEndpoint.sendJson(exchange, 404, HttpEndpoint.error("unknown key '" + key + "' in topology " + t.name()));
        } else {
            HttpEndpoint.sendJson(exchange, 200, body);
        }
    }

    private void forward(HttpExchange exchange, HostInfo owner, URI uri, ServedTopology t) throws IOException {
        URI target = URI.create("http://" + owner.host() + ":" + owner.port() + uri.getRawPath() + "?topology=" + t.name());
        HttpRequest request = HttpRequest.newBuilder(target).timeout(FORWARD_TIMEOUT)
                .header(FORWARDED_HEADER, self).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            HttpEndpoint.sendJson(exchange, 502, HttpEndpoint.error("instance " + owner + " holding the key did not "
                    + "answer: " + e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(exchange, "interrupted while asking " + owner);
            return;
        }
        HttpEndpoint.send(exchange, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(HttpEndpoint.JSON), response.body());
    }

    private static void unavailable(HttpExchange exchange, String why) throws IOException {
        exchange.getResponseHeaders().set("Retry-After", "1");
        HttpEndpoint.sendJson(exchange, 503, HttpEndpoint.error(why));
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
