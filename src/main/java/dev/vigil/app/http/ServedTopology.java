package dev.vigil.app.http;

import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.stream.AlertsOpen;
import dev.vigil.stream.StoredKeyReader;
import dev.vigil.stream.TopologyNames;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * One running topology as the HTTP endpoint sees it: its settings (for store names, channel names and the
 * warm-up length) and its Kafka Streams application (for state, metrics and interactive queries).
 */
public record ServedTopology(TopologyConfig topology, DetectorConfig detector, KafkaStreams streams) {
    public String name() {
        return topology.name();
    }

    public TopologyNames names() {
        return new TopologyNames(topology.name());
    }

    /**
     * Model payloads in this instance's model stores (its active tasks' partitions of the models topic, a shared
     * model once per partition, plus one bookkeeping entry per partition), as RocksDB estimates it: exact while keys
     * are only added, above the count after overwrites (new versions) until RocksDB compacts. NaN while not
     * queryable. Cheap: no entry is read.
     */
    public double modelsHeld() {
        try {
            return StoredKeyReader.store(streams, names().modelStore()).approximateNumEntries();
        } catch (InvalidStateStoreException e) {
            return Double.NaN;
        }
    }

    /** Keys of this instance with an alert open now (O(keys): reads every key's state), NaN while not queryable. */
    public double alertsOpen() {
        return AlertsOpen.count(streams, name());
    }
}
