package dev.vigil.detect;

import dev.vigil.score.AlertReason;
import dev.vigil.score.AlertTransition;

/**
 * The outcome of one event for one key.
 *
 * @param timestamp       event time, epoch ms
 * @param values          the reading, raw units
 * @param prediction      what the key's model (or, before the first model, the last reading) predicted for
 *                        this reading, raw units; null for the key's first event, for rejected events and after a
 *                        gap ({@code scoring.gapFactor}: a prediction made before it is not judged)
 * @param residual        reading minus prediction per channel, raw units; null when prediction is null
 * @param rawScore        combined scaled prediction error, [0, 1)
 * @param likelihoodScore calibrated likelihood of the recent error level, [0, 1]
 * @param patternScore    calibrated score of the recent pattern surprise, [0, 1] (0 with the pattern signal off)
 * @param anomalyScore    the reported anomaly score, [0, 1], comparable across keys
 * @param warmup          the key is still warming up: score 0, no alerts
 * @param modelVersion    version of the model that made the prediction (0: none yet)
 * @param outsideRange    the reading left the range seen so far
 * @param transition      alert opened/closed by this event
 * @param alertOpen       whether the key has an open alert after this event
 * @param topChannels     channels contributing most to the error, most first
 * @param stateReset      the hidden state went non-finite and was reset at this event
 * @param alertReason     on an alert transition, the rule that opened it or why it closed; else null
 * @param alertDetail     one line explaining {@code alertReason}; else null
 * @param alertDetailChannel the channel {@code alertDetail} is about, for whoever names channels; -1 when it is about
 *                        none in particular or the key has one channel
 * @param refusal         why the event was refused (state untouched), or null when accepted ({@link #accepted()})
 */
public record DetectorResult(
        long timestamp,
        double[] values,
        double[] prediction,
        double[] residual,
        double rawScore,
        double likelihoodScore,
        double patternScore,
        double anomalyScore,
        boolean warmup,
        long modelVersion,
        boolean outsideRange,
        AlertTransition transition,
        boolean alertOpen,
        int[] topChannels,
        boolean stateReset,
        AlertReason alertReason,
        String alertDetail,
        int alertDetailChannel,
        Refusal refusal) {

    public boolean accepted() {
        return refusal == null;
    }

    /** The result of an event refused for {@code refusal}: the key's state as it was, no prediction, score 0. */
    public static DetectorResult rejected(Event event, DetectorState state, Refusal reason) {
        return new DetectorResult(event.timestamp(), event.values(), null, null, 0, 0, 0, 0,
                false, state.modelVersion(), false, AlertTransition.NONE, state.score().alertOpen(),
                new int[0], false, null, null, -1, reason);
    }
}
