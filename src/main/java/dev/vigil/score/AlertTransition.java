package dev.vigil.score;

/** What an event did to its key's alert. */
public enum AlertTransition {
    /** Nothing changed. */
    NONE,
    /** The score reached the threshold with no alert open: an alert opens at this event. */
    OPENED,
    /** The alert had been quiet for the configured number of events and closes at this event. */
    CLOSED
}
