package dev.vigil.app;

import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.testutil.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP endpoint of a running service under seeded hostile requests, sent as raw bytes over sockets so that
 * nothing is cleaned up on the way (bad paths, invalid percent-encodings and UTF-8, NUL bytes, 10,000-character keys,
 * 100 KB request lines, unknown topologies and methods, garbage request lines), from 32 clients at once: no answer is a
 * 500 (or any 5xx but 503, "not queryable yet"), the service stays healthy, and the endpoint's threads do not grow.
 */
class HttpFuzzIT {
    private static final int CLIENTS = 32;
    private static final int REQUESTS_PER_CLIENT = 150;

    @TempDir
    Path tmp;

    @Test
    void shouldAnswerEveryHostileRequestWithoutAServerErrorOrALeak() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        ServiceScenario scenario = new ServiceScenario("http-fuzz", 2, 200, 150);
        AppConfig app = ServiceScenario.serviceApp(broker.bootstrapServers(), "http-fuzz-it", tmp, 2);
        try (VigilService service = VigilService.start(app, List.of(scenario.topology), ServiceScenario.LIMIT)) {
            int port = service.http().port();
            assertTrue(service.awaitRunning(ServiceScenario.LIMIT), "service should reach RUNNING");
            scenario.produce(broker.bootstrapServers(), false);
            List<ConsumerRecord<String, byte[]>> scores = scenario.collectScores(broker.bootstrapServers());
            // one round first, so that every handler and its threads exist before the count
            send(port, request(new SplittableRandom(1)));
            HttpProbe.get(port, "/health");
            for (int i = 0; i < 4; i++) {
                HttpProbe.get(port, "/sensors/key-0"); // the data lane starts a thread for each of its first 4
            }
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

            ConcurrentMap<Integer, Integer> statuses = new ConcurrentHashMap<>();
            ConcurrentMap<String, String> serverErrors = new ConcurrentHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                SplittableRandom random = new SplittableRandom(100 + c);
                done.add(clients.submit(() -> {
                    for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                        byte[] request = request(random);
                        int status = send(port, request);
                        statuses.merge(status, 1, Integer::sum);
                        if (status >= 500 && status != 503) {
                            serverErrors.putIfAbsent(firstLine(request), Integer.toString(status));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(3, TimeUnit.MINUTES);
            }
            clients.shutdown();
            assertTrue(clients.awaitTermination(1, TimeUnit.MINUTES));

            System.out.println("HttpFuzzIT: answers by status (0: closed without one) " + new TreeMap<>(statuses));
            assertTrue(serverErrors.isEmpty(), "server errors: " + serverErrors);
            assertEquals(CLIENTS * REQUESTS_PER_CLIENT, statuses.values().stream().mapToInt(Integer::intValue).sum());
            assertTrue(statuses.keySet().stream().anyMatch(s -> s >= 400 && s < 500), "some requests were refused: "
                    + new TreeMap<>(statuses));
            assertTrue(statuses.containsKey(200), "good requests were answered: " + new TreeMap<>(statuses));
            assertEquals(200, HttpProbe.get(port, "/health").statusCode());
            assertEquals(200, HttpProbe.get(port, "/ready").statusCode());
            assertEquals(200, HttpProbe.get(port, "/sensors/key-0").statusCode(), "a good lookup still works");
            int threadsAfter = awaitThreadsAtMost(threadsBefore + 4);
            assertTrue(threadsAfter <= threadsBefore + 4, "threads " + threadsBefore + " -> " + threadsAfter);
        }
    }

    /** One seeded hostile (or, one time in six, good) request, as raw bytes. */
    private static byte[] request(SplittableRandom r) {
        String[] methods = {"GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "BREW"};
        String[] good = {"/health", "/ready", "/metrics", "/sensors/key-0", "/sensors/key-1/history", "/api/fleet",
                "/api/alerts", "/api/topologies", "/api/series/key-0", "/"};
        String[] bad = {"/sensors/", "/sensors/%", "/sensors/%zz", "/sensors/%C3%28", "/sensors/%00", "/sensors/%ff%fe",
                "/sensors/key-0?topology=nope", "/sensors/key-0?topology=%ff", "/sensors/key-0/history/extra",
                "/sensors/../../etc/passwd", "//sensors//key-0", "/api/series/", "/api/series/%", "/api/fleet?page=-1",
                "/api/fleet?page=99999999999999999999&size=0", "/api/fleet?sort=%00&size=abc", "/nope", "/static/../x",
                "/sensors/" + "k".repeat(10_000), "/api/series/" + "%41".repeat(5_000), "/sensors/\u00e9t\u00e9"};
        int pick = r.nextInt(12);
        if (pick == 0) {
            byte[] garbage = new byte[1 + r.nextInt(300)];
            r.nextBytes(garbage);
            return garbage;
        }
        if (pick == 1) {
            return ("GET /sensors/" + "x".repeat(100_000) + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
        String method = pick == 2 ? methods[r.nextInt(methods.length)] : "GET";
        String path = pick < 4 ? good[r.nextInt(good.length)] : bad[r.nextInt(bad.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] pathBytes = path.getBytes(StandardCharsets.UTF_8);
        if (pick == 3) {
            // a raw, undecodable byte in the path itself
            pathBytes = (path + "\u0000").getBytes(StandardCharsets.UTF_8);
            pathBytes[pathBytes.length - 1] = (byte) 0xC3;
        }
        out.writeBytes((method + " ").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(pathBytes);
        out.writeBytes(" HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip, \u00ff\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Sends raw bytes, half-closes, reads the answer: its status code, or 0 when the server closed without one. */
    private static int send(int port, byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                // the server may close on a garbage request before reading it all
            }
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String line = new String(head, StandardCharsets.ISO_8859_1);
            return line.startsWith("HTTP/1.1 ") && line.length() >= 12 ? Integer.parseInt(line.substring(9, 12)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String firstLine(byte[] request) {
        String text = new String(request, 0, Math.min(request.length, 200), StandardCharsets.ISO_8859_1);
        int end = text.indexOf('\r');
        return end < 0 ? text : text.substring(0, end);
    }

    private static int awaitThreadsAtMost(int limit) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int now = ManagementFactory.getThreadMXBean().getThreadCount();
        while (now > limit && System.nanoTime() < deadline) {
            Thread.sleep(200);
            now = ManagementFactory.getThreadMXBean().getThreadCount();
        }
        return now;
    }
}
