package dev.vigil.app.demo;

/**
 * One anomaly the demo injects into a sensor: its kind and the event indices it covers.
 *
 * @param sensor  sensor key
 * @param kind    what is injected
 * @param start   first affected event index (inclusive)
 * @param end     last affected event index (inclusive)
 */
public record InjectedAnomaly(String sensor, Kind kind, int start, int end) {
    /** Kinds of injected anomalies. */
    public enum Kind {
        /** One reading far off. */
        SPIKE,
        /** The level jumps and stays. */
        LEVEL_SHIFT,
        /** The level creeps away, linearly. */
        DRIFT,
        /** The reading stops changing (a stuck sensor). */
        FROZEN
    }

    /** Whether an alert opened at {@code index} counts as catching this anomaly ({@code grace} events late at most). */
    public boolean covers(int index, int grace) {
        return index >= start && index <= end + grace;
    }
}
