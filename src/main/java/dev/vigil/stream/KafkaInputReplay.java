package dev.vigil.stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@link InputReplay} with a consumer of its own for each stretch: the Streams application's restore-consumer settings
 * (cluster, security; no group, nothing committed), {@code read_committed} so that it reads what the task read. A
 * stretch that makes no progress for {@link #STALL} is an error (the task fails and its instance stops; its next start
 * replays again).
 */
final class KafkaInputReplay implements InputReplay {
    static final Duration STALL = Duration.ofMinutes(2);
    private static final StrictStringDeserializer KEYS = new StrictStringDeserializer();

    private final Map<String, Object> consumerConfigs;

    KafkaInputReplay(Properties streamsProperties) {
        Map<String, Object> configs = new HashMap<>(
                new StreamsConfig(streamsProperties).getRestoreConsumerConfigs("vigil-input-replay"));
        configs.remove(ConsumerConfig.GROUP_ID_CONFIG);
        configs.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        configs.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        configs.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumerConfigs = Map.copyOf(configs);
    }

    @Override
    public long read(String topic, int partition, long from, long to, Sink sink) {
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfigs)) {
            consumer.assign(List.of(tp));
            long start = Math.max(from, consumer.beginningOffsets(List.of(tp)).get(tp));
            if (start >= to) {
                return start;
            }
            consumer.seek(tp, start);
            long progressAt = System.nanoTime();
            while (consumer.position(tp) < to) {
                boolean any = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                    any = true;
                    if (r.offset() >= to) {
                        return start;
                    }
                    sink.accept(key(topic, r.key()), r.value(), r.timestamp(), r.offset(), r.headers());
                }
                if (any) {
                    progressAt = System.nanoTime();
                } else if (System.nanoTime() - progressAt > STALL.toNanos()) {
                    throw new IllegalStateException("replaying " + tp + " from offset " + from + " to " + to
                            + ": no record for " + STALL.toSeconds() + " s at offset " + consumer.position(tp));
                }
            }
            return start;
        }
    }

    private static String key(String topic, byte[] key) {
        try {
            return KEYS.deserialize(topic, key);
        } catch (SerializationException e) {
            return null;
        }
    }
}
