package dev.vigil.app.http;

import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Asks another instance for a key in some of its partitions: the same {@code /sensors} path, marked as forwarded
 * ({@value #FORWARDED_HEADER}: this instance) and naming the partitions to read ({@value #PARTITIONS_HEADER}). The
 * receiving instance reads only its own stores and never forwards again, so a lookup makes at most one hop per
 * instance and cannot loop. Thread-safe.
 */
final class PeerClient {
    /** Set on forwarded requests (value: the forwarding instance); such a request is answered from local stores. */
    static final String FORWARDED_HEADER = "X-Vigil-Forwarded-By";
    /**
     * The partitions a forwarded request reads, in order, comma-separated. Absent (a request from an instance that
     * predates it): the key's partition by the Java client's partitioner.
     */
    static final String PARTITIONS_HEADER = "X-Vigil-Partitions";
    static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);

    private final String self;
    /** The bearer token peers require ({@code http.auth.token}, the same on every instance), or null. */
    private final String authToken;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param self      this instance's advertised {@code host:port}
     * @param authToken the token sent as {@code Authorization: Bearer} with every request, or null for none
     */
    PeerClient(String self, String authToken) {
        this.self = self;
        this.authToken = authToken;
    }

    /**
     * The answer of {@code peer} for {@code rawPath} (a {@code /sensors/...} path as received) in {@code topology},
     * read from {@code partitions}: its status and body as they are; 502 when it does not answer.
     */
    SensorAnswer ask(HostInfo peer, String rawPath, String topology, List<Integer> partitions) {
        URI target = URI.create("http://" + peer.host() + ":" + peer.port() + rawPath + "?topology=" + topology);
        HttpRequest request = forwarded(target)
                .header(PARTITIONS_HEADER, partitions.stream().map(String::valueOf).collect(Collectors.joining(",")))
                .build();
        return send(peer, request, "holding partitions " + partitions);
    }

    /** The answer of {@code peer} for {@code pathAndQuery} (raw), marked as forwarded; 502 when it does not answer. */
    SensorAnswer get(HostInfo peer, String pathAndQuery) {
        URI target = URI.create("http://" + peer.host() + ":" + peer.port() + pathAndQuery);
        return send(peer, forwarded(target).build(), "");
    }

    /** A GET of {@code target} marked as forwarded by this instance, with the token when one is set. */
    private HttpRequest.Builder forwarded(URI target) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(FORWARD_TIMEOUT)
                .header(FORWARDED_HEADER, self).GET();
        return authToken == null ? builder : builder.header("Authorization", "Bearer " + authToken);
    }

    private SensorAnswer send(HostInfo peer, HttpRequest request, String holding) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new SensorAnswer(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(HttpEndpoint.JSON), response.body());
        } catch (IOException e) {
            return SensorAnswer.error(502, "instance " + peer + (holding.isEmpty() ? "" : " " + holding)
                    + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SensorAnswer.unavailable("interrupted while asking " + peer);
        }
    }

    /**
     * The partitions of a {@value #PARTITIONS_HEADER} value.
     *
     * @throws IllegalArgumentException when it is not a comma-separated list of partition numbers
     */
    static List<Integer> partitions(String header) {
        List<Integer> partitions = new ArrayList<>();
        for (String p : header.split(",", -1)) {
            try {
                partitions.add(Integer.parseInt(p.strip()));
            } catch (NumberFormatException e) {
                partitions.clear();
                break;
            }
        }
        if (partitions.isEmpty() || partitions.stream().anyMatch(p -> p < 0)) {
            throw new IllegalArgumentException(PARTITIONS_HEADER + " must list partition numbers, e.g. 0,3; got '"
                    + header + "'");
        }
        return partitions;
    }
}
