package dev.vigil.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code vigil run} startup failures: one line naming what is wrong, exit code 2. */
class RunCommandTest {
    @TempDir
    Path tmp;

    private String runExpectingFailure(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
        assertEquals(2, code, err.toString());
        String message = err.toString().strip();
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
    void shouldGiveUpOnAnUnreachableClusterAfterTheWaitWithAClearMessage() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path config = tmp.resolve("vigil.properties");
        Files.writeString(config, "bootstrap.servers=127.0.0.1:" + closedPort + "\nstate.dir=" + tmp.resolve("state") + "\n");
        String message = runExpectingFailure("run", "--config", config.toString(), "--topology", "topologies/sensors.yaml",
                "--wait-for-cluster", "PT2S");
        assertTrue(message.contains("is unreachable after"), message);
    }

    @Test
    void shouldNeedAConfigFileOrTheBootstrapVariable() {
        assumeTrue(System.getenv("VIGIL_BOOTSTRAP_SERVERS") == null, "VIGIL_BOOTSTRAP_SERVERS is set in this environment");
        String message = runExpectingFailure("run", "--topology", "topologies/sensors.yaml");
        assertEquals("error: bootstrap.servers is required: set it in a config file (--config FILE) or as"
                + " VIGIL_BOOTSTRAP_SERVERS", message);
    }
}
