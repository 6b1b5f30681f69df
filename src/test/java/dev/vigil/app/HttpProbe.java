package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Plain HTTP requests (GETs, mostly) against a running service's endpoint, for the ITs. */
final class HttpProbe {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpProbe() {
    }

    static HttpResponse<String> get(int port, String path) {
        return get(port, path, new String[0]);
    }

    /** A GET with request headers, given as name, value, name, value, ... */
    static HttpResponse<String> get(int port, String path, String... headers) {
        return send(port, "GET", path, headers);
    }

    /** A request without a body ({@code method}: GET, DELETE, ...) with headers as for {@link #get}. */
    static HttpResponse<String> send(int port, String method, String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        HttpRequest request = (headers.length == 0 ? builder : builder.headers(headers)).build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET sent without waiting for its answer. */
    static CompletableFuture<HttpResponse<String>> getAsync(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofMinutes(3)).GET().build();
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(response.body(), e);
        }
    }
}
