package dev.vigil.app.broker;

import dev.vigil.testutil.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EmbeddedKafkaBroker} against real clients: topics, consumer groups, transactions, lifecycle. */
@ExtendWith(KafkaTestBroker.class)
class EmbeddedBrokerIT {
    private static final int RECORDS = 100;
    private static final int PARTITIONS = 4;

    @Test
    void shouldDeliverEveryRecordOfAFourPartitionTopicToAConsumerGroup(EmbeddedKafkaBroker broker) throws Exception {
        RoundTrip kafka = new RoundTrip(broker.bootstrapServers());
        String topic = "embedded-broker-it.round-trip";
        broker.createTopic(topic, PARTITIONS);
        kafka.produce(topic, 0, RECORDS);

        List<ConsumerRecord<String, String>> received = kafka.consume(topic, "round-trip-group", RECORDS, Map.of());

        Set<String> expected = IntStream.range(0, RECORDS).mapToObj(RoundTrip::value).collect(Collectors.toSet());
        assertEquals(RECORDS, received.size());
        assertEquals(expected, received.stream().map(ConsumerRecord::value).collect(Collectors.toSet()));
        assertEquals(Set.of(0, 1, 2, 3), received.stream().map(ConsumerRecord::partition).collect(Collectors.toSet()),
                "ten sensor keys should hash onto all four partitions");
        try (Admin admin = kafka.admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(RoundTrip.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            assertEquals(PARTITIONS, description.partitions().size());
            long committed = admin.listConsumerGroupOffsets("round-trip-group").partitionsToOffsetAndMetadata()
                    .get(RoundTrip.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values().stream()
                    .mapToLong(OffsetAndMetadata::offset).sum();
            assertEquals(RECORDS, committed, "the group's committed offsets should cover every record");
        }
    }

    @Test
    void shouldShowOnlyCommittedTransactionsToReadCommittedConsumers(EmbeddedKafkaBroker broker) throws Exception {
        RoundTrip kafka = new RoundTrip(broker.bootstrapServers());
        String topic = "embedded-broker-it.transactions";
        kafka.createTopic(topic, Optional.of(PARTITIONS));
        Map<String, Object> transactional = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-it");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerConfig(transactional))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, RoundTrip.key(i), RoundTrip.value(i)));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 10; i < 15; i++) {
                producer.send(new ProducerRecord<>(topic, RoundTrip.key(i), RoundTrip.value(i)));
            }
            producer.flush();
            producer.abortTransaction();
        }
        kafka.produce(topic, 15, 16); // a non-transactional record after the abort marks the end

        List<ConsumerRecord<String, String>> received = kafka.consume(topic, "read-committed-group", 11,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));

        List<String> expected = IntStream.concat(IntStream.range(0, 10), IntStream.of(15))
                .mapToObj(RoundTrip::value).sorted().toList();
        assertEquals(expected, received.stream().map(ConsumerRecord::value).sorted().toList(),
                "exactly the committed transaction and the plain record, nothing from the aborted one");
    }

    @Test
    void shouldReleaseItsPortAndDeleteItsTemporaryLogDirWhenClosed() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        Path logDir = broker.logDir();
        String bootstrap = broker.bootstrapServers();
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        assertTrue(Files.exists(logDir.resolve("meta.properties")), "storage should be formatted");

        broker.close();
        broker.close();

        assertFalse(Files.exists(logDir), "temporary log dir should be deleted");
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(port, socket.getLocalPort());
        }
    }

    @Test
    void shouldKeepACallersLogDirAndRestartFromIt(@TempDir Path dir) throws Exception {
        Path logDir = dir.resolve("kafka");
        String topic = "survives-restart";
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, Map.of("num.partitions", "3"))) {
            RoundTrip kafka = new RoundTrip(broker.bootstrapServers());
            kafka.createTopic(topic, Optional.empty());
            kafka.produce(topic, 0, RECORDS);
        }
        assertTrue(Files.exists(logDir.resolve("meta.properties")), "caller's log dir should be kept");

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, Map.of())) {
            RoundTrip kafka = new RoundTrip(broker.bootstrapServers());
            try (Admin admin = kafka.admin()) {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(RoundTrip.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
                assertEquals(3, description.partitions().size(), "num.partitions override should apply");
            }
            assertEquals(RECORDS, kafka.consume(topic, "restart-group", RECORDS, Map.of()).size());
        }
    }

    @Test
    void shouldComeBackOnTheSameLogDirAndPortAfterStop() throws Exception {
        String topic = "survives-outage";
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
            RoundTrip kafka = new RoundTrip(bootstrap);
            kafka.createTopic(topic, Optional.of(PARTITIONS));
            kafka.produce(topic, 0, RECORDS / 2);

            broker.stop();
            broker.stop();
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                assertEquals(port, socket.getLocalPort(), "a stopped broker should not listen");
            }
            assertTrue(Files.exists(broker.logDir().resolve("meta.properties")), "a stop should keep the log dir");
            broker.restart();

            assertEquals(bootstrap, broker.bootstrapServers());
            kafka.produce(topic, RECORDS / 2, RECORDS);
            assertEquals(RECORDS, kafka.consume(topic, "outage-group", RECORDS, Map.of()).size(),
                    "records written before the stop and after the restart");
        }
    }
}
