package dev.vigil.app.bench;

import dev.vigil.VigilException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * A {@code read_committed} consumer of one output topic, assigned to all its partitions (no group), so that what
 * it counts is what the Streams application has committed.
 */
final class OutputCounter implements AutoCloseable {
    /** The run fails when no output arrives for this long. */
    static final Duration STALL_LIMIT = Duration.ofMinutes(3);

    private final KafkaConsumer<String, byte[]> consumer;

    OutputCounter(String bootstrapServers, String topic, boolean fromEnd) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        if (fromEnd) {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        } else {
            consumer.seekToBeginning(partitions);
        }
    }

    /**
     * When the awaited records arrived ({@link System#nanoTime()}): the first poll that returned any, how many it
     * returned, and the poll that returned the last; with a {@link CpuMeter}, the CPU used between those two polls
     * (else {@link CpuMeter.Use#NONE}); and the same from the first poll at which {@code settleAfter} records had been
     * seen ({@code settledCount} of them then; 0 and {@link CpuMeter.Use#NONE} when not asked for or never reached).
     */
    record Arrival(long firstNanos, long firstCount, long lastNanos, CpuMeter.Use cpu, long settledNanos,
                   long settledCount, CpuMeter.Use settledCpu) {
    }

    /**
     * Polls until {@code expected} records have been seen, handing each to {@code each}.
     *
     * @return when they arrived
     * @throws VigilException when {@code streams} fails or nothing arrives for {@link #STALL_LIMIT}
     */
    Arrival await(long expected, KafkaStreams streams, Consumer<ConsumerRecord<String, byte[]>> each) {
        return await(expected, streams, null, 0, each);
    }

    /**
     * {@link #await(long, KafkaStreams, Consumer)}, sampling {@code meter} (may be null) at the first and last poll,
     * and at the first poll by which {@code settleAfter} records (0: none) had been seen.
     */
    Arrival await(long expected, KafkaStreams streams, CpuMeter meter, long settleAfter,
                  Consumer<ConsumerRecord<String, byte[]>> each) {
        long seen = 0;
        long firstNanos = 0;
        long firstCount = 0;
        long settledNanos = 0;
        long settledCount = 0;
        long lastProgress = System.nanoTime();
        CpuMeter.Sample firstCpu = null;
        CpuMeter.Sample settledCpu = null;
        CpuMeter.Sample lastCpu = null;
        while (seen < expected) {
            int n = 0;
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                each.accept(r);
                n++;
            }
            seen += n;
            long now = System.nanoTime();
            if (n > 0) {
                CpuMeter.Sample cpu = meter == null ? null : meter.sample();
                if (firstCount == 0) {
                    firstNanos = now;
                    firstCount = n;
                    firstCpu = cpu;
                }
                if (settleAfter > 0 && settledCount == 0 && seen >= settleAfter && seen < expected) {
                    settledNanos = now;
                    settledCount = seen;
                    settledCpu = cpu;
                }
                lastProgress = now;
                lastCpu = cpu;
            } else if (now - lastProgress > STALL_LIMIT.toNanos()) {
                throw new VigilException("no output for " + STALL_LIMIT.toSeconds() + " s after " + seen + " of "
                        + expected + " records");
            }
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                throw new VigilException("the Streams application stopped (" + state + ") after " + seen + " of "
                        + expected + " outputs");
            }
        }
        CpuMeter.Use cpu = firstCpu == null ? CpuMeter.Use.NONE : CpuMeter.Use.between(firstCpu, lastCpu, seen - firstCount);
        CpuMeter.Use settled = settledCpu == null ? CpuMeter.Use.NONE
                : CpuMeter.Use.between(settledCpu, lastCpu, seen - settledCount);
        return new Arrival(firstNanos, firstCount, lastProgress, cpu, settledNanos, settledCount, settled);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
