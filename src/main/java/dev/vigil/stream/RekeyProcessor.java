package dev.vigil.stream;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys each input record by the topology's key field, ahead of the repartition topic, so that all events of
 * a sensor meet in one task. It only reads the key field ({@link EventParser#extractKey}); validating the event
 * is the detector's job, so that every bad record is classified in one place. A record whose key cannot be
 * read (not JSON, oversized, field missing...) goes on under the key {@value #UNKEYED} and is dead-lettered by
 * the detector with its reason; a request to forget a key ({@link ForgetRequests}) goes on under its record key. The
 * original key and input coordinates travel in {@link RecordOrigin} headers.
 */
final class RekeyProcessor implements Processor<String, byte[], String, byte[]> {
    /** Key of records whose key field cannot be read; the detector refuses them all. */
    static final String UNKEYED = "";

    private final EventParser parser;
    private ProcessorContext<String, byte[]> context;

    RekeyProcessor(EventParser parser) {
        this.parser = parser;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        // a request to forget a key names the sensor key as its record key: it has no value to read one from
        String key = ForgetRequests.isRequest(record.value(), record.headers()) ? record.key()
                : parser.extractKey(record.value());
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        RecordOrigin origin = context.recordMetadata()
                .map(m -> new RecordOrigin(record.key(), m.topic(), m.partition(), m.offset()))
                .orElseGet(() -> new RecordOrigin(record.key(), "", -1, -1));
        origin.stampOnto(headers);
        context.forward(record.withKey(key == null ? UNKEYED : key).withHeaders(headers));
    }
}
