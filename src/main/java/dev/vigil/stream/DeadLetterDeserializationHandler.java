package dev.vigil.stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Sends a record whose key or value cannot be deserialized at a source (in Vigil: an input key that is not
 * UTF-8, see {@link StrictStringDeserializer}) to the dead-letter topic and lets the stream continue. Kafka
 * Streams (4.1+, KIP-1034) produces the returned dead-letter record in the same transaction as the task's
 * output. The dead-letter record has the raw key and value bytes, the record's timestamp and original headers,
 * and the {@link DeadLetterHeaders} with reason {@link RejectReason#UNDESERIALIZABLE}, the exception's message as
 * detail, and the source topic, partition and offset. The first {@value DetectorProcessor#WARN_FIRST} are logged at
 * WARN with those coordinates, then one in {@value DetectorProcessor#WARN_EVERY} (all at DEBUG), as the detector's
 * own dead letters are, so that a producer sending garbage cannot flood the log (Kafka's own per-record warning,
 * logger {@code org.apache.kafka.streams.processor.internals.RecordDeserializer}, is set to ERROR in
 * {@code logback-levels.xml} for the same reason).
 *
 * <p>The topic is read from {@value StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}, which
 * {@link VigilTopology#streamsConfig} sets to the topology's {@code dlqTopic}. Without it the record is logged at
 * ERROR and skipped (the stream still does not stop). Installed under
 * {@value StreamsConfig#DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG}.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private String dlqTopic;
    private final java.util.concurrent.atomic.AtomicLong handled = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        dlqTopic = topic == null || topic.toString().isBlank() ? null : topic.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String detail = exception.getClass().getSimpleName() + ": " + oneLine(exception.getMessage());
        if (dlqTopic == null) {
            LOG.error("undeserializable record at {}-{} offset {} skipped, no dead-letter topic configured ({}): {}",
                    record.topic(), record.partition(), record.offset(),
                    StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, detail);
            return Response.resume();
        }
        long n = handled.incrementAndGet();
        if (DetectorProcessor.atLevel(n)) {
            LOG.warn("undeserializable record at {}-{} offset {} sent to {} (#{}): {}", record.topic(),
                    record.partition(), record.offset(), dlqTopic, n, detail);
        } else {
            LOG.debug("undeserializable record at {}-{} offset {} sent to {}: {}", record.topic(), record.partition(),
                    record.offset(), dlqTopic, detail);
        }
        ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>(dlqTopic, null, record.timestamp(),
                record.key(), record.value(), DeadLetterHeaders.of(record.headers(), RejectReason.UNDESERIALIZABLE,
                detail, record.topic(), record.partition(), record.offset()));
        return Response.resume(List.of(deadLetter));
    }

    /** The configured dead-letter topic, or null. */
    String dlqTopic() {
        return dlqTopic;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n\\t]+", " ").trim();
    }
}
