package dev.vigil.stream;

import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.lifecycle.TrainingRequests;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.Properties;

/**
 * Builds the Kafka Streams topology of one Vigil topology file:
 * <pre>
 *   inputTopic ─► source ─[keyField: rekey ─► rekeyed-repartition]─► detector ─┬─► scores-sink ─► scoresTopic
 *                         (String key, strict UTF-8; byte[] value)    │  ▲       ├─► alerts-sink ─► alertsTopic
 *                         stores: detector-state, history, models ◄───┘  │       └─► dlq-sink    ─► dlqTopic
 *   modelsTopic ─► model-source ─► model-updater ─► models ──────────────┘
 * </pre>
 * Every node, store and internal topic is named {@code vigil-<topology>-<role>} ({@link TopologyNames}); the
 * checked-in {@code topologies/<name>.describe.txt} is this topology's {@link Topology#describe()}. The stores
 * are persistent (RocksDB) and changelogged; only the per-key state store is cached (the history blocks and model
 * payloads are written once and read rarely, and would crowd the states out of the record cache). The models topic
 * is partitioned like the detector's source (the input, or the repartition topic, which Kafka Streams gives the
 * input's partition count) and is a second source of the detector's sub-topology, so the task of partition p holds the models of partition p's keys (and a
 * copy of the shared model, which is published to every partition) and a rebalance moves them with the keys. The
 * model store holds only accepted payloads ({@link ModelStoreUpdater}) and is changelogged: a lost state directory is
 * restored from the changelog, never by re-reading the models topic unchecked. The models source starts from the
 * earliest offset when the group has none (a new deployment, or an upgrade from the global model store), and its
 * records count as time 0 ({@link ModelsFirstTimestampExtractor}), so a task takes a model up as soon as it has
 * fetched it, ahead of its buffered events. Records are described in {@link ScoreRecordWriter},
 * {@link AlertRecordWriter} and {@link DeadLetterHeaders}.
 */
public final class VigilTopology {
    /**
     * The main consumer's fetch size per partition (Kafka's default is 1 MiB). A model record fetched after a batch
     * of events is handed to the task only once those events are polled, so a model reaches a task that lags behind
     * its input after at most about this much of each partition's events (about 2,500 events of 100 bytes, rather
     * than 10,000): BackgroundTrainerIT's shared model arrived some 100 events per key late with 1 MiB.
     */
    public static final int MAIN_CONSUMER_PARTITION_FETCH_BYTES = 262_144;
    /**
     * How long the Streams producer may block, in ms (Kafka's default is 60 s): Kafka Streams' own task.timeout.ms
     * default. Under exactly-once, a commit caught by a broker outage waits for the brokers this long; past it the
     * commit fails, and Kafka Streams drops the tasks' uncommitted work and restores their stores from the
     * changelogs before it goes on. With 5 min, an outage up to that long costs no restore (docs/operations.md
     * "Broker outage: what you see").
     */
    public static final int PRODUCER_MAX_BLOCK_MS = 300_000;

    /**
     * The Streams producer's compression (changelogs, scores, alerts, models): lz4, cheap on the stream thread and
     * several times smaller for the like detector states every event writes to its changelog. A {@code
     * kafka.producer.compression.type} setting overrides it.
     */
    public static final String PRODUCER_COMPRESSION = "lz4";

    /**
     * The Streams producer's batch size, in bytes (Kafka's default is 16 KiB). Under exactly-once every commit (100
     * ms) flushes the batches anyway and Kafka Streams' producer lingers 100 ms, so a larger batch adds no latency;
     * it makes fewer, larger batches (each lz4 batch allocates two 64 KiB buffers, and each wakes the sender): in
     * bench fleet, three pairs of runs, the 1,000-key fleet processed 1.25-2.0x the events/s and the 100,000-key fleet
     * 1.0-1.2x. The producer's buffer.memory (32 MiB) holds the open batches of about 80 output partitions at this
     * size (scores and two changelogs per task: about 26 partitions of the input per instance). A {@code
     * kafka.producer.batch.size} setting overrides it.
     */
    public static final int PRODUCER_BATCH_BYTES = 128 * 1024;

    private VigilTopology() {
    }

    /** The topology, built without Streams properties (no build-time naming check). */
    public static Topology build(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain) {
        return build(topology, detector, retrain, null);
    }

