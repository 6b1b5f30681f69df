package dev.vigil.app.http;

import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.stream.AlertsOpen;
import dev.vigil.stream.TopologyNames;
import org.apache.kafka.streams.KafkaStreams;

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

    /** Keys of this instance with an alert open now (O(keys): reads every key's state), NaN while not queryable. */
    public double alertsOpen() {
        return AlertsOpen.count(streams, name());
    }
}
