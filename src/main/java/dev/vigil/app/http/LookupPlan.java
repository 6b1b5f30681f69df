package dev.vigil.app.http;

import org.apache.kafka.streams.state.HostInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where to look for a key, in order. Kafka Streams says where the Java client's partitioner (murmur2) puts the key;
 * a producer with another partitioner (librdkafka's default, {@code consistent_random}, is CRC32) may have put its
 * events in another partition. So: the instance holding the key's Java-hash partition first, reading that partition
 * first (one store read when the producer used murmur2) and then its other partitions; then this instance's other
 * partitions; then the other instances' partitions. Each instance appears once, with all of its partitions to
 * read. Pure; the caller runs the probes, stopping at the first that finds the key.
 */
final class LookupPlan {
    /** Look for the key in {@code partitions} of the store on {@code host}, in that order. */
    record Probe(HostInfo host, List<Integer> partitions) {
        Probe {
            partitions = List.copyOf(partitions);
        }
    }

    private LookupPlan() {
    }

    /**
     * The probes for a key.
     *
     * @param self        this instance
     * @param direct      the key's partition by the Java client's partitioner
     * @param directOwner the instance holding {@code direct}
     * @param hosted      the store's partitions each instance holds (active); empty for the direct partition alone
     */
    static List<Probe> of(HostInfo self, int direct, HostInfo directOwner, Map<HostInfo, Set<Integer>> hosted) {
        List<HostInfo> order = new ArrayList<>();
        order.add(directOwner);
        if (!self.equals(directOwner) && hosted.containsKey(self)) {
            order.add(self);
        }
        hosted.keySet().stream().filter(h -> !order.contains(h))
                .sorted(Comparator.comparing(HostInfo::host).thenComparingInt(HostInfo::port)).forEach(order::add);
        List<Probe> probes = new ArrayList<>();
        for (HostInfo host : order) {
            List<Integer> partitions = new ArrayList<>();
            if (host.equals(directOwner)) {
                partitions.add(direct);
            }
            hosted.getOrDefault(host, Set.of()).stream().filter(p -> p != direct).sorted().forEach(partitions::add);
            if (!partitions.isEmpty()) {
                probes.add(new Probe(host, partitions));
            }
        }
        return probes;
    }
}
