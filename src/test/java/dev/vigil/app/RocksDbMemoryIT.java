package dev.vigil.app;

import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.config.HttpConfig;
import dev.vigil.testutil.KafkaTestBroker;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rocksdb.memory.bytes} on a running service: with a bound, every RocksDB store of every topology of the
 * instance reports one block cache of that capacity (Kafka Streams' RocksDB metrics), the memtables charged to it, and
 * {@code /metrics} gives the bound and what the stores hold in it; with 0, each store has Kafka Streams' own cache and
 * {@code /metrics} has no such gauge. Two topologies, four partitions, events scored through each.
 */
class RocksDbMemoryIT {
    private static final int PARTITIONS = 4;
    /** State, history and models: the stores of a detector task. */
    private static final int STORES_PER_TASK = 3;

    @TempDir
    Path tmp;

    @Test
    void shouldShareOneCacheOfTheBoundAcrossEveryStoreOfTheInstance() throws Exception {
        Map<String, Double> capacities = capacities("rocks-bound", 32L << 20);
        assertEquals(2 * PARTITIONS * STORES_PER_TASK + 2, capacities.size(), "every store of both topologies, and"
                + " the two gauges: " + capacities.keySet());
        capacities.forEach((store, capacity) -> {
            if (!store.startsWith("vigil_")) {
                assertEquals(32L << 20, capacity, 0.0, store);
            }
        });
        assertEquals(32L << 20, capacities.get("vigil_rocksdb_memory_max_bytes"), 0.0);
        double held = capacities.get("vigil_rocksdb_memory_bytes");
        assertTrue(held > 0 && held <= 32L << 20, "the stores hold some of the bound: " + held);
    }

    @Test
    void shouldLeaveEachStoreItsOwnCacheWithZero() throws Exception {
        Map<String, Double> capacities = capacities("rocks-zero", 0);
        assertEquals(2 * PARTITIONS * STORES_PER_TASK, capacities.size(), "every store of both topologies, no gauge: "
                + capacities.keySet());
        capacities.forEach((store, capacity) -> assertEquals(50L << 20, capacity, 0.0,
                store + ": Kafka Streams' per-store block cache"));
    }

    /** Runs a service of two topologies with the bound over a few events each; each store's block cache capacity. */
    private Map<String, Double> capacities(String name, long bound) throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        ServiceScenario one = new ServiceScenario(name + "-one", PARTITIONS, 80, 60);
        ServiceScenario two = new ServiceScenario(name + "-two", PARTITIONS, 80, 60);
        AppConfig app = new AppConfig(broker.bootstrapServers(), name, tmp.resolve(name), true, PARTITIONS, 1,
                Map.of("commit.interval.ms", "100"), new HttpConfig(true, "127.0.0.1", 0, null), 1, 10_000,
                AppConfig.DEFAULT_MODEL_CACHE_BYTES, null, 1, AppConfig.defaultStateCacheBytes(), bound);
        try (VigilService service = VigilService.start(app, List.of(one.topology, two.topology),
                ServiceScenario.LIMIT)) {
            assertTrue(service.awaitRunning(ServiceScenario.LIMIT), "the service reaches RUNNING");
            for (ServiceScenario s : List.of(one, two)) {
                s.produce(broker.bootstrapServers(), false);
                assertEquals(s.total(), s.collectScores(broker.bootstrapServers()).size(), "every event scored");
            }
            Map<String, Double> out = new TreeMap<>();
            for (KafkaStreams streams : service.applications()) {
                for (Map.Entry<MetricName, ? extends Metric> m : streams.metrics().entrySet()) {
                    MetricName id = m.getKey();
                    if (id.group().equals("stream-state-metrics") && id.name().equals("block-cache-capacity")
                            && m.getValue().metricValue() instanceof Number capacity) {
                        out.put(id.tags().get("task-id") + "/" + id.tags().get("rocksdb-state-id"),
                                capacity.doubleValue());
                    }
                }
            }
            String metrics = HttpProbe.get(service.http().port(), "/metrics").body();
            for (String line : metrics.split("\n")) {
                if (line.startsWith("vigil_rocksdb_memory")) {
                    String[] parts = line.split(" ");
                    out.put(parts[0], Double.parseDouble(parts[1]));
                }
            }
            return out;
        }
    }
}
