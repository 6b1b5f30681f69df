package dev.vigil.stream;

import dev.vigil.lifecycle.ModelScope;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The records that publish one model to a models topic partitioned like the detector's source: a shared model
 * ({@value ModelScope#SHARED_MODEL_ID}) to every partition, since every task holds a copy; a key's model to the
 * partition its events are in when that is known (the trainer knows it from the key's events), else to the
 * partition the Java client's partitioner picks for the key (right for events produced by the Java client).
 * Stateless.
 */
public final class ModelRecords {
    private ModelRecords() {
    }

    /** Whether {@code modelId} is a topology's shared model id. */
    public static boolean shared(String modelId) {
        return ModelScope.SHARED_MODEL_ID.equals(modelId);
    }

    /**
     * @param partitions the models topic's partition count (used for a shared model)
     * @param partition  the partition of the key's events, or null when unknown (the producer's partitioner picks)
     */
    public static List<ProducerRecord<String, byte[]>> of(String topic, String modelId, byte[] payload, int partitions,
                                                          Integer partition) {
        if (!shared(modelId)) {
            return List.of(new ProducerRecord<>(topic, partition, modelId, payload));
        }
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            out.add(new ProducerRecord<>(topic, p, modelId, payload));
        }
        return out;
    }
}
