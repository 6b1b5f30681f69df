package dev.vigil.stream;

import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * How the detector publishes a model one of its keys put in force: forwarded to the topology's models sink, so the
 * model goes to the models topic in the task's exactly-once transaction and a swap that a crash rolls back rolls its
 * publication back too (the restarted key reaches its swap point again and trains the same model in line). The
 * forwarded value is the target partition (i32; {@value #ALL_PARTITIONS}: every partition, for a shared model, of
 * which every task keeps a copy) followed by the {@link ModelCodec} payload: {@link #PARTITIONER} sends the record to
 * that partition, the partition of the key's events whatever partitioner their producer used, and
 * {@link #VALUE_SERIALIZER} writes the payload alone. Stateless.
 */
final class ModelSink {
    /** Target of a shared model. */
    static final int ALL_PARTITIONS = -1;

    /** Writes the payload without its partition prefix; a partition alone ({@link #tombstone}) as a null value. */
    static final Serializer<byte[]> VALUE_SERIALIZER = (topic, value) -> value == null || value.length == Integer.BYTES
            ? null : Arrays.copyOfRange(value, Integer.BYTES, value.length);

    /** Sends a record to the partition its value names, or to every partition. */
    static final StreamPartitioner<String, byte[]> PARTITIONER = new StreamPartitioner<>() {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, byte[] value, int numPartitions) {
            int target = ByteBuffer.wrap(value).getInt(0);
            return Optional.of(target == ALL_PARTITIONS
                    ? IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()) : Set.of(target));
        }
    };

    private ModelSink() {
    }

    /**
     * The forwarded value retracting a key's model from {@code partition} of the models topic: a tombstone there,
     * which the task's model store applies as it does any tombstone on that topic ({@link ModelStoreUpdater}).
     */
    static byte[] tombstone(int partition) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(partition).array();
    }

    /** The forwarded value publishing {@code model} to {@code partition} (or, for a shared model, to every one). */
    static byte[] value(LstmModel model, int partition) {
        byte[] payload = ModelCodec.encode(model);
        int target = ModelRecords.shared(model.info().modelId()) ? ALL_PARTITIONS : partition;
        return ByteBuffer.allocate(Integer.BYTES + payload.length).putInt(target).put(payload).array();
    }
}
