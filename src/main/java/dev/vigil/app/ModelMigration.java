package dev.vigil.app;

import dev.vigil.BadBytesException;
import dev.vigil.BadConfigException;
import dev.vigil.VigilException;
import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.stream.ModelRecords;
import dev.vigil.stream.TopologyNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Copies a topology's models from the models topic of an earlier deployment (read into a global store: keyed by
 * model id, put in partitions by the Java client's partitioner, perhaps with another partition count) to a models
 * topic partitioned like the input, each model where the detector's task of its key will look for it:
 * <ul>
 *   <li>a key's model to the partition its detector state is in: read from the keys of the detector-state
 *       changelog ({@code <application.id>-<topology>-vigil-<topology>-detector-state-changelog}), whose partitions
 *       are the detector's (the input's, or the repartition topic's with a key field), so a key produced by a
 *       non-Java client lands where its events are; a key without state there goes to its Java-hash partition;</li>
 *   <li>the shared model to every partition.</li>
 * </ul>
 * Per key, the newest payload that decodes is copied (what the old global store held); tombstoned keys are left out.
 * The target topic is created (compacted, the input's partition count) when missing; one with another count is
 * refused. Run it with every instance stopped; with {@code from == to} only models not already in their partition
 * are written. Not thread-safe.
 */
final class ModelMigration {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_LIMIT = Duration.ofMinutes(10);

    /**
     * What was done.
     *
     * @param read         models (newest decodable payload per key) found in the old topic
     * @param byState      of these, per-key models placed by the key's detector state
     * @param byJavaHash   per-key models placed by the Java partitioner (no state found for the key)
     * @param inPlace      models left alone: already in their partition of the same topic
     * @param undecodable  payloads skipped because they do not decode
     * @param written      records written (the shared model counts once per partition)
     */
    record Result(int read, int byState, int byJavaHash, int inPlace, int undecodable, int written) {
    }

    private final AppConfig app;
    private final TopologyConfig topology;

    ModelMigration(AppConfig app, TopologyConfig topology) {
        this.app = app;
        this.topology = topology;
    }

    /** A payload and the partition it was read from. */
    private record Stored(byte[] payload, int partition) {
    }

    Result run(String from, String to) throws InterruptedException {
        int partitions = prepareTarget(to);
        int[] undecodable = new int[1];
        Map<String, Stored> models = new LinkedHashMap<>();
        readAll(from, r -> {
            if (r.value() == null) {
                models.remove(r.key());
                return;
            }
            try {
                ModelCodec.decode(r.value());
                models.put(r.key(), new Stored(r.value(), r.partition()));
            } catch (BadBytesException e) {
                undecodable[0]++;
            }
        });
        Map<String, Integer> statePartitions = statePartitions();
        int byState = 0;
        int byHash = 0;
        int inPlace = 0;
        int written = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaOptions.producerProperties(app))) {
            for (Map.Entry<String, Stored> m : models.entrySet()) {
                String key = m.getKey();
                Integer partition = statePartitions.get(key);
                boolean shared = ModelRecords.shared(key);
                if (!shared) {
                    if (partition != null) {
                        byState++;
                    } else {
                        byHash++;
                    }
                }
                int target = partition != null ? partition : javaPartition(key, partitions);
                for (ProducerRecord<String, byte[]> r : ModelRecords.of(to, key, m.getValue().payload(), partitions, target)) {
                    if (from.equals(to) && r.partition() == m.getValue().partition()) {
                        inPlace += shared ? 0 : 1;
                        continue;
                    }
                    producer.send(r).get();
                    written++;
                }
            }
            producer.flush();
        } catch (ExecutionException e) {
            throw new VigilException("cannot publish to " + to + ": " + e.getCause().getMessage(), e);
        }
        return new Result(models.size(), byState, byHash, inPlace, undecodable[0], written);
    }

    /** The partition the Java client's default partitioner gives a key: murmur2 of its UTF-8 bytes. */
    static int javaPartition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Creates {@code to} like the input when missing; returns its partition count (the input's). */
    private int prepareTarget(String to) throws InterruptedException {
        try (Admin admin = Admin.create(TopicSetup.adminProperties(app))) {
            Set<String> existing = admin.listTopics().names().get();
            if (!existing.contains(topology.inputTopic())) {
                throw new BadConfigException("input topic " + topology.inputTopic() + " does not exist: the models"
                        + " topic is partitioned like it, so it must be there first");
            }
            int input = partitions(admin, topology.inputTopic());
            if (!existing.contains(to)) {
                admin.createTopics(List.of(new NewTopic(to, input, (short) app.replicationFactor())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all().get();
                return input;
            }
            int target = partitions(admin, to);
            if (target != input) {
                TopologyConfig t = new TopologyConfig(topology.name(), topology.inputTopic(), topology.keyField(),
                        topology.channels(), topology.timestampField(), topology.allowedLatenessMs(),
                        topology.maxRecordBytes(), topology.scoresTopic(), topology.alertsTopic(), topology.dlqTopic(), to,
                        topology.detector());
                throw new BadConfigException(TopicSetup.modelPartitionsMismatch(t, input, target));
            }
            return target;
        } catch (ExecutionException e) {
            throw new VigilException("cannot prepare topic " + to + ": " + e.getCause().getMessage(), e);
        }
    }

    private static int partitions(Admin admin, String topic) throws ExecutionException, InterruptedException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    }

    /** The detector-state changelog partition of every key with a stored state (none when there is no changelog). */
    private Map<String, Integer> statePartitions() {
        String changelog = VigilService.applicationId(app, topology) + "-" + new TopologyNames(topology.name())
                .stateStore() + "-changelog";
        Map<String, Integer> out = new HashMap<>();
        readAll(changelog, r -> {
            if (r.value() == null) {
                out.remove(r.key());
            } else {
                out.put(r.key(), r.partition());
            }
        });
        return out;
    }

    /** Every committed record of {@code topic} from the beginning to its current end (nothing when it is missing). */
    private void readAll(String topic, Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<String, Object> p = new HashMap<>(app.kafka());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = c.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                return;
            }
            List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new VigilException("reading " + topic + " did not reach its end within " + READ_LIMIT);
                }
                c.poll(POLL).forEach(each);
            }
        }
    }
}