    /**
     * The topology. With {@code streamsProperties} (e.g. from {@link #streamsConfig}), the builder applies them, in
     * particular {@value StreamsConfig#ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG}, which makes building fail
     * if any internal resource were left with a generated name.
     *
     * @param detector the detector's settings; the topology's channel count and allowed lateness replace its own
     *                 ({@link #detectorConfig})
     */
    public static Topology build(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain,
                                 Properties streamsProperties) {
        return build(topology, detector, retrain, streamsProperties, TrainingRequests.NONE);
    }

    /**
     * The topology, with its detectors asking {@code training} for (re)trainings when keys' schedules say so (the
     * service passes its {@link TopologyTrainer}; without one, models come only from outside the service).
     */
    public static Topology build(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain,
                                 Properties streamsProperties, TrainingRequests training) {
        return build(topology, detector, retrain, streamsProperties, training,
                new DecodedModels(AppConfig.DEFAULT_MODEL_CACHE_BYTES));
    }

    /**
     * The topology, with its detectors keeping decoded models in {@code decoded} (the service passes one per
     * instance, bounded by {@code models.cache.bytes}, shared by all its topologies) and decoded states in a cache of
     * their own with the service's default bound ({@link AppConfig#defaultStateCacheBytes}).
     */
    public static Topology build(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain,
                                 Properties streamsProperties, TrainingRequests training, DecodedModels decoded) {
        return build(topology, detector, retrain, streamsProperties, training, decoded,
                new DecodedStates(AppConfig.defaultStateCacheBytes()));
    }

    /**
     * The topology, with its detectors keeping decoded models in {@code decoded} and the states they save in
     * {@code states} (the service passes one of each per instance, bounded by {@code models.cache.bytes} and {@code
     * states.cache.bytes}, shared by all its topologies).
     */
    public static Topology build(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain,
                                 Properties streamsProperties, TrainingRequests training, DecodedModels decoded,
                                 DecodedStates states) {
        return build(topology, detector, retrain, streamsProperties, training, decoded, states, new KeyCounts());
    }

    /** The topology as above, with its detectors counting the keys they hold in {@code keys}. */
    public static Topology build(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain,
                                 Properties streamsProperties, TrainingRequests training, DecodedModels decoded,
                                 DecodedStates states, KeyCounts keys) {
        return build(topology, detector, retrain, streamsProperties, training, decoded, states, keys, 0);
    }

    /**
     * The topology as above, its detectors writing states behind their events ({@code states.replayEvents}, {@link
     * #replayEvents}: at most once per that many offsets of a partition; 0 at every event) and reading their input
     * again after a start ({@link KafkaInputReplay}, with {@code streamsProperties}' cluster settings).
     */
    public static Topology build(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain,
                                 Properties streamsProperties, TrainingRequests training, DecodedModels decoded,
                                 DecodedStates states, KeyCounts keys, long replayEvents) {
        return build(topology, detector, retrain, streamsProperties, training, decoded, states, keys, replayEvents,
                new HeldStates());
    }

