package dev.vigil.app.http;

import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.stream.AlertsOpen;
import dev.vigil.stream.HeldStates;
import dev.vigil.stream.KeyCounts;
import dev.vigil.stream.ModelGeneration;
import dev.vigil.stream.StoredKeyReader;
import dev.vigil.stream.TopologyNames;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.util.Set;
import java.util.TreeSet;

/**
 * One running topology as the HTTP endpoint sees it: its settings (for store names, channel names and the
 * warm-up length), its Kafka Streams application (for state, metrics and interactive queries), the count of the
 * keys its detectors hold here and the states they hold behind their events ({@code states.replayEvents}), which
 * queries read before the stores.
 */
public record ServedTopology(TopologyConfig topology, DetectorConfig detector, KafkaStreams streams, KeyCounts keys,
                             HeldStates held) {
    /** A topology whose detectors write every state at its event. */
    public ServedTopology(TopologyConfig topology, DetectorConfig detector, KafkaStreams streams, KeyCounts keys) {
        this(topology, detector, streams, keys, new HeldStates());
    }

    /** A topology whose key count is not kept (it reads 0). */
    public ServedTopology(TopologyConfig topology, DetectorConfig detector, KafkaStreams streams) {
        this(topology, detector, streams, new KeyCounts());
    }

    public String name() {
        return topology.name();
    }

    public TopologyNames names() {
        return new TopologyNames(topology.name());
    }

    /**
     * Model payloads in this instance's model stores (its active tasks' partitions of the models topic, a shared
     * model once per partition), exact: the sum of the counts each store's {@link ModelGeneration} entry keeps (one
     * small read per partition, no payload). A store an earlier release wrote has no count until its next change;
     * while one has none, RocksDB's estimate of all of them (above the count after overwrites). NaN while not
     * queryable.
     */
    public double modelsHeld() {
        try {
            Set<Integer> partitions = new TreeSet<>();
            for (var thread : streams.metadataForLocalThreads()) {
                for (var task : thread.activeTasks()) {
                    for (var tp : task.topicPartitions()) {
                        if (tp.topic().equals(topology.modelsTopic())) {
                            partitions.add(tp.partition());
                        }
                    }
                }
            }
            long held = 0;
            for (int partition : partitions) {
                long models = ModelGeneration.models(StoredKeyReader.store(streams, names().modelStore(), partition)
                        .get(ModelGeneration.KEY));
                if (models == ModelGeneration.UNKNOWN) {
                    // a store of an earlier release, until its first change: RocksDB's estimate of every store
                    return StoredKeyReader.store(streams, names().modelStore()).approximateNumEntries();
                }
                held += models;
            }
            return held;
        } catch (InvalidStateStoreException e) {
            return Double.NaN;
        }
    }

    /** Keys of this instance with an alert open now (O(keys): reads every key's state), NaN while not queryable. */
    public double alertsOpen() {
        return AlertsOpen.count(streams, name(), held);
    }
}
