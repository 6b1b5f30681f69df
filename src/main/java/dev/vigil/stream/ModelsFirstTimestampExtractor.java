package dev.vigil.stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Timestamps of the models source: every model record counts as time 0. A detector task takes, of its two sources,
 * the buffered record of lowest timestamp, so it takes a model up as soon as it has fetched it, before any event it
 * has buffered (as the global store did), whatever timestamps the model's publisher and the events carry: a model
 * published "now" does not wait behind a backlog of events, and a shared model reaches a partition that lags behind
 * the one whose key asked for it without waiting for it to catch up. The records in the models topic keep their own
 * timestamps; the model store's changelog records get 0 (its topic allows that whatever the broker's
 * {@code log.message.timestamp.before.max.ms}, {@link VigilTopology}).
 */
final class ModelsFirstTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        return 0;
    }
}
