package dev.vigil.stream;

import dev.vigil.detect.DetectorState;
import dev.vigil.detect.Event;
import dev.vigil.lifecycle.KeyLifecycle;
import dev.vigil.lifecycle.KeyOutcome;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A detector task's replay of its input after a start with states written behind ({@code states.replayEvents},
 * {@link DetectorStores}): the records of its partition from its replay offset to its first record, each run through
 * the key lifecycle as it ran before when its key's written state does not hold it (its offset is after the one the
 * state was written with), and saved as then. Trainings due are offered again; nothing is forwarded, the scores and
 * alerts having gone out before the start. Models swap only where a state was written (a swap writes its key's state
 * at once), so a replay does not reach a swap that was committed; forget requests are never replayed (a key is
 * forgotten only after every state was written). Records the source refused (a key that is not UTF-8) or the parser
 * refuses are skipped, as they were dead-lettered before.
 */
final class TaskReplay {
    private static final Logger LOG = LoggerFactory.getLogger(TaskReplay.class);

    /** Told of each event the replay ran. */
    @FunctionalInterface
    interface Ran {
        void ran(String key, KeyOutcome.Scored outcome, Event event);
    }

    private final EventParser parser;
    private final DetectorStores stores;
    private final KeyLifecycle lifecycle;
    private final Ran ran;
    private final java.util.function.LongSupplier nowMs;
    private long records;
    private long events;

    /** @param nowMs the task's wall clock */
    TaskReplay(EventParser parser, DetectorStores stores, KeyLifecycle lifecycle, java.util.function.LongSupplier nowMs,
               Ran ran) {
        this.nowMs = nowMs;
        this.parser = parser;
        this.stores = stores;
        this.lifecycle = lifecycle;
        this.ran = ran;
    }

    /** Replays offsets {@code from} to {@code to} (excluded) of {@code topic}-{@code partition}, task {@code task}. */
    void run(InputReplay input, String task, String topic, int partition, long from, long to) {
        long started = System.nanoTime();
        long start = from >= to ? from : input.read(topic, partition, from, to, this::one);
        if (start > from) {
            LOG.warn("task {}: {}-{} no longer holds offsets {} to {} (its retention deleted them); the states of keys"
                    + " with events there miss those events", task, topic, partition, from, start - 1);
        }
        LOG.info("task {}: replayed {} event(s) of {} record(s) of {}-{}, offsets {} to {}, in {} ms (states written"
                + " behind before the start)", task, events, records, topic, partition, start, to,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Events run, so far. */
    long events() {
        return events;
    }

    private void one(String key, byte[] value, long timestamp, long offset, Headers headers) {
        records++;
        if (key == null || ForgetRequests.isRequest(value, headers)) {
            return;
        }
        ParsedRecord parsed = parser.parse(key, value, timestamp);
        if (!parsed.isAccepted()) {
            return;
        }
        String k = parsed.key();
        DetectorState state = stores.loadState(k);
        if (stores.loadedOffset() >= offset) {
            stores.alreadyHeld(k, state);
            return;
        }
        KeyOutcome outcome = lifecycle.process(k, state, parsed.event());
        if (outcome instanceof KeyOutcome.Refused) {
            stores.refused(k);
            return;
        }
        KeyOutcome.Scored done = (KeyOutcome.Scored) outcome;
        ran.ran(k, done, parsed.event());
        stores.saveState(k, state, offset, nowMs.getAsLong(), done);
        events++;
    }
}
