package dev.vigil.app.http;

import dev.vigil.testutil.FreePorts;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ClusterProbe} against an address where nothing listens (its answers against a broker: BrokerOutageIT). */
class ClusterProbeTest {
    @Test
    void shouldCallAClusterThatDoesNotAnswerUnreachableAfterTwoFailedProbes() throws Exception {
        String nowhere = "127.0.0.1:" + FreePorts.one();
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
}
