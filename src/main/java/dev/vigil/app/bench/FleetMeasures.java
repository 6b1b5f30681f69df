package dev.vigil.app.bench;

import dev.vigil.BadBytesException;
import dev.vigil.detect.DetectorStateBytes;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.lang.management.ManagementFactory;
import java.util.function.Predicate;
import java.util.stream.DoubleStream;

/**
 * What {@link FleetBenchmark} reads off a running application: its stores' sizes, its sends, its RocksDB memory, the
 * heap; and sums of its metrics (also {@link TrainerBenchmark}'s counters). Stateless.
 */
final class FleetMeasures {
    private FleetMeasures() {
    }

    /** {entries, mean value bytes} of a store (all of this instance's partitions). */
    static double[] meanBytes(ReadOnlyKeyValueStore<String, byte[]> store) {
        return meanBytes(store, false);
    }

    /** {entries, mean value bytes, mean bytes of the history heads in the values when they are states (else 0)}. */
    static double[] meanBytes(ReadOnlyKeyValueStore<String, byte[]> store, boolean states) {
        long n = 0;
        long bytes = 0;
        long heads = 0;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                if (entry.key.isEmpty()) {
                    continue; // a task's replay offset (states written behind), not a key's
                }
                n++;
                bytes += entry.value == null ? 0 : entry.value.length;
                heads += states && entry.value != null ? historyHeadBytes(entry.value) : 0;
            }
        }
        return new double[] {n, n == 0 ? 0 : bytes / (double) n, n == 0 ? 0 : heads / (double) n};
    }

    /** Bytes of the history head a state value holds (0 when it is not a state value of format 5 or later). */
    static int historyHeadBytes(byte[] value) {
        try {
            byte[] head = DetectorStateBytes.historyHead(value);
            return head == null ? 0 : head.length;
        } catch (BadBytesException e) {
            return 0;
        }
    }

    /** Records the application's producers sent to {@code topic} so far (their per-topic send counts). */
    static long sentTo(KafkaStreams streams, String topic) {
        return Math.round(sum(streams, n -> n.name().equals("record-send-total")
                && n.group().equals("producer-topic-metrics") && topic.equals(n.tags().get("topic"))));
    }

    /**
     * {memtable bytes, block cache bytes used, block cache capacity} of the application's RocksDB stores, from Kafka
     * Streams' RocksDB metrics: memtables summed over the stores; the cache summed too, or, when every store shares one
     * ({@code shared}), that cache's figures once.
     */
    static double[] rocksDbMemory(KafkaStreams streams, boolean shared) {
        double[] out = new double[3];
        String[] names = {"size-all-mem-tables", "block-cache-usage", "block-cache-capacity"};
        for (int i = 0; i < names.length; i++) {
            String metric = names[i];
            Predicate<MetricName> which = n -> n.group().equals("stream-state-metrics") && n.name().equals(metric);
            out[i] = i > 0 && shared ? max(streams, which) : sum(streams, which);
        }
        return out;
    }

    /** The sum of the application's numeric metrics {@code which} accepts (0 when none). */
    static double sum(KafkaStreams streams, Predicate<MetricName> which) {
        return values(streams, which).sum();
    }

    /** The largest of the application's numeric metrics {@code which} accepts (0 when none). */
    static double max(KafkaStreams streams, Predicate<MetricName> which) {
        return values(streams, which).max().orElse(0);
    }

    private static DoubleStream values(KafkaStreams streams, Predicate<MetricName> which) {
        return streams.metrics().entrySet().stream()
                .filter(e -> which.test(e.getKey()) && e.getValue().metricValue() instanceof Number)
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue());
    }

    /** Heap used after two requested full collections. */
    static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
