package dev.vigil.app.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vigil.VigilException;
import dev.vigil.stream.VigilJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Event-to-score latency at a steady offered load: events are produced at {@code rate} per second, round-robin
 * over the keys, each with event time = wall-clock send time (kept increasing per key); a {@code read_committed}
 * consumer of the scores topic matches each score record to its event by key and {@code ts}. Latency = consume
 * time minus send time (both {@link System#nanoTime()}), so it includes batching, processing and the
 * exactly-once commit interval.
 */
final class LatencyProbe {
    /** Latencies in nanoseconds, sorted. */
    record Latencies(long[] sortedNanos, double offeredRate, double achievedRate) {
        double percentileMs(double q) {
            int i = (int) Math.min(sortedNanos.length - 1, Math.max(0, Math.ceil(q * sortedNanos.length) - 1));
            return sortedNanos[i] / 1e6;
        }

        double maxMs() {
            return sortedNanos[sortedNanos.length - 1] / 1e6;
        }
    }

    private final String bootstrapServers;
    private final String inputTopic;
    private final String scoresTopic;
    private final int keys;

    LatencyProbe(String bootstrapServers, String inputTopic, String scoresTopic, int keys) {
        this.bootstrapServers = bootstrapServers;
        this.inputTopic = inputTopic;
        this.scoresTopic = scoresTopic;
        this.keys = keys;
    }

    /** Offers {@code rate}/s for {@code seconds} s to the running {@code streams}; returns every event's latency. */
    Latencies run(KafkaProducer<String, byte[]> producer, KafkaStreams streams, double rate, int seconds,
                  BenchSeries series) throws InterruptedException {
        int total = (int) Math.max(1, Math.round(rate * seconds));
        Map<String, Long> sent = new ConcurrentHashMap<>();
        long[] latencies = new long[total];
        int[] matched = {0};
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (OutputCounter scores = new OutputCounter(bootstrapServers, scoresTopic, true)) {
                scores.await(total, streams, r -> {
                    long now = System.nanoTime();
                    Long at = sent.remove(r.key() + "@" + timestamp(r));
                    if (at != null && matched[0] < total) {
                        latencies[matched[0]++] = now - at;
                    }
                });
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "vigil-bench-latency-reader");
        reader.start();
        Thread.sleep(1000); // let the reader fetch its end offsets before the first event
        long[] lastTs = new long[keys];
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int k = i % keys;
            long ts = Math.max(System.currentTimeMillis(), lastTs[k] + 1);
            lastTs[k] = ts;
            String key = BenchSeries.key(k);
            sent.put(key + "@" + ts, System.nanoTime());
            producer.send(new ProducerRecord<>(inputTopic, key, BenchSeries.json(ts, series.value(k, i / keys))));
        }
        producer.flush();
        double achieved = total / ((System.nanoTime() - start) / 1e9);
        reader.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        if (matched[0] == 0) {
            throw new VigilException("no score record matched a latency event");
        }
        long[] sorted = Arrays.copyOf(latencies, matched[0]);
        Arrays.sort(sorted);
        return new Latencies(sorted, rate, achieved);
    }

    private static long timestamp(ConsumerRecord<String, byte[]> r) {
        try (JsonParser p = VigilJson.FACTORY.createParser(r.value())) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "ts".equals(p.currentName())) {
                    p.nextToken();
                    return p.getLongValue();
                }
            }
        } catch (IOException e) {
            throw new VigilException("unreadable score record: " + e.getMessage(), e);
        }
        throw new VigilException("score record without ts");
    }
}
