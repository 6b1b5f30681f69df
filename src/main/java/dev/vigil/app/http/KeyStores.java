package dev.vigil.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.BadBytesException;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lifecycle.ModelScope;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.stream.StoredKeyReader;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A served topology's per-key stores (detector state, history) as interactive queries see them: which instance
 * holds which of their partitions, and a key read from given partitions of this instance, one partition's store at
 * a time ({@link StoreQueryParameters#withPartition}). The stores' partitions are those of the detector's source:
 * the input topic, or the repartition topic of a topology with a key field. Thread-safe.
 */
final class KeyStores {
    private final ServedTopology topology;
    private final String self;
    private final String repartitionSuffix;

    /** @param self this instance's advertised {@code host:port}, named in the answers */
    KeyStores(ServedTopology topology, String self) {
        this.topology = topology;
        this.self = self;
        this.repartitionSuffix = "-" + topology.names().repartition() + "-repartition";
    }

    /**
     * The partitions of {@code store} each instance holds as active (instances holding none are left out).
     *
     * @throws org.apache.kafka.streams.errors.StreamsException while the application is not running or rebalancing
     */
    Map<HostInfo, Set<Integer>> hosted(String store) {
        Map<HostInfo, Set<Integer>> hosted = new HashMap<>();
        for (StreamsMetadata instance : topology.streams().streamsMetadataForStore(store)) {
            Set<Integer> partitions = new TreeSet<>();
            for (TopicPartition tp : instance.topicPartitions()) {
                if (isStoreSource(tp.topic())) {
                    partitions.add(tp.partition());
                }
            }
            if (!partitions.isEmpty()) {
                hosted.put(instance.hostInfo(), partitions);
            }
        }
        return hosted;
    }

    private boolean isStoreSource(String topic) {
        return topology.topology().keyField() == null ? topic.equals(topology.topology().inputTopic())
                : topic.endsWith(repartitionSuffix);
    }

    /**
     * The key's state (or history) read from {@code partitions} of {@code store} here, in order, the first found:
     * 200 with it; 404 (unknown key) when every partition was read and none holds the key; 503 when some of them are
     * not held here (moving between instances) or not queryable yet; 500 when the stored bytes do not decode.
     *
     * @param here        the partitions of {@code store} this instance holds
     * @param forwardedBy the instance that forwarded the request here, or null
     */
    SensorAnswer read(String store, String key, boolean history, List<Integer> partitions, Set<Integer> here,
                      String forwardedBy) {
        List<Integer> absent = new ArrayList<>();
        for (int partition : partitions) {
            if (!here.contains(partition)) {
                absent.add(partition);
                continue;
            }
            JsonNode body;
            try {
                body = read(store, key, history, partition);
            } catch (InvalidStateStoreException e) {
                return SensorAnswer.unavailable("store " + store + " is not queryable here yet: " + e.getMessage());
            } catch (BadBytesException e) {
                return SensorAnswer.error(500, "stored bytes of key '" + key + "' do not decode: " + e.getMessage());
            }
            if (body != null) {
                return SensorAnswer.json(200, body);
            }
        }
        if (!absent.isEmpty()) {
            return SensorAnswer.unavailable("partition(s) " + absent + " of " + store + " are not on this instance ("
                    + (forwardedBy == null ? "" : forwardedBy + " sent the request here; ")
                    + "moving between instances)");
        }
        return unknownKey(key);
    }

    /** The one 404 for a key found nowhere. */
    SensorAnswer unknownKey(String key) {
        return SensorAnswer.error(404, "unknown key '" + key + "' in topology " + topology.name());
    }

    /**
     * The key's answer body from one partition's store, or null when that partition does not hold it; a state the
     * partition's task holds behind its events ({@code states.replayEvents}) is read as the store would hold it.
     */
    private JsonNode read(String store, String key, boolean history, int partition) {
        ReadOnlyKeyValueStore<String, byte[]> view = StoredKeyReader.store(topology.streams(), store, partition);
        if (history) {
            // the history's head is kept with the state; a held one's blocks are read under its task's lock
            ReadOnlyKeyValueStore<String, byte[]> states = StoredKeyReader.store(topology.streams(),
                    topology.names().stateStore(), partition);
            HistoryWindow w = topology.held().read(partition, key,
                            held -> StoredKeyReader.history(new HeldValueView(states, key, held), view, key))
                    .orElseGet(() -> StoredKeyReader.history(states, view, key));
            return w == null ? null : SensorJson.history(topology, key, self, partition, w);
        }
        byte[] held = topology.held().value(partition, key);
        DetectorState s = held != null ? dev.vigil.detect.DetectorStateCodec.decode(held)
                : StoredKeyReader.state(view, key);
        if (s == null) {
            return null;
        }
        ObjectNode out = SensorJson.state(topology, key, self, partition, s);
        SensorJson.model(out, key, storedModel(key, s, partition));
        return out;
    }

    /**
     * The model stored for the key in the model store of its partition: its own or, for a key without one (shared
     * scope, or a cold start on the shared model), the topology's shared model; null when there is none. The one a
     * swap puts in force at the key's next swap point, so its version may be ahead of the state's. A payload that
     * does not decode (the updater stores none such) reads as none rather than failing the key's lookup.
     */
    private LstmModel storedModel(String key, DetectorState s, int partition) {
        ReadOnlyKeyValueStore<String, byte[]> models = StoredKeyReader.store(topology.streams(),
                topology.names().modelStore(), partition);
        byte[] bytes = s.coldStart() ? null : models.get(key);
        if (bytes == null) {
            bytes = models.get(ModelScope.SHARED_MODEL_ID);
        }
        try {
            return bytes == null ? null : ModelCodec.decode(bytes);
        } catch (BadBytesException e) {
            return null;
        }
    }
}
