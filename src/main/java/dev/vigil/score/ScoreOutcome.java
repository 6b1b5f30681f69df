package dev.vigil.score;

/**
 * What scoring made of one event.
 *
 * @param residual          reading minus prediction per channel, raw units (null when there was no prediction)
 * @param scaledResidual    residual divided by the channel's online scale (null when there was no prediction)
 * @param rawScore          combined scaled prediction error r mapped to [0, 1) as r/(1+r)
 * @param likelihoodScore   calibrated score of the recent error level against the key's history, [0, 1]
 * @param patternScore      calibrated score of the recent pattern surprise ({@link PatternSurprise}), [0, 1];
 *                          0 when the pattern signal is off
 * @param outsideRange      the reading left the range seen so far by more than the tolerance
 * @param anomalyScore      the score reported for the event, [0, 1]: 0 in warm-up, 1 outside range, the
 *                          larger of the likelihood and pattern scores otherwise, held at the repeat level while an alert is already open
 * @param transition        what the event did to the alert
 * @param alertOpen         whether an alert is open after this event
 * @param topChannels       channel indices by decreasing |scaled residual| (at most 3; empty without prediction)
 * @param reason            on OPENED the rule that opened the alert, on CLOSED {@link AlertReason#CALM}; else null
 * @param detail            one line explaining {@code reason} with this event's numbers; null when reason is null
 * @param detailChannel     the channel {@code detail} is about (the one that left its range, missed its prediction
 *                          most, drifted most or lost most of its daily swing), for whoever names channels; -1
 *                          when it is about none in particular or the key has one channel
 */
public record ScoreOutcome(
        double[] residual,
        double[] scaledResidual,
        double rawScore,
        double likelihoodScore,
        double patternScore,
        boolean outsideRange,
        double anomalyScore,
        AlertTransition transition,
        boolean alertOpen,
        int[] topChannels,
        AlertReason reason,
        String detail,
        int detailChannel) {
}
