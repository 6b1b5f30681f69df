package dev.vigil.app.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ClusterProbe} against an address where nothing listens (its answers against a broker: BrokerOutageIT). */
class ClusterProbeTest {
    @Test
    void shouldCallAClusterThatDoesNotAnswerUnreachableAfterTwoFailedProbes() throws Exception {
        String nowhere = "127.0.0.1:" + closedPort();
        try (ClusterProbe probe = ClusterProbe.start(nowhere, Map.of())) {
            assertNull(probe.reason(), "reachable until probes have failed");
            assertEquals(1.0, probe.reachable());
            long deadline = System.nanoTime() + 3 * (ClusterProbe.PERIOD.toNanos() + 2 * ClusterProbe.TIMEOUT.toNanos());
            while (probe.reason() == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0.0, probe.reachable());
            String reason = probe.reason();
            assertTrue(reason != null && reason.startsWith("Kafka at " + nowhere + " unreachable for "), reason);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
