package dev.vigil.score;

/** Which rule opened an alert, or why it closed: the explanation an alert record carries. */
public enum AlertReason {
    /** A reading left the range the key has seen so far (by more than {@code spatialTolerance} of it). */
    RANGE("range"),
    /** A run of exactly repeated readings, improbable for this key: a stuck sensor. */
    STUCK_SENSOR("stuck-sensor"),
    /** The recent prediction error is far above what is usual for this key (the likelihood score). */
    PREDICTION_ERROR("prediction-error"),
    /** The recent readings form sequences unusual for this key (the pattern score), whatever their size. */
    PATTERN("pattern"),
    /** The recent level of the readings has moved far from the key's usual (the drift score). */
    DRIFT("drift"),
    /** One or two readings stood out from the readings either side of them further than any before (the spike rule). */
    SPIKE("spike"),
    /** The recent readings stopped following the key's usual daily rhythm (the rhythm score). */
    RHYTHM("rhythm"),
    /** {@code quietEvents} calm events in a row closed the alert. */
    CALM("calm"),
    /** The key sent no event for its topology's {@code keyIdleExpiryMs} and was forgotten, its open alert closed. */
    EXPIRED("expired"),
    /** The key was forgotten at a request on the input topic ({@code vigil forget}), its open alert closed. */
    DELETED("deleted");

    private final String label;

    AlertReason(String label) {
        this.label = label;
    }

    /** The name in alert records. */
    public String label() {
        return label;
    }
}
