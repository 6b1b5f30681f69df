package dev.vigil.stream;

import org.apache.kafka.common.metrics.Metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What one {@code keyIdleExpiryMs} scan costs: KEYS keys (default detector settings, one event each) in a task's
 * RocksDB state store under Kafka Streams' TopologyTestDriver, then {@code DetectorStores.idleKeys} timed five times
 * (half the keys idle). Needs the test classes and kafka-streams-test-utils:
 * <pre>
 * mvn -B -q test-compile
 * TU=$(find ~/.m2 -name 'kafka-streams-test-utils-*.jar' | head -1); CP=target/test-classes:target/vigil.jar:$TU
 * javac -cp $CP -d /tmp/est scripts/ExpiryScanTiming.java
 * java -cp /tmp/est:$CP dev.vigil.stream.ExpiryScanTiming 100000
 * </pre>
 */
public class ExpiryScanTiming {
    public static void main(String[] args) throws Exception {
        int keys = Integer.parseInt(args[0]);
        Path dir = Files.createTempDirectory("expiry-scan");
        var detector = VigilTopology.detectorConfig(StreamFixtures.singleValue(),
                dev.vigil.detect.DetectorConfig.defaults(), StreamFixtures.RETRAIN);
        try (VigilDriver vigil = new VigilDriver(StreamFixtures.singleValue(), detector, StreamFixtures.RETRAIN, dir)) {
            long t0 = 1_767_225_600_000L;
            for (int i = 0; i < keys; i++) {
                vigil.send("key-" + i, StreamFixtures.single(t0 + i, 10.0 + (i % 7)), t0 + i);
            }
            DetectorStores stores = new DetectorStores(
                    vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.stateStore()),
                    vigil.driver.<String, byte[]>getKeyValueStore(vigil.names.historyStore()), detector, () -> null,
                    StreamFixtures.RETRAIN.historySize(), new Metrics().sensor("discarded"),
                    new DecodedStates(1 << 20), new java.util.concurrent.atomic.AtomicLong());
            for (int r = 0; r < 5; r++) {
                long started = System.nanoTime();
                List<String> idle = stores.idleKeys(t0 + keys / 2);
                System.out.printf("scan of %d keys: %.1f ms, %d idle%n", keys, (System.nanoTime() - started) / 1e6,
                        idle.size());
            }
        }
    }
}