    /** The topology as above, its detectors registering the states they hold behind in {@code held} for queries. */
    public static Topology build(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain,
                                 Properties streamsProperties, TrainingRequests training, DecodedModels decoded,
                                 DecodedStates states, KeyCounts keys, long replayEvents, HeldStates held) {
        TopologyNames names = new TopologyNames(topology.name());
        // the updater of a task tells its detector when it changed the model store (so no store read per event)
        ModelStoreChanges changes = new ModelStoreChanges();
        DetectorConfig effective = detectorConfig(topology, detector, retrain);
        StreamsBuilder builder = streamsProperties == null ? new StreamsBuilder()
                : new StreamsBuilder(new org.apache.kafka.streams.TopologyConfig(new StreamsConfig(streamsProperties)));
        long behind = replayEvents(topology, retrain, replayEvents);
        // cached when every event writes its key's state (with its history head): the cache sends only its last value
        // of a commit interval to RocksDB and the changelog. Not cached when states are written behind: the detector
        // already folds a key's events into one write per replayEvents offsets (a key seldom writes twice in a
        // commit), and the cache's entries only cost its tree and copies (bench fleet at 100,000 keys: 6.0 against
        // 6.2-6.4 µs of stream thread an event, 138,000-140,000 against 129,000 events/s; performance.md, Fleet)
        builder.addStateStore(behind > 0 ? uncachedKeyStore(names.stateStore()) : keyStore(names.stateStore()));
        // not cached: a block is written once, when its 32nd reading arrives, and read only to re-warm or train; in
        // Streams' record cache (shared by the thread's stores) the blocks piled up and crowded out the states
        builder.addStateStore(uncachedKeyStore(names.historyStore()));
        // the models topic is a second source of the detector's sub-topology (partitioned like the input): each task
        // holds its own partition's models, taken up as soon as fetched (time 0); changelogged, so a lost state
        // directory restores the accepted payloads (the changelog's records have time 0, which its topic allows).
        // Not cached: payloads (18 KB at H=32) are written once per model version and read only after a change
        // (ModelCache keeps the decoded models), while in Streams' record cache, which the thread's stores share, they
        // crowded out the per-key states, so that a state put evicted (wrote to RocksDB and the changelog) another
        builder.addStateStore(uncachedKeyStore(names.modelStore()).withLoggingEnabled(Map.of(
                        TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, Long.toString(Long.MAX_VALUE))));
        builder.stream(topology.modelsTopic(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName(names.modelSource()).withOffsetResetPolicy(AutoOffsetReset.earliest())
                        .withTimestampExtractor(new ModelsFirstTimestampExtractor()))
                .process(() -> new ModelStoreUpdater(names, effective.lstm(), retrain.maxModelBytes(),
                                changes, decoded),
                        Named.as(names.modelUpdater()), names.modelStore());
        KStream<String, byte[]> events = builder.stream(topology.inputTopic(),
                Consumed.with(inputKeySerde(), Serdes.ByteArray()).withName(names.source()));
        if (topology.keyField() != null) {
            EventParser parser = EventParser.forTopology(topology);
            events = events.<String, byte[]>process(() -> new RekeyProcessor(parser), Named.as(names.rekey()))
                    .repartition(Repartitioned.<String, byte[]>as(names.repartition())
                            .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()));
        }
        InputReplay input = streamsProperties == null ? null : new KafkaInputReplay(streamsProperties);
        events.<String, byte[]>process(() -> new DetectorProcessor(topology, effective, retrain, training, decoded,
                        changes, states, keys, behind, input, held),
                Named.as(names.detector()), names.stateStore(), names.historyStore(), names.modelStore());
        Topology built = streamsProperties == null ? builder.build() : builder.build(streamsProperties);
        // The detector forwards each record to one named child; the sinks are attached to the built topology
        // because a DSL process() node cannot name its children.
        built.addSink(names.scoresSink(), topology.scoresTopic(), new StringSerializer(), new ByteArraySerializer(),
                names.detector());
        built.addSink(names.alertsSink(), topology.alertsTopic(), new StringSerializer(), new ByteArraySerializer(),
                names.detector());
        built.addSink(names.dlqSink(), topology.dlqTopic(), new StringSerializer(), new ByteArraySerializer(),
                names.detector());
        // models put in force, in the task's transaction, to the partition of the key's events (ModelSink)
        built.addSink(names.modelsSink(), topology.modelsTopic(), new StringSerializer(), ModelSink.VALUE_SERIALIZER,
                ModelSink.PARTITIONER, names.detector());
        return built;
    }

    /**
     * The {@code states.replayEvents} a topology's detectors write states behind with: {@code configured}, or 0 (every
     * event written, said once in the log) where a restart could not run the events again as they ran: a topology
     * with {@code keyField} (its detectors read a repartition topic, whose records Kafka Streams deletes once
     * committed) or a shared model (its swaps are not at fixed points of each key's events).
     */
    static long replayEvents(TopologyConfig topology, RetrainConfig retrain, long configured) {
        if (configured == 0) {
            return 0;
        }
        String why = topology.keyField() != null ? "it reads its keys from keyField (a repartition topic)"
                : retrain.shared() ? "its scope is shared"
                : retrain.coldStartShared() ? "its coldStart is shared" : null;
        if (why == null) {
            return configured;
        }
        org.slf4j.LoggerFactory.getLogger(VigilTopology.class).info("topology {}: states.replayEvents {} does not"
                + " apply, every event writes its key's state: {}", topology.name(), configured, why);
        return 0;
    }

