package dev.vigil.app.http;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A state store's read-only view with one key's value replaced by the state its task holds behind its events
 * ({@code states.replayEvents}), for reading that key's history with the head held with it. Only {@link #get} of that
 * key differs; the rest is the store's.
 */
final class HeldValueView implements ReadOnlyKeyValueStore<String, byte[]> {
    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final String key;
    private final byte[] value;

    HeldValueView(ReadOnlyKeyValueStore<String, byte[]> store, String key, byte[] value) {
        this.store = store;
        this.key = key;
        this.value = value;
    }

    @Override
    public byte[] get(String k) {
        return key.equals(k) ? value : store.get(k);
    }

    @Override
    public KeyValueIterator<String, byte[]> range(String from, String to) {
        return store.range(from, to);
    }

    @Override
    public KeyValueIterator<String, byte[]> all() {
        return store.all();
    }

    @Override
    public long approximateNumEntries() {
        return store.approximateNumEntries();
    }
}
