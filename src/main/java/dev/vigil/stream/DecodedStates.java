package dev.vigil.stream;

import dev.vigil.config.AppConfig;
import dev.vigil.detect.DetectorState;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The decoded detector states of one Vigil instance, as its detectors last saved them, bounded by an estimate of
 * their heap bytes (a {@link ClockCache}, {@code states.cache.bytes}): a key whose state is held is scored from it
 * without reading and decoding its state value, the store's get and the codec having been 9% of the stream thread's
 * work per event at 1,000 keys and 18% at 100,000 (JFR, JDK 25; {@code bench fleet} at 100,000 keys: 30% less stream
 * thread per event with it). The cache only ever saves reads: what it holds is what the store holds. With states
 * written behind ({@link WriteBehind}) the keys with events coming are held by their tasks instead, counted here
 * ({@link #held}) against as much again as the bound, and come here when written and quiet.
 *
 * <p>An entry is valid only while the detector that saved it runs its task: each {@link DetectorStores} is an owner
 * with an id of its own ({@link #newOwner}, at its processor's {@code init}), and drops its entries when its processor
 * closes (a rebalance, a task closed dirty and revived after an aborted transaction: Kafka Streams closes and
 * re-initialises the processor, whose new owner finds nothing), so a task that moved away and back, or whose stores
 * were restored from the changelog, is read from its store again. A key whose event was refused or failed after its
 * state was loaded is dropped ({@link #forget}): the cached object may have moved on without being saved. Shared by
 * every detector of an instance; thread-safe (a key belongs to one task, so its entry is used by one thread at a
 * time).
 */
public final class DecodedStates extends DecodedCache<DecodedStates.Key, DecodedStates.Held> {
    /**
     * Heap of an entry besides the state: the map node, the clock's slot, the key and records. With {@link
     * #STATE_HEAP_PER_STORED_BYTE} it estimated 1,810 bytes for the default state of 891 stored bytes (H=32, one
     * channel, a mature key), where 1,670 were measured per decoded state (5,000 decoded, heap after GC) plus about
     * 170 of entry, before the open block's room ({@link #OPEN_BLOCK_ROOM_BYTES}).
     */
    static final long ENTRY_OVERHEAD_BYTES = 384;
    /**
     * The room of a history head's open block beyond the readings stored, per channel and for the timestamps: a head
     * is updated in place with room for a block ({@code 32 × (8 + 8d)} bytes at d channels), half of it stored on
     * average: {@code 128 + 128d} bytes (256 at one channel).
     */
    static final long OPEN_BLOCK_ROOM_BYTES = 128;
    /** Estimated heap per byte of the stored value (state and history head): 1.6. */
    static final double STATE_HEAP_PER_STORED_BYTE = 1.6;

    private static final AtomicLong OWNERS = new AtomicLong();
    /** Estimated heap of the states the instance's detectors hold behind their events ({@link WriteBehind}). */
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicLong heldEntries = new AtomicLong();

    /** A key of one owner. */
    record Key(long owner, String key) {
    }

    /**
     * A key's state and the head of its history ring, as last saved, and the input offset of the latest event the state
     * holds ({@link dev.vigil.detect.DetectorStateCodec#NO_OFFSET}: not known).
     */
    record Held(DetectorState state, HistoryHead head, long offset) {
    }

    /**
     * @param maxBytes the bound on the estimated heap of the cached states, {@code states.cache.bytes}:
     *                 0..{@value AppConfig#MAX_STATE_CACHE_BYTES} (0 caches nothing)
     */
    public DecodedStates(long maxBytes) {
        super("states.cache.bytes", AppConfig.MAX_STATE_CACHE_BYTES, maxBytes);
    }

    /** An id no other owner of any instance of this class in the JVM has had. */
    static long newOwner() {
        return OWNERS.incrementAndGet();
    }

    /** The estimated heap of an entry of a key of {@code channels} whose stored value has {@code storedBytes}. */
    static long entryBytes(int storedBytes, int channels) {
        return ENTRY_OVERHEAD_BYTES + OPEN_BLOCK_ROOM_BYTES * (1 + channels)
                + (long) Math.ceil(STATE_HEAP_PER_STORED_BYTE * storedBytes);
    }

    /** What {@code owner} last saved for {@code key}, or null. */
    Held get(long owner, String key) {
        return cache.get(new Key(owner, key));
    }

    /**
     * Holds {@code state} and {@code head} as {@code owner} just saved them for {@code key} ({@code storedBytes}), with
     * the input offset of its latest event.
     */
    void put(long owner, String key, DetectorState state, HistoryHead head, long offset, int storedBytes) {
        cache.put(new Key(owner, key), new Held(state, head, offset), entryBytes(storedBytes, state.channels()));
    }

    /**
     * Counts {@code entries} states (negative: releases them) of {@code bytes} that a detector holds behind its
     * events, and returns whether the instance's held states are now over their bound: as much again as the cache's,
     * so that states written behind at most double what {@code states.cache.bytes} allows.
     */
    boolean held(int entries, long bytes) {
        heldEntries.addAndGet(entries);
        return heldBytes.addAndGet(bytes) > maxBytes();
    }

    /** The states the instance's detectors hold behind their events now. */
    public long heldEntries() {
        return heldEntries.get();
    }

    /** Whether the states the instance's detectors hold behind their events are over their bound ({@link #held}). */
    boolean heldOver() {
        return heldBytes.get() > maxBytes();
    }

    /** The estimated heap of the states the instance's detectors hold behind their events now. */
    public long heldBytes() {
        return heldBytes.get();
    }

    /** Drops {@code owner}'s entry for {@code key}, if any. */
    void forget(long owner, String key) {
        cache.remove(new Key(owner, key));
    }

    /** Drops every entry of {@code owner}. */
    void forgetAll(long owner) {
        cache.removeIf(k -> k.owner() == owner);
    }
}
