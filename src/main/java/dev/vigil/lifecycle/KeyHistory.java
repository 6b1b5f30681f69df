package dev.vigil.lifecycle;

import dev.vigil.detect.HistoryWindow;

/** The keys' history windows as a {@link KeyLifecycle} reads and extends them (the stream's stores; a replay's map). */
public interface KeyHistory {
    /** The key's whole window, oldest first (empty for a new key). */
    HistoryWindow load(String key);

    /**
     * Appends an accepted reading to the key's window.
     *
     * @param loaded the window this event already loaded (to be extended as it is), or null
     * @return readings in the window now
     */
    int append(String key, long timestamp, double[] reading, HistoryWindow loaded);
}
