package dev.vigil.app;

import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.testutil.FreePorts;
import dev.vigil.testutil.PrometheusExposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker outage: {@code vigil run} as a child JVM ({@link CrashChild}) scoring a paced multi-key workload whose
 * keys train and swap models, while the broker under it is stopped for longer than the clients' timeouts and started
 * again on the same log directory and ports. The same process carries on without a restart; {@code /ready} answers
 * 503 with the reason during the outage and 200 after it; {@code /health} and {@code /metrics} answer during it while
 * key lookups wait on the stores (they answer, or 503 when busy, and 200 after it); every event has exactly one
 * score, bit for bit the uninterrupted run's.
 *
 * <p>{@code mvn verify} stops the broker for 35 s: longer than the clients' request timeout (30 s) and the
 * transaction timeout Kafka Streams sets (10 s). {@code -Dvigil.outage.seconds=N} sets another length, e.g. 90 for
 * one beyond the consumer's session timeout (45 s) and the producer's max.block.ms (60 s). It prints the figures,
 * the {@code /ready} answers, a few metrics before, during and after the outage, and the child's WARN and ERROR
 * lines by logger (its log: {@code target/outage-N.log}); docs/operations.md "Broker outage: what you see".
 */
class BrokerOutageIT {
    private static final int KEYS = 6;
    private static final int RATE_PER_KEY = 25;
    /** Seconds of scoring before the broker stops, and of publishing after it is back. */
    private static final int LEAD_SECONDS = 6;
    private static final int TAIL_SECONDS = 4;
    /** Families printed before, during and after the outage (those the service serves). */
    private static final List<String> MOVING = List.of("vigil_kafka_reachable", "vigil_events_total",
            "kafka_stream_thread_process_rate", "kafka_stream_thread_commit_rate",
            "kafka_stream_thread_commit_latency_max", "kafka_consumer_connection_count",
            "kafka_producer_connection_count", "kafka_admin_client_connection_count",
            "kafka_consumer_fetch_manager_records_lag_max", "kafka_consumer_coordinator_last_heartbeat_seconds_ago",
            "kafka_producer_record_retry_total",
            "kafka_producer_record_error_total", "kafka_producer_buffer_available_bytes");

    @TempDir
    Path tmp;

