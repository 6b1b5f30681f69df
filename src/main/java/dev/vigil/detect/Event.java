package dev.vigil.detect;

/**
 * One reading of one key: event time in epoch milliseconds and one value per channel (raw units).
 * The array is owned by the event; callers must not modify it afterwards.
 */
public record Event(long timestamp, double[] values) {
    public static Event of(long timestamp, double... values) {
        return new Event(timestamp, values);
    }
}