    /**
     * {@code detector} with the topology's channel count, allowed lateness and counter channels (the topology file
     * decides them), and
     * key-normalised inputs when the model is shared ({@code retrain.scope = shared}).
     */
    public static DetectorConfig detectorConfig(TopologyConfig topology, DetectorConfig detector, RetrainConfig retrain) {
        return detector.withChannels(topology.channelCount()).withAllowedLatenessMs(topology.allowedLatenessMs())
                .withKeyNormalised(retrain.shared()).withCounters(topology.counterMask());
    }

    /**
     * Streams properties for running {@code topology}: these defaults, then {@code overrides} (Kafka settings,
     * passed through untouched, win):
     * <ul>
     *   <li>application.id, bootstrap.servers, state.dir as given;</li>
     *   <li>processing.guarantee = exactly_once_v2;</li>
     *   <li>deserialization.exception.handler = {@link DeadLetterDeserializationHandler}, and
     *       errors.dead.letter.queue.topic.name = the topology's dlqTopic (also used by Kafka's own handlers);</li>
     *   <li>ensure.explicit.internal.resource.naming = true (checked by {@link #build(TopologyConfig,
     *       DetectorConfig, RetrainConfig, Properties)});</li>
     *   <li>main.consumer.max.partition.fetch.bytes = {@value #MAIN_CONSUMER_PARTITION_FETCH_BYTES}
     *       ({@link #MAIN_CONSUMER_PARTITION_FETCH_BYTES});</li>
     *   <li>producer.max.block.ms = {@value #PRODUCER_MAX_BLOCK_MS} ({@link #PRODUCER_MAX_BLOCK_MS});</li>
     *   <li>producer.compression.type = {@value #PRODUCER_COMPRESSION} ({@link #PRODUCER_COMPRESSION});</li>
     *   <li>producer.batch.size = {@value #PRODUCER_BATCH_BYTES} ({@link #PRODUCER_BATCH_BYTES});</li>
     *   <li>processing.exception.handler.global.enabled = true (Kafka 5.0's default; no global store here).</li>
     * </ul>
     * The processing exception handler stays Kafka's default (log and fail): Vigil's processors do not throw for
     * bad input, so an exception there is a bug and stops the instance rather than skipping a key's event.
     */
    public static Properties streamsConfig(String applicationId, String bootstrapServers, String stateDir,
                                           TopologyConfig topology, Map<String, ?> overrides) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topology.dlqTopic());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                MAIN_CONSUMER_PARTITION_FETCH_BYTES);
        // A detector task has two sources, the input and the models topic, and the models partition is empty almost
        // always. With the default (0) Streams formats a log text of the empty partition's fetch lag on every
        // processing round (PartitionGroup.readyToProcess: 5% of the stream thread in bench stream) and stops the
        // task while a model it knows of is being fetched. Never waiting costs nothing here: model swaps happen at
        // fixed points of each key's events, whenever the model arrives (a buffered model is still taken first).
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_BLOCK_MS_CONFIG), PRODUCER_MAX_BLOCK_MS);
        // Every event writes the key's detector state (about 850 bytes) to its changelog; with many keys the record
        // cache no longer folds a key's events into one write, and those bytes are most of what the broker handles
        // for the instance. lz4 batches of like states shrink several times for about 1 µs of stream thread per
        // event (bench fleet at 100,000 keys: 0.61 -> 0.71 of the 1,000-key events/s, performance.md).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), PRODUCER_COMPRESSION);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        // Vigil's topologies have no global store, so this changes nothing but Kafka's warning at every StreamsConfig
        // (three WARN lines per application started) that it will be the default from Kafka 5.0; the main consumer's
        // copy reaches the partition assignor, which reads its own StreamsConfig from the consumer's configs.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                true);
        if (overrides != null) {
            props.putAll(overrides);
        }
        return props;
    }

    /** Input keys: written as UTF-8, read strictly ({@link StrictStringDeserializer}). */
    static Serde<String> inputKeySerde() {
        return Serdes.serdeFrom(new StringSerializer(), new StrictStringDeserializer());
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> keyStore(String name) {
        return uncachedKeyStore(name).withCachingEnabled();
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> uncachedKeyStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray());
    }
}
