package dev.vigil.lifecycle;

import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Refusal;

/** What {@link KeyLifecycle#process} made of one event: scored, or refused with the key's state untouched. */
public sealed interface KeyOutcome {
    /**
     * An accepted event.
     *
     * @param result       the detector's result
     * @param rewarms      times the key re-warmed onto another model at this event (0, 1 or 2)
     * @param requested    whether the key's schedule asked for a training at this event
     * @param trainedInLine whether a training was run in line at this event (its swap point came before a delivery)
     */
    record Scored(DetectorResult result, int rewarms, boolean requested, boolean trainedInLine) implements KeyOutcome {
    }

    /** A refused event; nothing was changed or stored. */
    record Refused(Refusal refusal) implements KeyOutcome {
    }
}
