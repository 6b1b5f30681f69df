package dev.vigil.app.broker;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The round trip of {@link EmbeddedBrokerIT} against Apache's own broker image, for machines with
 * Docker. Without a Docker engine the class is skipped (reported as skipped, never failed).
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersBrokerIT {
    private static final String IMAGE = "apache/kafka:4.1.0";
    private static final int RECORDS = 100;

    @Container
    private static final KafkaContainer KAFKA = new KafkaContainer(IMAGE);

    @Test
    void shouldDeliverEveryRecordOfAFourPartitionTopicToAConsumerGroup() throws Exception {
        RoundTrip kafka = new RoundTrip(KAFKA.getBootstrapServers());
        String topic = "testcontainers-it.round-trip";
        kafka.createTopic(topic, Optional.of(4));
        kafka.produce(topic, 0, RECORDS);

        List<ConsumerRecord<String, String>> received = kafka.consume(topic, "testcontainers-group", RECORDS, Map.of());

        Set<String> expected = IntStream.range(0, RECORDS).mapToObj(RoundTrip::value).collect(Collectors.toSet());
        assertEquals(RECORDS, received.size());
        assertEquals(expected, received.stream().map(ConsumerRecord::value).collect(Collectors.toSet()));
    }
}
