package dev.vigil.app.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.vigil.stream.VigilJson;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.util.List;

/**
 * {@code /health} and {@code /ready}: the states of the Streams applications, as
 * {@code {"status": "UP", "topologies": {"sensors": "RUNNING"}}}. Liveness fails (503, status DOWN) when an
 * application is in ERROR or PENDING_ERROR: it will not recover without a restart. Readiness holds (200, READY)
 * only while every application is RUNNING (stores restored, partitions assigned) and the cluster answers the
 * {@link ClusterProbe}; otherwise it is 503, NOT_READY, with a {@code reason}: during startup, restoration and
 * rebalances, and while the cluster is unreachable (Kafka Streams stays RUNNING through a broker outage, its
 * threads waiting). Liveness holds through an outage: a restart would not bring the cluster back. While the service
 * waits for the cluster, before the applications exist, {@link #starting} answers both with the reason.
 */
final class StatusHandler {
    private final List<ServedTopology> topologies;
    private final ClusterProbe cluster;

    StatusHandler(List<ServedTopology> topologies, ClusterProbe cluster) {
        this.topologies = List.copyOf(topologies);
        this.cluster = cluster;
    }

    void health(HttpExchange exchange) throws IOException {
        boolean up = topologies.stream().map(t -> t.streams().state())
                .noneMatch(s -> s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR);
        HttpEndpoint.sendJson(exchange, up ? 200 : 503, body(up ? "UP" : "DOWN"));
    }

    void ready(HttpExchange exchange) throws IOException {
        String reason = notReadyReason();
        ObjectNode body = body(reason == null ? "READY" : "NOT_READY");
        if (reason != null) {
            body.put("reason", reason);
        }
        HttpEndpoint.sendJson(exchange, reason == null ? 200 : 503, body);
    }

    /** Why the instance is not ready, or null when it is. */
    private String notReadyReason() {
        if (topologies.isEmpty()) {
            return "no topology";
        }
        List<String> waiting = topologies.stream().filter(t -> t.streams().state() != KafkaStreams.State.RUNNING)
                .map(t -> "topology " + t.name() + " is " + t.streams().state()).toList();
        if (!waiting.isEmpty()) {
            return String.join("; ", waiting);
        }
        return cluster.reason();
    }

    /**
     * Before the applications exist (the service is waiting for the cluster): {@code status} 200 answers
     * {@code {"status": "UP", "reason": ...}}, any other {@code {"status": "NOT_READY", "reason": ...}}.
     */
    static void starting(HttpExchange exchange, int status, String reason) throws IOException {
        HttpEndpoint.sendJson(exchange, status, VigilJson.MAPPER.createObjectNode()
                .put("status", status == 200 ? "UP" : "NOT_READY").put("reason", reason));
    }

    private ObjectNode body(String status) {
        ObjectNode body = VigilJson.MAPPER.createObjectNode().put("status", status);
        ObjectNode states = body.putObject("topologies");
        topologies.forEach(t -> states.put(t.name(), t.streams().state().name()));
        return body;
    }
}
