package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.detect.DetectorStateBytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * How many keys of a running application have an alert open now, counted from its local detector-state stores
 * through interactive queries (so each instance counts its own keys; sum over instances for the whole fleet).
 * The count reads every key's state (its checksum and one byte of it): O(keys) per call, for a metrics scrape, not
 * for every event.
 */
public final class AlertsOpen {
    private AlertsOpen() {
    }

    /**
     * Keys with an alert open in {@code topology}'s local stores or, for a key whose state is held behind its events,
     * in the state held ({@code held}); NaN while the stores cannot be queried.
     */
    public static double count(KafkaStreams streams, String topology, HeldStates held) {
        String store = new TopologyNames(topology).stateStore();
        long[] open = {0};
        java.util.Set<String> heldKeys = held.visit((key, state) -> open[0] += state.score().alertOpen() ? 1 : 0);
        try (KeyValueIterator<String, byte[]> all = StoredKeyReader.store(streams, store).all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (heldKeys.contains(entry.key)) {
                    continue;
                }
                try {
                    if (DetectorStateBytes.alertOpen(entry.value)) {
                        open[0]++;
                    }
                } catch (BadBytesException e) {
                    // an unreadable state is restarted at the key's next event; it has no open alert
                }
            }
        } catch (InvalidStateStoreException e) {
            return Double.NaN;
        }
        return open[0];
    }
}
