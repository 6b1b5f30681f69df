package dev.vigil.stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.config.TopologyConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamsConfigTest {
    @Test
    void shouldDefaultToExactlyOnceWithTheDeadLetterHandlerAndLetOverridesWin() {
        TopologyConfig topology = TopologyConfig.defaults();
        Properties props = VigilTopology.streamsConfig("vigil-sensors", "broker:9092", "/var/lib/vigil", topology,
                Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 4));
        assertEquals("vigil-sensors", props.get(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals("broker:9092", props.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("/var/lib/vigil", props.get(StreamsConfig.STATE_DIR_CONFIG));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(DeadLetterDeserializationHandler.class.getName(),
                props.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG));
        assertEquals("vigil.dlq", props.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG));
        assertEquals(4, props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        // a task never waits for its (nearly always empty) models partition
        assertEquals(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED, props.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
        assertEquals(VigilTopology.PRODUCER_MAX_BLOCK_MS, new StreamsConfig(props).getProducerConfigs("c")
                .get(ProducerConfig.MAX_BLOCK_MS_CONFIG), "the Streams producer waits out a broker outage of 5 min");
        assertEquals("lz4", new StreamsConfig(props).getProducerConfigs("c")
                .get(ProducerConfig.COMPRESSION_TYPE_CONFIG), "changelogs and outputs are lz4-compressed");
        assertEquals(128 * 1024, new StreamsConfig(props).getProducerConfigs("c")
                .get(ProducerConfig.BATCH_SIZE_CONFIG), "the Streams producer makes batches of up to 128 KiB");
        Properties uncompressed = VigilTopology.streamsConfig("a", "b:1", "/tmp/x", topology,
                Map.of(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none",
                        StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 16384));
        assertEquals("none", new StreamsConfig(uncompressed).getProducerConfigs("c")
                .get(ProducerConfig.COMPRESSION_TYPE_CONFIG), "kafka.producer.compression.type overrides it");
        assertEquals(16384, new StreamsConfig(uncompressed).getProducerConfigs("c")
                .get(ProducerConfig.BATCH_SIZE_CONFIG), "kafka.producer.batch.size overrides it");
        Properties atLeastOnce = VigilTopology.streamsConfig("a", "b:1", "/tmp/x", topology,
                Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE));
        assertEquals(StreamsConfig.AT_LEAST_ONCE, atLeastOnce.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        StreamsConfig validated = new StreamsConfig(props);
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, validated.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    @Test
    void shouldValidateItsStreamsConfigWithoutKafkaWarnings() {
        Logger logger = (Logger) LoggerFactory.getLogger(StreamsConfig.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.WARN);
        logger.addAppender(appender);
        try {
            StreamsConfig config = new StreamsConfig(VigilTopology.streamsConfig("vigil-sensors", "broker:9092",
                    "/var/lib/vigil", TopologyConfig.defaults(), Map.of()));
            assertTrue(config.getBoolean(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG));
            // the partition assignor reads a StreamsConfig of its own from the main consumer's configs
            new StreamsConfig(config.getMainConsumerConfigs("vigil-sensors", "vigil-sensors-c", 0));
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
        // e.g. Kafka's "Processing exception handler is not enabled for the GlobalThread", three times per start
        assertEquals(List.of(), appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    @Test
    void shouldTurnAnUndeserializableRecordIntoADeadLetterAndResume() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "vigil.dlq"));
        RecordHeaders headers = new RecordHeaders();
        headers.add("origin", new byte[] {1});
        byte[] key = {(byte) 0xFF};
        byte[] value = {'{', '}'};
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("sensor-events", 2, 41L, 99L,
                TimestampType.CREATE_TIME, 1, 2, key, value, headers, Optional.empty());
        // the handler reads everything from the record; the context is not needed
        DeserializationExceptionHandler.Response response = handler.handleError(null, record,
                new IllegalStateException("bad\nkey"));
        assertEquals(DeserializationExceptionHandler.Result.RESUME, response.result());
        assertEquals(1, response.deadLetterQueueRecords().size());
        ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertEquals("vigil.dlq", dead.topic());
        assertArrayEquals(key, dead.key());
        assertArrayEquals(value, dead.value());
        assertEquals(99L, dead.timestamp());
        assertEquals("UNDESERIALIZABLE", DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.REASON));
        assertEquals("IllegalStateException: bad key", DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.DETAIL));
        assertEquals("2", DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.SOURCE_PARTITION));
        assertEquals("41", DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET));
        assertTrue(dead.headers().lastHeader("origin") != null);
    }

    @Test
    void shouldSkipWithoutFailingWhenNoDeadLetterTopicIsConfigured() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of());
        assertNull(handler.dlqTopic());
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("t", 0, 0L, new byte[] {1}, new byte[] {2});
        DeserializationExceptionHandler.Response response = handler.handleError(null, record, new RuntimeException("x"));
        assertEquals(DeserializationExceptionHandler.Result.RESUME, response.result());
        assertTrue(response.deadLetterQueueRecords().isEmpty());
    }
}
