package dev.vigil.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.testutil.PrometheusExposition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data lane on a real JDK HTTP server with two HTTP threads, as the endpoint has few: data requests whose store
 * read waits (a latch stands for the stream thread holding the store's cache through an outage) hold the lane, not
 * the HTTP threads, so a probe still answers; past the lane's threads and queue a request is refused at once with
 * 503; once the store answers, every request that was taken is answered.
 */
class DataLaneTest {
    private static final int LANE_THREADS = 2;
    private static final int LANE_QUEUE = 3;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch storeHeld = new CountDownLatch(1);
    private final AtomicInteger reading = new AtomicInteger();
    private ExecutorService httpThreads;
    private HttpServer server;
    private DataLane lane;

    @BeforeEach
    void serve() throws IOException {
        httpThreads = Executors.newFixedThreadPool(2);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(httpThreads);
        lane = new DataLane(LANE_THREADS, LANE_QUEUE, Duration.ofMinutes(1));
        server.createContext("/health", exchange -> answer(exchange, 200, "up"));
        server.createContext("/sensors/", lane.on(exchange -> {
            reading.incrementAndGet();
            awaitStore();
            answer(exchange, 200, "state of " + exchange.getRequestURI().getPath());
        }));
        server.start();
    }

    @AfterEach
    void stop() {
        storeHeld.countDown();
        server.stop(0);
        lane.close();
        httpThreads.shutdownNow();
    }

    @Test
    void shouldKeepTheProbesAnsweringAndRefuseBeyondTheLaneWhileStoreReadsWait() throws Exception {
        int taken = LANE_THREADS + LANE_QUEUE;
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < taken; i++) {
            waiting.add(send("/sensors/key-" + i));
        }
        // the lane's threads wait on the store and the queue holds the rest
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((reading.get() < LANE_THREADS || queuedOrRunning() < taken) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(LANE_THREADS, reading.get(), "the lane's threads should all be reading");
        assertEquals(taken, queuedOrRunning(), "the others wait in the lane's queue");

        HttpResponse<String> refused = send("/sensors/one-more").get(30, TimeUnit.SECONDS);
        assertEquals(503, refused.statusCode(), "a request past the lane's threads and queue is refused at once");
        assertEquals(String.valueOf(DataLane.RETRY_AFTER_SECONDS), refused.headers().firstValue("Retry-After")
                .orElse(""));
        assertTrue(refused.body().contains("busy"), refused.body());
        try (ServiceMeters meters = new ServiceMeters()) {
            meters.bind(lane);
            PrometheusExposition scrape = PrometheusExposition.parse(meters.scrape());
            assertEquals(1.0, scrape.sum("vigil_http_data_refused_total"));
            assertEquals(LANE_QUEUE, scrape.sum("vigil_http_data_waiting"), "the requests in the queue");
        }
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> health = send("/health").get(30, TimeUnit.SECONDS);
            assertEquals(200, health.statusCode(), "the probe answers while the data requests wait");
        }
        assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone), "no data request answered yet");

        storeHeld.countDown();
        for (int i = 0; i < taken; i++) {
            HttpResponse<String> r = waiting.get(i).get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertEquals("state of /sensors/key-" + i, r.body());
        }
    }

    @Test
    void shouldRefuseARequestThatWaitedInTheQueueTooLong() throws Exception {
        lane.close();
        lane = new DataLane(1, 4, Duration.ofMillis(200));
        server.removeContext("/sensors/");
        CountDownLatch firstIn = new CountDownLatch(1);
        server.createContext("/sensors/", lane.on(exchange -> {
            firstIn.countDown();
            awaitStore();
            answer(exchange, 200, "late");
        }));
        CompletableFuture<HttpResponse<String>> first = send("/sensors/a");
        assertTrue(firstIn.await(30, TimeUnit.SECONDS));
        CompletableFuture<HttpResponse<String>> second = send("/sensors/b");
        Thread.sleep(500); // longer than the lane lets a request wait for a thread
        storeHeld.countDown();
        assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
        HttpResponse<String> stale = second.get(30, TimeUnit.SECONDS);
        assertEquals(503, stale.statusCode(), "a request that waited past the bound is refused, not served late");
        assertTrue(stale.body().contains("waited"), stale.body());
        assertEquals(1, lane.refused());
    }

    /** A store read that waits while the stream thread holds the store's cache (the test's latch). */
    private void awaitStore() {
        try {
            storeHeld.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int queuedOrRunning() {
        return reading.get() + lane.waiting();
    }

    private CompletableFuture<HttpResponse<String>> send(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + path)).timeout(Duration.ofSeconds(60)).GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
