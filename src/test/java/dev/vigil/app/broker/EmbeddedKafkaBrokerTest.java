package dev.vigil.app.broker;

import dev.vigil.BadConfigException;
import kafka.server.KafkaConfig;
import org.apache.kafka.coordinator.transaction.AddPartitionsToTxnConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What can be checked without starting a broker (that is {@code EmbeddedBrokerIT}'s job). */
class EmbeddedKafkaBrokerTest {
    @Test
    void shouldRejectAnInvalidBrokerPropertyBeforeStarting(@TempDir Path dir) {
        BadConfigException e = assertThrows(BadConfigException.class,
                () -> EmbeddedKafkaBroker.start(dir, Map.of("num.io.threads", "many")));
        assertTrue(e.getMessage().contains("num.io.threads"), e.getMessage());
    }

    @Test
    void shouldPickTheListenerAndControllerPortsApart() {
        // picked one after the other, two ports were the same about 3 times in 20,000 here (a CI run's broker failed
        // to start with PLAINTEXT and CONTROLLER both on 34529); bound together they never are
        for (int i = 0; i < 20_000; i++) {
            int[] ports = BrokerSettings.freePorts(2);
            assertNotEquals(ports[0], ports[1], "attempt " + i);
            assertTrue(ports[0] > 0 && ports[1] > 0, "attempt " + i);
        }
    }

    @Test
    void shouldGiveEveryInternalTopicASingleReplicaAndLetOverridesWin(@TempDir Path dir) {
        Map<String, String> settings = BrokerSettings.forNode(dir, 9092, 9093, Map.of("num.partitions", "7"));

        assertEquals("1", settings.get("offsets.topic.replication.factor"));
        assertEquals("1", settings.get("transaction.state.log.replication.factor"));
        assertEquals("1", settings.get("transaction.state.log.min.isr"));
        assertEquals("1", settings.get("share.coordinator.state.topic.replication.factor"));
        assertEquals("false", settings.get("auto.create.topics.enable"));
        assertEquals("0", settings.get("group.initial.rebalance.delay.ms"));
        assertEquals("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093", settings.get("listeners"));
        assertEquals("7", settings.get("num.partitions"));
    }

    @Test
    void shouldLetAProduceRequestWaitOutAPreviousCommitLongerThanAFreshBrokersFirstButWithinTheRequestTimeout(
            @TempDir Path dir) {
        KafkaConfig config = new KafkaConfig(BrokerSettings.forNode(dir, 9092, 9093, Map.of()), false);
        int wait = new AddPartitionsToTxnConfig(config).addPartitionsToTxnRetryBackoffMaxMs();

        // a fresh broker's first commit took 0.8-0.9 s; the broker ignores a wait longer than its request timeout
        assertTrue(wait >= 2000, "waits " + wait + " ms");
        assertTrue(wait < config.requestTimeoutMs(), wait + " ms, request timeout " + config.requestTimeoutMs());
    }
}
