package dev.vigil.app.bench;

import dev.vigil.VigilException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends a benchmark's records and, once flushed, fails loudly if any of them was not written: a send that times
 * out unseen would leave a benchmark measuring fewer models or events than it says it published.
 */
final class CheckedSends implements Callback {
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    CheckedSends(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    void send(ProducerRecord<String, byte[]> record) {
        sent.incrementAndGet();
        producer.send(record, this);
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception != null) {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, exception);
        }
    }

    /** Flushes and throws if any record sent so far was not written; {@code what} names them in the message. */
    void awaitAll(String what) {
        producer.flush();
        if (failed.get() > 0) {
            Exception cause = firstFailure.get();
            throw new VigilException(failed.get() + " of " + sent.get() + " " + what + " were not written: "
                    + cause.getMessage(), cause);
        }
    }
}
