package dev.vigil.app.bench;

import dev.vigil.lstm.LstmModel;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes new versions of the keys' models at a steady rate from a thread of its own, as a fleet's trainer puts
 * them in force, while a benchmark's application processes: versions 2, 3, ... of keys 0 .. {@code keys - 1}, round
 * robin. Each accepted version changes the task's model store under every key of its partition. Closing stops it.
 */
final class ModelChurn implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final Thread thread;

    /** Starts publishing {@code perSecond} versions a second (none when it or {@code keys} is 0). */
    ModelChurn(String bootstrap, String topic, LstmModel model, int keys, int perSecond) {
        if (perSecond <= 0 || keys <= 0) {
            thread = null;
            return;
        }
        thread = new Thread(() -> publish(bootstrap, topic, model, keys, perSecond), "bench-model-churn");
        thread.setDaemon(true);
        thread.start();
    }

    private void publish(String bootstrap, String topic, LstmModel model, int keys, int perSecond) {
        try (KafkaProducer<String, byte[]> producer = StreamBenchmark.producer(bootstrap, 5)) {
            long start = System.nanoTime();
            for (long n = 0; running.get(); n++) {
                long due = start + n * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                String key = BenchSeries.key((int) (n % keys));
                producer.send(new ProducerRecord<>(topic, key, BenchSeries.payloadFor(model, key, 2 + n / keys)));
                sent.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops publishing and returns how many versions were sent. */
    long stop() {
        running.set(false);
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return sent.get();
    }

    @Override
    public void close() {
        stop();
    }
}
