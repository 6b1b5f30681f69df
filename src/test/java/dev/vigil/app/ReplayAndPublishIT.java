package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.Normalisation;
import dev.vigil.lstm.TrainingInfo;
import dev.vigil.testutil.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vigil replay} and {@code vigil publish-model} against a real broker. */
class ReplayAndPublishIT {
    private static final Duration POLL_LIMIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static List<ConsumerRecord<String, byte[]>> consume(EmbeddedKafkaBroker broker, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + POLL_LIMIT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static long endOffset(EmbeddedKafkaBroker broker, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return c.endOffsets(List.of(tp)).get(tp);
        }
    }

    private static int run(String... args) {
        return CommandRun.of(args).code();
    }

    @Test
    void shouldPublishEveryCsvRowAsAJsonEventUnderTheKey() throws IOException {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        broker.createTopic("replay-events", 2);
        Path csv = tmp.resolve("s.csv");
        Files.writeString(csv, "timestamp,value\n2026-01-01 00:00:00,1.5\n2026-01-01 00:05:00,2\n2026-01-01 00:10:00,-3.25\n");
        assertEquals(0, run("replay", "--bootstrap-servers", broker.bootstrapServers(), "--file", csv.toString(),
                "--topic", "replay-events", "--key", "pump-7", "--rate", "1000/s"));
        List<ConsumerRecord<String, byte[]>> records = consume(broker, "replay-events", 3);
        assertEquals(3, records.size());
        JsonNode last = JSON.readTree(records.get(2).value());
        assertEquals("pump-7", records.get(2).key());
        assertEquals(1_767_225_600_000L + 600_000L, last.get("ts").asLong());
        assertEquals(-3.25, last.get("value").asDouble());
    }

    @Test
    void shouldStopAndFailWhenAnEventCannotBePublished() throws IOException {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        Path csv = tmp.resolve("s.csv");
        Files.writeString(csv, "timestamp,value\n2026-01-01 00:00:00,1.5\n2026-01-01 00:05:00,2\n");
        CommandRun r = CommandRun.of("replay", "--bootstrap-servers", broker.bootstrapServers(), "--file",
                csv.toString(), "--topic", "no such topic!", "--key", "pump-7");
        assertEquals(1, r.code(), "a send that fails is no success: " + r.err());
        assertTrue(r.err().startsWith("error: 0 of 2 events for key pump-7 published to no such topic!, then a send"
                + " failed"), r.err());
        assertFalse(r.out().contains("published 2 events"), r.out());
    }

    @Test
    void shouldPublishAValidModelAndRefuseACorruptOne() throws IOException {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        broker.createTopic("it-models", 1);
        LstmModel model = LstmModel.initialise(new LstmConfig(1, 4, 1, 1.0, true), Normalisation.identity(1), 3)
                .withInfo(new TrainingInfo("pump-7", 2, 3, 1, 0.1, 0.2, 500));
        byte[] payload = ModelCodec.encode(model);
        Path good = tmp.resolve("good.bin");
        Files.write(good, payload);
        Path bad = tmp.resolve("bad.bin");
        byte[] corrupt = payload.clone();
        corrupt[corrupt.length / 2] ^= 0x55;
        Files.write(bad, corrupt);
        assertEquals(2, run("publish-model", "--bootstrap-servers", broker.bootstrapServers(), "--file", bad.toString(),
                "--key", "pump-7", "--topic", "it-models"));
        assertEquals(0, run("publish-model", "--bootstrap-servers", broker.bootstrapServers(), "--file", good.toString(),
                "--key", "pump-7", "--topic", "it-models"));
        List<ConsumerRecord<String, byte[]>> records = consume(broker, "it-models", 1);
        assertEquals(1, records.size(), "only the valid payload is published");
        assertEquals("pump-7", records.get(0).key());
        assertArrayEquals(payload, records.get(0).value());
        assertEquals(1L, endOffset(broker, "it-models"), "the corrupt payload never reached the topic");
    }

    @Test
    void shouldPublishToTheGivenPartitionAndTheSharedModelToEveryPartition() throws IOException {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        broker.createTopic("it-models-3", 3);
        Path keyed = tmp.resolve("keyed.bin");
        Files.write(keyed, ModelCodec.encode(LstmModel.initialise(new LstmConfig(1, 4, 1, 1.0, true),
                Normalisation.identity(1), 3).withInfo(new TrainingInfo("pump-7", 2, 3, 1, 0.1, 0.2, 500))));
        Path shared = tmp.resolve("shared.bin");
        Files.write(shared, ModelCodec.encode(LstmModel.initialise(new LstmConfig(1, 4, 1, 1.0, true),
                Normalisation.identity(1), 4).withInfo(new TrainingInfo("shared", 1, 4, 1, 0.1, 0.2, 500))));
        int java = ServiceScenario.javaPartition("pump-7", 3);
        int other = (java + 1) % 3;
        assertEquals(0, run("publish-model", "--bootstrap-servers", broker.bootstrapServers(), "--file", keyed.toString(),
                "--key", "pump-7", "--partition", Integer.toString(other), "--topic", "it-models-3"));
        assertEquals(0, run("publish-model", "--bootstrap-servers", broker.bootstrapServers(), "--file", shared.toString(),
                "--key", "shared", "--topic", "it-models-3"));
        List<ConsumerRecord<String, byte[]>> records = consume(broker, "it-models-3", 4);
        assertEquals(4, records.size());
        assertEquals(List.of(other), records.stream().filter(r -> r.key().equals("pump-7")).map(ConsumerRecord::partition)
                .toList(), "the keyed model goes to the partition given, not the key's Java partition " + java);
        assertEquals(List.of(0, 1, 2), records.stream().filter(r -> r.key().equals("shared"))
                .map(ConsumerRecord::partition).sorted().toList(), "the shared model goes to every partition");
    }
}
