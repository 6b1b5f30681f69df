package dev.vigil.app.http;

import dev.vigil.stream.ForgetRequests;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends {@code DELETE /sensors/{key}}'s requests to forget a key ({@link ForgetRequests}, as {@code vigil forget}
 * does) to the input topic, with one producer made at the first request and closed with the endpoint. Thread-safe.
 */
final class ForgetSender implements AutoCloseable {
    /** How long a request waits for the broker's acknowledgement before the caller is told to retry. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private final Properties producerProperties;
    private Producer<String, byte[]> producer;
    private boolean closed;

    /** @param producerProperties String keys, byte[] values, idempotent (the service's producer settings) */
    ForgetSender(Properties producerProperties) {
        this.producerProperties = (Properties) producerProperties.clone();
        // an unknown topic or an unreachable cluster fails the request in time, not after the default minute
        this.producerProperties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
    }

    /**
     * Sends a request to forget {@code key} and waits for its acknowledgement.
     *
     * @param partition the partition of the key's events, or null to let the producer choose (a topology with a key
     *                  field re-keys the request, so its partition in the input topic does not matter)
     * @param by        who asked, kept in the request's header for the log
     * @throws KafkaException when the broker did not acknowledge it within {@link #SEND_TIMEOUT} (or refused it)
     */
    RecordMetadata send(String topic, Integer partition, String key, String by) throws InterruptedException {
        try {
            return producer().send(new ProducerRecord<>(topic, partition, null, key, null, ForgetRequests.headers(by)))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("not acknowledged within " + SEND_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private synchronized Producer<String, byte[]> producer() {
        if (closed) {
            throw new KafkaException("the HTTP endpoint is closing");
        }
        if (producer == null) {
            producer = new KafkaProducer<>(producerProperties);
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
