package dev.vigil.app.bench;

import dev.vigil.BadBytesException;
import dev.vigil.detect.DetectorStateCodec;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.lang.management.ManagementFactory;
import java.util.Map;

/** What {@link FleetBenchmark} reads off a running application: its stores' sizes, its sends, the heap. Stateless. */
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
            byte[] head = DetectorStateCodec.historyHead(value);
            return head == null ? 0 : head.length;
        } catch (BadBytesException e) {
            return 0;
        }
    }

    /** Records the application's producers sent to {@code topic} so far (their per-topic send counts). */
    static long sentTo(KafkaStreams streams, String topic) {
        double sent = 0;
        for (Map.Entry<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> metric
                : streams.metrics().entrySet()) {
            org.apache.kafka.common.MetricName name = metric.getKey();
            if (name.name().equals("record-send-total") && name.group().equals("producer-topic-metrics")
                    && topic.equals(name.tags().get("topic"))
                    && metric.getValue().metricValue() instanceof Number n) {
                sent += n.doubleValue();
            }
        }
        return Math.round(sent);
    }

    /**
     * {memtable bytes, block cache bytes used, block cache capacity} of the application's RocksDB stores, from Kafka
     * Streams' RocksDB metrics: memtables summed over the stores; the cache summed too, or, when every store shares one
     * ({@code shared}), that cache's figures once.
     */
    static double[] rocksDbMemory(KafkaStreams streams, boolean shared) {
        double[] out = new double[3];
        for (Map.Entry<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> metric
                : streams.metrics().entrySet()) {
            org.apache.kafka.common.MetricName name = metric.getKey();
            if (!name.group().equals("stream-state-metrics")
                    || !(metric.getValue().metricValue() instanceof Number n)) {
                continue;
            }
            int i = switch (name.name()) {
                case "size-all-mem-tables" -> 0;
                case "block-cache-usage" -> 1;
                case "block-cache-capacity" -> 2;
                default -> -1;
            };
            if (i >= 0) {
                out[i] = i > 0 && shared ? Math.max(out[i], n.doubleValue()) : out[i] + n.doubleValue();
            }
        }
        return out;
    }

    /** Heap used after two requested full collections. */
    static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
