package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.HistoryWindow;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads one key's detector state and history window from read-only views of a topology's per-key stores
 * ({@link TopologyNames#stateStore()}, {@link TopologyNames#historyStore()}), as interactive queries return them,
 * in the layouts {@link DetectorProcessor} writes ({@link DetectorStateCodec}, {@link HistoryRing}). Stateless;
 * thread-safe as far as the stores are.
 */
public final class StoredKeyReader {
    private StoredKeyReader() {
    }

    /**
     * The key's stored state, or null when the store holds none.
     *
     * @throws BadBytesException when the stored bytes do not decode
     */
    public static DetectorState state(ReadOnlyKeyValueStore<String, byte[]> states, String key) {
        byte[] bytes = states.get(key);
        return bytes == null ? null : DetectorStateCodec.decode(bytes);
    }

    /**
     * The key's stored history window, oldest reading first, or null when the stores hold none. Read while the
     * stream thread may be appending to it ({@link HistoryRing#readConcurrently}): readings overwritten during the
     * read are left out.
     *
     * @param states    the state store of the same partition(s), which holds the history's head with each state
     * @param histories the history store
     * @throws BadBytesException when the head or a reading does not decode
     */
    public static HistoryWindow history(ReadOnlyKeyValueStore<String, byte[]> states,
                                        ReadOnlyKeyValueStore<String, byte[]> histories, String key) {
        return new HistoryRing(histories).readConcurrently(key, states);
    }

    /**
     * The read-only view of one of {@code streams}' key-value stores (all its local partitions), as interactive
     * queries give it.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the store cannot be queried
     */
    public static ReadOnlyKeyValueStore<String, byte[]> store(KafkaStreams streams, String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore()));
    }

    /**
     * The read-only view of one partition of one of {@code streams}' key-value stores.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while that partition is not queryable here
     */
    public static ReadOnlyKeyValueStore<String, byte[]> store(KafkaStreams streams, String name, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore())
                .withPartition(partition));
    }
}
