package dev.vigil.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.vigil.stream.VigilJson;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One answer to a {@code /sensors} request, from this instance's stores or from another instance, held until the
 * lookup decides which to send. A 503 is sent with {@code Retry-After: 1} (every 503 here passes with time:
 * starting, restoring, rebalancing).
 */
record SensorAnswer(int status, String contentType, byte[] body) {
    static final int FOUND = 200;
    static final int NOT_HERE = 404;

    static SensorAnswer json(int status, JsonNode body) {
        try {
            return new SensorAnswer(status, HttpEndpoint.JSON, VigilJson.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SensorAnswer error(int status, String message) {
        return json(status, HttpEndpoint.error(message));
    }

    static SensorAnswer unavailable(String why) {
        return error(503, why);
    }

    boolean found() {
        return status == FOUND;
    }

    boolean notHere() {
        return status == NOT_HERE;
    }

    void send(HttpExchange exchange) throws IOException {
        if (status == 503) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        HttpEndpoint.send(exchange, status, contentType, body);
    }
}
