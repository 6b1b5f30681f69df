package dev.vigil.app.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Produce-then-consume round trips against whatever broker a test has (embedded or a container), with
 * plain string records keyed like sensors: {@code sensor-<i % 10>} → {@code reading-<i>}.
 */
final class RoundTrip {
    /** Upper bound for any single wait on the broker; generous for a loaded 2-core CI machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final int SENSORS = 10;

    private final String bootstrapServers;

    RoundTrip(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    static String key(int i) {
        return "sensor-" + (i % SENSORS);
    }

    static String value(int i) {
        return "reading-" + i;
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Creates {@code topic} with {@code partitions} partitions (empty: the broker's default), ready for writes. */
    void createTopic(String topic, Optional<Integer> partitions) {
        try (Admin admin = admin()) {
            WritableTopics.create(admin, new NewTopic(topic, partitions, Optional.empty()), TIMEOUT);
        }
    }

    /** Sends records {@code from} (inclusive) to {@code to} (exclusive) with acks=all; throws if any failed. */
    void produce(String topic, int from, int to) throws ExecutionException, InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(Map.of()))) {
            for (int i = from; i < to; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, key(i), value(i))));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
    }

    Map<String, Object> producerConfig(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.putAll(extra);
        return config;
    }

    /**
     * Consumes {@code topic} from the beginning in consumer group {@code groupId} until {@code expected}
     * records arrived or {@link #TIMEOUT} passed, commits the offsets, and returns what arrived.
     */
    List<ConsumerRecord<String, String>> consume(String topic, String groupId, int expected,
                                                 Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.putAll(extra);
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (received.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
            consumer.commitSync(TIMEOUT);
        }
        return received;
    }
}
