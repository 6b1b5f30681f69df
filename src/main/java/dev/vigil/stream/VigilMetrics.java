package dev.vigil.stream;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * Vigil's counters, registered as Kafka Streams custom metrics (so they appear wherever the application's
 * Streams metrics go: JMX, reporters, {@code KafkaStreams#metrics()}). Each operation below has two metrics,
 * {@code <operation>-total} (cumulative count) and {@code <operation>-rate} (per second), in group
 * {@value #GROUP}, tagged {@code thread-id} and {@value #TAG} = the topology name. Dead letters are counted per
 * reason, operation {@link RejectReason#metricName()} (e.g. {@code dlq-not-json-total}). The service's
 * {@code /metrics} reads them, summed over threads, as Micrometer meters named {@code vigil.*} (the app layer's
 * {@code VigilMeters}; docs/metrics.md).
 */
public final class VigilMetrics {
    /** Scope of the custom metrics; Kafka names the group {@code stream-<scope>-metrics}. */
    public static final String SCOPE = "vigil";
    public static final String GROUP = "stream-" + SCOPE + "-metrics";
    /** Tag holding the topology name. */
    public static final String TAG = SCOPE + "-id";
    /** Events scored (one score record each). */
    public static final String SCORED = "records-scored";
    /** Alert records written (opened and closed). */
    public static final String ALERTS = "alerts";
    /**
     * Events run again at a task's start, from its input, because their keys' states were written behind them
     * ({@code states.replayEvents}; {@link TaskReplay}): nothing is forwarded for them.
     */
    public static final String EVENTS_REPLAYED = "events-replayed";
    /** Keys re-warmed onto a new model version. */
    public static final String MODEL_SWAPS = "model-swaps";
    /** Model payloads accepted into the model store. */
    public static final String MODELS_ACCEPTED = "models-accepted";
    /** Model payloads refused (undecodable, wrong shape, wrong id or version); the previous model stays. */
    public static final String MODELS_REFUSED = "models-refused";
    /** Models removed by a tombstone; the key falls back to the persistence predictor. */
    public static final String MODELS_RETRACTED = "models-retracted";
    /** Trainings the keys' schedules asked for (each is served by the trainer or, at its swap point, in line). */
    public static final String TRAINING_REQUESTED = "trainings-requested";
    /** Trainings a key ran in line on the stream thread: its swap point came before the trainer delivered. */
    public static final String TRAINED_IN_LINE = "trainings-in-line";
    /** Keys forgotten after {@code keyIdleExpiryMs} without an event: state and history deleted, model retracted. */
    public static final String KEYS_EXPIRED = "keys-expired";
    /** Keys forgotten at a request on the input topic ({@code vigil forget}, {@link ForgetRequests}). */
    public static final String KEYS_DELETED = "keys-deleted";
    /** Stored per-key state or history that could not be used (corrupt, or from another shape) and was restarted. */
    public static final String STATE_DISCARDED = "state-discarded";
    /**
     * Time (ns) from a record reaching the detector to its score being forwarded, accepted events only:
     * {@code score-latency-avg}, {@code score-latency-max} (and {@code score-rate}, {@code score-total}).
     */
    public static final String SCORE = "score";

    private VigilMetrics() {
    }

    /** The (shared, per thread) sensor counting {@code operation} for {@code topology}. */
    public static Sensor counter(StreamsMetrics metrics, String topology, String operation) {
        return metrics.addRateTotalSensor(SCOPE, topology, operation, Sensor.RecordingLevel.INFO);
    }

    /** The (shared, per thread) sensor timing {@code operation} (ns) for {@code topology}: avg, max, rate, total. */
    public static Sensor latency(StreamsMetrics metrics, String topology, String operation) {
        return metrics.addLatencyRateTotalSensor(SCOPE, topology, operation, Sensor.RecordingLevel.INFO);
    }
}