    @Test
    void shouldRideOutABrokerOutageAndScoreEveryEventOnceAsTheUninterruptedRun() throws Exception {
        int outageSeconds = Integer.getInteger("vigil.outage.seconds", 35);
        // a broker of its own: it is stopped under the test
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            run(broker, outageSeconds);
        }
    }

    private void run(EmbeddedKafkaBroker broker, int outageSeconds) throws Exception {
        String name = "outage-" + outageSeconds;
        int eventsPerKey = RATE_PER_KEY * (LEAD_SECONDS + outageSeconds + TAIL_SECONDS);
        CrashWorkload w = new CrashWorkload(name, KEYS, eventsPerKey, RATE_PER_KEY, 14L, tmp);
        Path stateDir = tmp.resolve("state");
        int httpPort = FreePorts.one();
        Path config = w.writeConfig(tmp, broker.bootstrapServers(), stateDir, httpPort, "outage-1", Map.of());
        Path logback = tmp.resolve("logback.xml");
        Path log = w.prepareChild(broker.bootstrapServers(), stateDir, logback);

        CrashChild child = CrashChild.start(config, w.topologyFile, logback, log);
        try {
            ride(broker, outageSeconds, w, httpPort, log, child);
        } finally {
            if (child.alive()) {
                child.kill(); // a failed assertion must not leave the service running under the next test
            }
        }
    }

    private void ride(EmbeddedKafkaBroker broker, int outageSeconds, CrashWorkload w, int httpPort, Path log,
                      CrashChild child) throws Exception {
        assertTrue(child.await(CrashChild.READY, child.startedNanos(), Duration.ofMinutes(2)) > 0,
                "the child should become ready; its log: " + log);
        AtomicLong failedSends = new AtomicLong();
        Thread producing = new Thread(() -> failedSends.set(w.produce(broker.bootstrapServers())),
                "outage-it-producer");
        CrashOutcome o;
        try (ReadinessWatch watch = new ReadinessWatch(httpPort)) {
            producing.start();
            Thread.sleep(LEAD_SECONDS * 1_000L);
            // stopped while the child commits transactions, not while it is still starting on a busy machine
            assertTrue(child.await(CrashChild.COMMIT, System.nanoTime(), Duration.ofSeconds(30)) > 0,
                    "the child should be committing; " + log);
            String before = movingMetrics(child, httpPort);
            long stopped = System.nanoTime();
            broker.stop();
            long outageEnd = stopped + outageSeconds * 1_000_000_000L;
            ReadinessWatch.Answer down = watch.await(503, stopped, outageEnd);
            // a dashboard's worth of key lookups: their store reads may wait for the outage, the probes must not
            long lookupsSent = System.nanoTime();
            List<CompletableFuture<Answered>> lookups = lookups(w, httpPort);
            double reachableDuring = down == null ? Double.NaN : reachable(child, httpPort);
            int healthDuring = HttpProbe.get(httpPort, "/health").statusCode();
            Thread.sleep(Math.max(0, (outageEnd - System.nanoTime()) / 1_000_000 - 1_000));
            String during = movingMetrics(child, httpPort);
            Thread.sleep(Math.max(0, (outageEnd - System.nanoTime()) / 1_000_000));
            long restarted = System.nanoTime();
            broker.restart();
            long back = System.nanoTime();
            ReadinessWatch.Answer up = watch.await(200, restarted, back + Duration.ofMinutes(2).toNanos());
            double reachableAfter = reachable(child, httpPort);
            List<Integer> lookupsDuring = answered(lookups);
            String lookupWaits = waited(lookups, lookupsSent, restarted);
            List<String> lookupRetries = new ArrayList<>();
            int lookupAfter = lookupAfterOutage(httpPort, "/sensors/" + w.events.keySet().iterator().next(),
                    lookupRetries);
            long resumed = child.await(CrashChild.COMMIT, back, Duration.ofMinutes(2));
            producing.join();
            o = CrashOutcome.read(broker.bootstrapServers(), w, Duration.ofMinutes(3));
            print(w, o, failedSends.get(), watch.answers(), new Timeline(stopped, restarted, back, resumed), down, up);
            System.out.printf("  metrics before the stop: %s%n  at the end of the outage: %s%n  after: %s%n", before,
                    during, movingMetrics(child, httpPort));
            System.out.printf("  key lookups sent during the outage answered %s (%s); one after it %d (503s before:"
                    + " %s)%n", lookupsDuring, lookupWaits, lookupAfter, lookupRetries);

            assertNotNull(down, "/ready should answer 503 during the outage: " + watch.answers());
            assertTrue(down.body().contains("unreachable"), "the 503 should say why: " + down.body());
            assertEquals(0.0, reachableDuring, "vigil_kafka_reachable during the outage");
            assertEquals(200, healthDuring, "/health during the outage, with key lookups waiting");
            assertTrue(lookupsDuring.stream().allMatch(status -> status == 200 || status == 503),
                    "key lookups during the outage answer their state or 503 (busy), never fail: " + lookupsDuring);
            assertEquals(200, lookupAfter, "a key lookup after the outage, retried as its Retry-After says: "
                    + lookupRetries);
            assertNotNull(up, "/ready should answer 200 after the outage: " + watch.answers());
            assertEquals(1.0, reachableAfter, "vigil_kafka_reachable after the outage");
        }
        assertTrue(child.alive(), "the service should ride out the outage in the same process; its log: " + log);
        child.stop();
        System.out.println("  the child's WARN and ERROR lines by logger: " + warningsByLogger(log));
        assertOutcome(w, o, failedSends.get());
    }

    private static void assertOutcome(CrashWorkload w, CrashOutcome o, long failedSends) {
        assertEquals(0, failedSends, "the workload's sends should all be written");
        assertEquals(0, o.duplicates, "events scored twice");
        assertEquals(0, o.losses, "events never scored");
        assertEquals(w.total(), o.scoreRecords, "score records");
        assertEquals(w.expectedAlerts(), o.alerts, "alerts open and close as in the uninterrupted run");
        assertEquals(w.expectedLastVersions(), o.lastVersions, "every key reaches the uninterrupted run's models");
        assertEquals(List.of(), o.firstMismatches, "scores and model versions bit for bit as in the uninterrupted"
                + " run (" + o.scoreMismatches + " scores and " + o.versionMismatches + " versions differ)");
    }

    /**
     * The outage's moments ({@link System#nanoTime()}): the broker's stop, the start of its restart, its first answer
     * after it, and the child's first commit after that (-1: none).
     */
    private record Timeline(long stopped, long restarted, long back, long resumed) {
    }

    private static void print(CrashWorkload w, CrashOutcome o, long failedSends, List<ReadinessWatch.Answer> answers,
                              Timeline t, ReadinessWatch.Answer down, ReadinessWatch.Answer up) {
        long stopped = t.stopped();
        long restarted = t.restarted();
        long back = t.back();
        StringBuilder s = new StringBuilder();
        s.append(String.format("broker outage %s: broker down %.1f s (its restart took %.1f s); /ready 503 %.1f s after"
                        + " the stop, 200 again %.1f s after the broker was back; first commit %.1f s after it%n",
                w.name, (restarted - stopped) / 1e9, (back - restarted) / 1e9,
                down == null ? Double.NaN : (down.nanos() - stopped) / 1e9,
                up == null ? Double.NaN : (up.nanos() - back) / 1e9,
                t.resumed() < 0 ? Double.NaN : (t.resumed() - back) / 1e9));
        s.append(String.format("  events in %d (failed sends %d), score records out %d, duplicates %d, losses %d,"
                        + " score mismatches %d, model version mismatches %d, alert transitions %d (expected %d),"
                        + " model records %d%n", w.total(), failedSends, o.scoreRecords, o.duplicates, o.losses,
                o.scoreMismatches, o.versionMismatches, o.alerts.size(), w.expectedAlerts().size(), o.modelRecords));
        answers.forEach(a -> s.append(String.format("  /ready at %+.1f s from the stop: %d %s%n",
                (a.nanos() - stopped) / 1e9, a.status(), a.body())));
        o.firstMismatches.forEach(m -> s.append("  mismatch: ").append(m).append('\n'));
        System.out.print(s);
    }

    /** A key lookup's status and when it was answered ({@link System#nanoTime}). */
    private record Answered(int status, long at) {
    }

    /** Two lookups of every key, sent at once, more than the endpoint's data lane has threads. */
    private static List<CompletableFuture<Answered>> lookups(CrashWorkload w, int httpPort) {
        List<CompletableFuture<Answered>> sent = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            w.events.keySet().forEach(key -> sent.add(HttpProbe.getAsync(httpPort, "/sensors/" + key)
                    .thenApply(r -> new Answered(r.statusCode(), System.nanoTime()))));
        }
        return sent;
    }

    /**
     * How long the lookups sent at {@code sent} waited for their answers, in seconds, and how many were answered before
     * the broker was back ({@code back}).
     */
    private static String waited(List<CompletableFuture<Answered>> lookups, long sent, long back) {
        List<String> seconds = new ArrayList<>();
        int before = 0;
        for (CompletableFuture<Answered> lookup : lookups) {
            Answered a = lookup.getNow(null);
            if (a != null) {
                seconds.add(String.format(java.util.Locale.ROOT, "%.1f", (a.at() - sent) / 1e9));
                before += a.at() < back ? 1 : 0;
            }
        }
        return "waited " + seconds + " s, " + before + " of " + lookups.size() + " answered before the broker was back";
    }

    /** The lookups' statuses, waiting for each; -1 for one that failed or got no answer. */
    private static List<Integer> answered(List<CompletableFuture<Answered>> lookups) {
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Answered> lookup : lookups) {
            try {
                statuses.add(lookup.get(3, TimeUnit.MINUTES).status());
            } catch (ExecutionException | TimeoutException e) {
                statuses.add(-1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                statuses.add(-1);
            }
        }
        return statuses;
    }

    /** {@code vigil_kafka_reachable} as the child's {@code /metrics} serves it now. */
    private static double reachable(CrashChild child, int httpPort) {
        return PrometheusExposition.parse(scrape(child, httpPort)).sum("vigil_kafka_reachable");
    }

    /** The child's {@code /metrics}; when it does not answer in time, a failure with what the child's threads do. */
    private static String scrape(CrashChild child, int httpPort) {
        try {
            return HttpProbe.get(httpPort, "/metrics").body();
        } catch (java.io.UncheckedIOException e) {
            throw new AssertionError("/metrics did not answer (" + e.getMessage() + "); the child's threads:\n"
                    + child.threadDump(), e);
        }
    }

    /** The families a user watches through an outage, summed over their series: name=value, ... */
    private static String movingMetrics(CrashChild child, int httpPort) {
        PrometheusExposition scrape = PrometheusExposition.parse(scrape(child, httpPort));
        StringBuilder s = new StringBuilder();
        for (String name : MOVING) {
            if (scrape.has(name)) {
                s.append(s.isEmpty() ? "" : ", ").append(name).append('=')
                        .append(String.format("%.4g", scrape.sum(name)));
            }
        }
        return s.toString();
    }

    /** Counts of the log's WARN and ERROR lines by level and logger, e.g. {@code "WARN NetworkClient" -> 90}. */
    private static Map<String, Long> warningsByLogger(Path log) throws IOException {
        Pattern line = Pattern.compile("] (WARN|ERROR) (\\S+) - ");
        Map<String, Long> counts = new TreeMap<>();
        try (Stream<String> lines = Files.lines(log)) {
            lines.map(line::matcher).filter(Matcher::find).forEach(m -> counts.merge(m.group(1) + " " + m.group(2),
                    1L, Long::sum));
        }
        return counts;
    }

    /**
     * A key lookup once the service is ready again, retried as a client would while it answers 503 with its
     * Retry-After (a rebalance after the outage can leave the store not queryable for a moment; every 503 of a key
     * lookup passes with time), for at most 60 s; the 503 bodies go to {@code retries}. Returns the last status.
     */
    private static int lookupAfterOutage(int port, String path, List<String> retries) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> r = HttpProbe.get(port, path);
            if (r.statusCode() != 503 || System.nanoTime() > deadline) {
                return r.statusCode();
            }
            retries.add(r.body());
            long wait = r.headers().firstValueAsLong("Retry-After").orElse(1);
            Thread.sleep(Math.max(1, Math.min(wait, 5)) * 1_000L);
        }
    }
}
