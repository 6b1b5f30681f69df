package dev.vigil.stream;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;

/**
 * A detector task's dead letters: a record it refuses goes to the dead-letter sink with its original key, value,
 * timestamp and headers plus the {@link DeadLetterHeaders}, is counted per reason ({@link VigilMetrics}) and logged
 * (the first {@value DetectorProcessor#WARN_FIRST} of each reason, then one in {@value DetectorProcessor#WARN_EVERY},
 * at WARN with topic/partition/offset; all at DEBUG). Where the record was first read: its metadata, or for a rekeyed topology
 * the origin its rekeying stamped in its headers. One per processor (made at its {@code init}); not thread-safe.
 */
final class DeadLetterSink {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorProcessor.class);

    private final ProcessorContext<String, byte[]> context;
    private final TopologyNames names;
    private final boolean rekeyed;
    private final Map<RejectReason, Sensor> counters = new EnumMap<>(RejectReason.class);
    private final long[] rejected = new long[RejectReason.values().length];

    DeadLetterSink(ProcessorContext<String, byte[]> context, TopologyNames names, boolean rekeyed) {
        this.context = context;
        this.names = names;
        this.rekeyed = rekeyed;
        for (RejectReason reason : RejectReason.values()) {
            counters.put(reason, VigilMetrics.counter(context.metrics(), names.topology(), reason.metricName()));
        }
    }

    /** Sends {@code record} to the dead letters for {@code reason}, {@code detail} saying why. */
    void send(Record<String, byte[]> record, RejectReason reason, String detail) {
        RecordOrigin origin = origin(record);
        counters.get(reason).record();
        long n = ++rejected[reason.ordinal()];
        if (DetectorProcessor.atLevel(n)) {
            LOG.warn("record at {}-{} offset {} sent to the dead-letter topic, {} (#{} of this reason): {}",
                    origin.topic(), origin.partition(), origin.offset(), reason, n, detail);
        } else {
            LOG.debug("record at {}-{} offset {} sent to the dead-letter topic, {}: {}", origin.topic(),
                    origin.partition(), origin.offset(), reason, detail);
        }
        context.forward(new Record<>(origin.key(), record.value(), record.timestamp(), DeadLetterHeaders.of(
                record.headers(), reason, detail, origin.topic(), origin.partition(), origin.offset())),
                names.dlqSink());
    }

    /** Where the record was first read: only asked for a dead letter (a rekeyed record's headers are parsed then). */
    private RecordOrigin origin(Record<String, byte[]> record) {
        RecordOrigin stamped = rekeyed ? RecordOrigin.from(record.headers()) : null;
        if (stamped != null) {
            return stamped;
        }
        return context.recordMetadata()
                .map(m -> new RecordOrigin(record.key(), m.topic(), m.partition(), m.offset()))
                .orElseGet(() -> new RecordOrigin(record.key(), "", -1, -1));
    }
}
