package dev.vigil.stream;

import org.apache.kafka.streams.processor.TaskId;

/**
 * Names of one topology's processors, stores and internal topics: {@code vigil-<topology>-<role>}, the roles
 * being the constants below. Kafka derives internal topic names from them: the changelogs
 * {@code <application.id>-vigil-<topology>-detector-state-changelog}, {@code ...-history-changelog} and
 * {@code ...-models-changelog}, and,
 * with a key field, the repartition topic {@code <application.id>-vigil-<topology>-rekeyed-repartition}.
 *
 * @param topology the topology's name ({@code TopologyConfig.name})
 */
public record TopologyNames(String topology) {
    public static final String PREFIX = "vigil-";
    /** Source node on the input topic. */
    public static final String SOURCE = "source";
    /** Processor that re-keys events by the key field (topologies with a key field only). */
    public static final String REKEY = "rekey";
    /** Repartition after re-keying; Kafka adds {@code -repartition} (topic) and {@code -repartition-sink/-source} (nodes). */
    public static final String REPARTITION = "rekeyed";
    /** The {@link DetectorProcessor}. */
    public static final String DETECTOR = "detector";
    public static final String SCORES_SINK = "scores-sink";
    public static final String ALERTS_SINK = "alerts-sink";
    public static final String DLQ_SINK = "dlq-sink";
    public static final String MODELS_SINK = "models-sink";
    /** Source node on the models topic (a second source of the detector's sub-topology). */
    public static final String MODEL_SOURCE = "model-source";
    /** Processor that validates model payloads into the model store. */
    public static final String MODEL_UPDATER = "model-updater";
    /** Per-key detector state (persistent, changelogged): {@code DetectorStateCodec} bytes, with the history head. */
    public static final String STATE_STORE = "detector-state";
    /** Per-key history window (persistent, changelogged): the closed blocks of each key's {@code HistoryRing}. */
    public static final String HISTORY_STORE = "history";
    /**
     * Per-task store of model payloads by model id (the sensor key, or {@code shared}), persistent and changelogged
     * ({@code <application.id>-vigil-<topology>-models-changelog}): {@code ModelCodec} bytes.
     */
    public static final String MODEL_STORE = "models";

    public String source() {
        return name(SOURCE);
    }

    public String rekey() {
        return name(REKEY);
    }

    public String repartition() {
        return name(REPARTITION);
    }

    public String detector() {
        return name(DETECTOR);
    }

    public String scoresSink() {
        return name(SCORES_SINK);
    }

    public String alertsSink() {
        return name(ALERTS_SINK);
    }

    public String dlqSink() {
        return name(DLQ_SINK);
    }

    /** The detector's sink of the models its keys put in force ({@link ModelSink}). */
    public String modelsSink() {
        return name(MODELS_SINK);
    }

    public String modelSource() {
        return name(MODEL_SOURCE);
    }

    public String modelUpdater() {
        return name(MODEL_UPDATER);
    }

    public String stateStore() {
        return name(STATE_STORE);
    }

    public String historyStore() {
        return name(HISTORY_STORE);
    }

    public String modelStore() {
        return name(MODEL_STORE);
    }

    /**
     * The model store of task {@code task}, {@code <store>/<task id>}: how the task's updater and detector name its
     * changes ({@link ModelStoreChanges}) and its decoded models ({@link DecodedModels}), so each finds the other's.
     */
    String modelStoreOfTask(TaskId task) {
        return modelStore() + "/" + task;
    }

    private String name(String role) {
        return PREFIX + topology + "-" + role;
    }
}
