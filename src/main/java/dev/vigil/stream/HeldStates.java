package dev.vigil.stream;

import dev.vigil.detect.DetectorState;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The states one topology's detector tasks in this instance hold behind their events ({@code states.replayEvents},
 * {@link WriteBehind}), for queries: what the state store would hold for such a key had its state been written. Each
 * task registers at its start with a lock its stream thread holds while it processes a record or punctuates; a query
 * takes it to read a held state, so it reads one between two events, never during one. Before the instance closes its
 * Streams application it asks every task to write what it holds ({@link #drain}), so that the close's last commit holds
 * every event's state and the next start replays nothing. Thread-safe.
 */
public final class HeldStates {
    /** Wall time between a task's checks for a request to write what it holds ({@link #drain}). */
    static final long DRAIN_CHECK_MS = 200;

    /** One task's held states and its lock. */
    static final class Task {
        final ReentrantLock lock = new ReentrantLock();
        private final DetectorStores stores;
        /** The task wrote what it held and writes every state at its event from here on. */
        volatile boolean drained;

        private Task(DetectorStores stores) {
            this.stores = stores;
        }
    }

    private final Map<Integer, Task> byPartition = new ConcurrentHashMap<>();
    private volatile boolean draining;

    /** Registers the task of {@code partition}, whose stores hold states behind; replaces any it had. */
    Task register(int partition, DetectorStores stores) {
        Task task = new Task(stores);
        byPartition.put(partition, task);
        return task;
    }

    /** The task of {@code partition} closes (its partition may move away). */
    void unregister(int partition, Task task) {
        byPartition.remove(partition, task);
    }

    /** The tasks here that hold states behind their events. */
    public int tasks() {
        return byPartition.size();
    }

    /** Whether the instance asked its tasks to write what they hold ({@link #drain}). */
    boolean draining() {
        return draining;
    }

    /** Asks every task of this topology here to write what it holds, as {@link #drain} does, without waiting. */
    public void askToDrain() {
        draining = true;
    }

    /**
     * Asks every task of this topology here to write the states it holds and to write every state at its event from
     * then on (each does at its next record, or within {@value #DRAIN_CHECK_MS} ms by its wall-clock punctuation), and
     * waits until all have, or until {@code timeout} passed; returns the tasks that had not by then (0: all had).
     * Called by the closing instance before it closes its Streams application, whose last commit then holds them.
     */
    public int drain(java.time.Duration timeout) throws InterruptedException {
        askToDrain();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int left = (int) byPartition.values().stream().filter(t -> !t.drained).count();
            if (left == 0 || System.nanoTime() > deadline) {
                return left;
            }
            Thread.sleep(DRAIN_CHECK_MS / 4);
        }
    }

    /** The state store value of {@code key} held by the task of {@code partition} here, or null when it holds none. */
    public byte[] value(int partition, String key) {
        return read(partition, key, value -> value).orElse(null);
    }

    /**
     * {@code reader} applied to the state store value of {@code key} held by the task of {@code partition} here, under
     * the task's lock (so what it reads of the task's other stores, such as the key's history blocks, is of the same
     * moment); empty when the task holds no state of the key behind.
     */
    public <T> Optional<T> read(int partition, String key, Function<byte[], T> reader) {
        Task task = byPartition.get(partition);
        if (task == null) {
            return Optional.empty();
        }
        task.lock.lock();
        try {
            byte[] value = task.stores.heldValue(key);
            return value == null ? Optional.empty() : Optional.ofNullable(reader.apply(value));
        } finally {
            task.lock.unlock();
        }
    }

    /**
     * Hands each held key and its state to {@code visitor}, a task at a time under its lock (so the visitor reads the
     * state, quickly, and keeps nothing of it); returns the keys visited.
     */
    public Set<String> visit(BiConsumer<String, DetectorState> visitor) {
        Set<String> keys = new HashSet<>();
        for (Task task : byPartition.values()) {
            task.lock.lock();
            try {
                task.stores.visitHeld((key, state) -> {
                    keys.add(key);
                    visitor.accept(key, state);
                });
            } finally {
                task.lock.unlock();
            }
        }
        return keys;
    }
}
