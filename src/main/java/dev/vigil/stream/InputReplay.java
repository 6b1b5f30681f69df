package dev.vigil.stream;

import org.apache.kafka.common.header.Headers;

/**
 * Reads a stretch of a detector task's input partition again, for a task that restarts with key states written
 * behind their events ({@code states.replayEvents}, {@link DetectorStores}): the events after the oldest state not
 * written are read back and run through the key lifecycle, whose outputs went out before the restart.
 */
public interface InputReplay {
    /** One record of the input, as the task's source would have given it. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param key       the record's key, null when it is not UTF-8 (the source refused it)
         * @param value     the record's value
         * @param timestamp the record's timestamp
         * @param offset    its offset in the partition
         * @param headers   its headers
         */
        void accept(String key, byte[] value, long timestamp, long offset, Headers headers);
    }

    /**
     * Gives {@code sink} every committed record of {@code topic}-{@code partition} from offset {@code from} up to, not
     * including, {@code to}, in order; returns the offset it started from, which is after {@code from} when the topic
     * no longer holds the records there (its retention deleted them).
     *
     * @throws IllegalStateException when the records cannot be read
     */
    long read(String topic, int partition, long from, long to, Sink sink);
}
