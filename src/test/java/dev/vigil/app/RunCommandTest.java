package dev.vigil.app;

import dev.vigil.testutil.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code vigil run} startup: failures are one line naming what is wrong, exit code 2; waiting for the cluster. */
class RunCommandTest {
    @TempDir
    Path tmp;

    private String runExpectingFailure(String... args) {
        CommandRun run = CommandRun.of(args);
        assertEquals(2, run.code(), run.err());
        String message = run.err().strip();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    @Test
    void shouldStopOnAnUnknownApplicationSetting() throws IOException {
        Path config = tmp.resolve("vigil.properties");
        Files.writeString(config, "bootstrap.servers=127.0.0.1:9\nstate.dirr=/tmp/x\n");
        String message = runExpectingFailure("run", "--config", config.toString(), "--topology", "topologies/sensors.yaml");
        assertTrue(message.contains("unknown key 'state.dirr'"), message);
    }

    @Test
    void shouldStopOnABadDetectorParameterInATopologyBeforeContactingKafka() throws IOException {
        Path topology = tmp.resolve("t.yaml");
        Files.writeString(topology, "detector:\n  scoring:\n    alertThreshold: 3\n");
        String message = runExpectingFailure("run", "--config", "config/vigil.properties", "--topology", topology.toString());
        assertEquals("error: alertThreshold must be in (0, 1], got 3.0", message);
    }

    @Test
    void shouldStopOnABadColdStartInATopologyNamingTheKey() throws IOException {
        Path topology = tmp.resolve("t.yaml");
        Files.writeString(topology, "detector:\n  retrain:\n    coldStart: fleet\n");
        String message = runExpectingFailure("run", "--config", "config/vigil.properties", "--topology", topology.toString());
        assertEquals("error: retrain.coldStart must be shared or none, got 'fleet'", message);
    }

    @Test
    void shouldGiveUpOnAnUnreachableClusterAfterTheWaitWithAClearMessage() throws IOException {
        int closedPort = FreePorts.one();
        Path config = tmp.resolve("vigil.properties");
        Files.writeString(config, "bootstrap.servers=127.0.0.1:" + closedPort + "\nstate.dir=" + tmp.resolve("state")
                + "\nhttp.port=0\n");
        String message = runExpectingFailure("run", "--config", config.toString(), "--topology", "topologies/sensors.yaml",
                "--wait-for-cluster", "PT2S");
        assertTrue(message.contains("is unreachable after"), message);
    }

    @Test
    void shouldAnswerHealthChecksAndLogEachAttemptWhileWaitingForTheCluster() throws Exception {
        int[] ports = FreePorts.of(2);
        int closedPort = ports[0];
        int httpPort = ports[1];
        Path config = tmp.resolve("vigil.properties");
        Files.writeString(config, "bootstrap.servers=127.0.0.1:" + closedPort + "\nstate.dir=" + tmp.resolve("state")
                + "\nhttp.port=" + httpPort + "\n");
        String bootstrap = "127.0.0.1:" + closedPort;
        String log;
        String message;
        try (StderrCapture stderr = new StderrCapture()) {
            CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> runExpectingFailure("run", "--config",
                    config.toString(), "--topology", "topologies/sensors.yaml", "--wait-for-cluster", "PT6S"));
            HttpResponse<String> health = awaitAnswer(httpPort, "/health", run);
            assertEquals(200, health.statusCode(), health.body());
            HttpResponse<String> ready = HttpProbe.get(httpPort, "/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals("waiting for Kafka at " + bootstrap, HttpProbe.json(ready).path("reason").asText(), ready.body());
            message = run.get(60, TimeUnit.SECONDS);
            log = stderr.text();
        }
        Matcher gaveUp = Pattern.compile("Kafka at " + Pattern.quote(bootstrap) + " is unreachable after (\\d+) attempts")
                .matcher(message);
        assertTrue(gaveUp.find(), message);
        int attempts = Integer.parseInt(gaveUp.group(1));
        assertTrue(attempts >= 2, message);
        // a line for each attempt but the last (which ends in the error), the first saying how long it waited
        for (int i = 1; i < attempts; i++) {
            assertTrue(log.contains("Kafka at " + bootstrap + " is unreachable (attempt " + i + ": no answer within "), log);
        }
        assertTrue(log.contains("(attempt 1: no answer within 1.5 s); retrying in 1 s"), log);
        // the Kafka client's own warning comes at most once per attempt, not at each of its reconnects
        long kafkaWarnings = log.lines().filter(l -> l.contains("could not be established")).count();
        assertTrue(kafkaWarnings <= attempts, kafkaWarnings + " connection warnings for " + attempts + " attempts: " + log);
    }

    /** GETs {@code path} until the endpoint answers; fails if {@code run} ends first. */
    private static HttpResponse<String> awaitAnswer(int port, String path, CompletableFuture<String> run)
            throws InterruptedException {
        while (!run.isDone()) {
            try {
                return HttpProbe.get(port, path);
            } catch (UncheckedIOException notYetListening) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("run ended before serving " + path + ": " + run.join());
    }

    @Test
    void shouldNeedAConfigFileOrTheBootstrapVariable() {
        assumeTrue(System.getenv("VIGIL_BOOTSTRAP_SERVERS") == null, "VIGIL_BOOTSTRAP_SERVERS is set in this environment");
        String message = runExpectingFailure("run", "--topology", "topologies/sensors.yaml");
        assertEquals("error: bootstrap.servers is required: set it in a config file (--config FILE) or as"
                + " VIGIL_BOOTSTRAP_SERVERS", message);
    }
}
