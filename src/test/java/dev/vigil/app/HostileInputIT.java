package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.stream.DeadLetterHeaders;
import dev.vigil.testutil.HostileRecords;
import dev.vigil.testutil.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service against a real broker under a seeded flood of hostile input (random bytes, invalid UTF-8 in keys and
 * values, truncated and deeply nested JSON, 1e400 and NaN, duplicate fields, oversized strings, arrays where objects
 * belong, tombstones and JSON null, empty, missing and 10,000-byte keys, event times far in the past and future,
 * epoch seconds) mixed with good events: the stream never stops, every good event is scored exactly once, every bad
 * record is in the dead-letter topic exactly once with a reason its kind allows, and the counts add up exactly.
 */
class HostileInputIT {
    private static final int RECORDS = 100_000;
    private static final int KEYS = 40;
    private static final int MAX_RECORD_BYTES = 65_536;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void shouldScoreEveryGoodRecordAndDeadLetterEveryBadOneWithItsReason() throws Exception {
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        String name = "hostile";
        TopologyConfig topology = new TopologyConfig(name, name + "-events", null, List.of(), "ts", 0, MAX_RECORD_BYTES,
                name + "-scores", name + "-alerts", name + "-dlq", name + "-models",
                // no training: this test is about input, and keeps the stream thread busy with it alone
                Map.of("retrain.minTrainPoints", "1000000", "retrain.historySize", "1000000"));
        AppConfig app = new AppConfig(broker.bootstrapServers(), "hostile-it", tmp, true, 2, 1,
                Map.of("commit.interval.ms", "200"));
        List<HostileRecords.Input> inputs = new HostileRecords(2026, KEYS, MAX_RECORD_BYTES).generate(RECORDS, 0.6);
        long good = inputs.stream().filter(HostileRecords.Input::good).count();

        Map<String, HostileRecords.Input> byOffset = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> scores = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        try (VigilService service = VigilService.start(app, List.of(topology), ServiceScenario.LIMIT)) {
            produce(broker.bootstrapServers(), topology.inputTopic(), inputs, byOffset);
            try (KafkaConsumer<String, byte[]> s = ServiceScenario.consumer(broker.bootstrapServers(), topology.scoresTopic());
                 KafkaConsumer<String, byte[]> d = ServiceScenario.consumer(broker.bootstrapServers(), topology.dlqTopic())) {
                long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
                while ((scores.size() < good || dead.size() < RECORDS - good) && System.nanoTime() < deadline) {
                    ServiceScenario.collect(s, scores, (int) good, Duration.ofMillis(200));
                    ServiceScenario.collect(d, dead, RECORDS - (int) good, Duration.ofMillis(200));
                }
                // anything written twice would arrive now
                ServiceScenario.collect(s, scores, Integer.MAX_VALUE, Duration.ofSeconds(2));
                ServiceScenario.collect(d, dead, Integer.MAX_VALUE, Duration.ofSeconds(2));
            }
            for (KafkaStreams streams : service.applications()) {
                assertEquals(KafkaStreams.State.RUNNING, streams.state(), "the stream never stops");
            }
        }

        assertEquals(good, scores.size(), "every good record scored exactly once");
        assertEquals(RECORDS - good, dead.size(), "every bad record dead-lettered exactly once");
        Set<String> expectedScores = new HashSet<>();
        for (HostileRecords.Input in : inputs) {
            if (in.good()) {
                expectedScores.add(in.scoreKey() + "@" + in.ts());
            }
        }
        Set<String> scored = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : scores) {
            JsonNode n = JSON.readTree(r.value());
            assertTrue(scored.add(r.key() + "@" + n.get("ts").asLong()), "scored twice: " + r.key().length());
        }
        assertEquals(expectedScores, scored, "the good records, no other");

        Map<String, Integer> byKind = new TreeMap<>();
        Set<String> seenOffsets = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : dead) {
            String at = DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE_PARTITION) + "-"
                    + DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE_OFFSET);
            HostileRecords.Input in = byOffset.get(at);
            assertTrue(in != null && !in.good(), "dead letter " + at + " is one of the bad records");
            assertTrue(seenOffsets.add(at), "dead-lettered twice: " + at);
            String reason = DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON);
            assertTrue(in.reasons().contains(reason), in.kind() + " at " + at + " refused as " + reason + " ("
                    + DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.DETAIL) + "), expected one of " + in.reasons());
            String detail = DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.DETAIL);
            assertTrue(detail != null && !detail.isBlank() && detail.length() < 1_000, in.kind() + " detail: " + detail);
            byKind.merge(in.kind(), 1, Integer::sum);
        }
        assertTrue(byKind.size() >= 18, "every kind of bad record was tried: " + byKind);
    }

    private static void produce(String bootstrap, String topic, List<HostileRecords.Input> inputs,
                                Map<String, HostileRecords.Input> byOffset) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        List<Future<RecordMetadata>> sent = new ArrayList<>(inputs.size());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (HostileRecords.Input in : inputs) {
                sent.add(producer.send(new ProducerRecord<>(topic, in.key(), in.value())));
            }
            producer.flush();
        }
        for (int i = 0; i < inputs.size(); i++) {
            RecordMetadata m = sent.get(i).get();
            byOffset.put(m.partition() + "-" + m.offset(), inputs.get(i));
        }
    }
}
