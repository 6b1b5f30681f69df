package dev.vigil.stream;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * Where an input record came from (its original key, topic, partition, offset). A topology with a key field
 * re-keys events and sends them through a repartition topic; the re-key step stamps the origin into internal
 * {@value #PREFIX}* headers so that the detector can dead-letter a record with its original key and the input
 * coordinates rather than the repartition topic's. The headers never reach an output topic.
 *
 * @param key the original record key (null for a null key)
 */
record RecordOrigin(String key, String topic, int partition, long offset) {
    static final String PREFIX = "vigil.origin.";
    static final String KEY = PREFIX + "key";
    static final String TOPIC = PREFIX + "topic";
    static final String PARTITION = PREFIX + "partition";
    static final String OFFSET = PREFIX + "offset";

    /** Replaces any origin headers in {@code headers} with this origin's. */
    void stampOnto(Headers headers) {
        strip(headers);
        headers.add(KEY, key == null ? null : key.getBytes(StandardCharsets.UTF_8));
        headers.add(TOPIC, utf8(topic == null ? "" : topic));
        headers.add(PARTITION, utf8(Integer.toString(partition)));
        headers.add(OFFSET, utf8(Long.toString(offset)));
    }

    /** The origin stamped in {@code headers}, or null when there is none (or it is malformed). */
    static RecordOrigin from(Headers headers) {
        Header key = headers.lastHeader(KEY);
        String topic = DeadLetterHeaders.text(headers, TOPIC);
        String partition = DeadLetterHeaders.text(headers, PARTITION);
        String offset = DeadLetterHeaders.text(headers, OFFSET);
        if (key == null || topic == null || partition == null || offset == null) {
            return null;
        }
        try {
            String k = key.value() == null ? null : new String(key.value(), StandardCharsets.UTF_8);
            return new RecordOrigin(k, topic, Integer.parseInt(partition), Long.parseLong(offset));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static void strip(Headers headers) {
        headers.remove(KEY);
        headers.remove(TOPIC);
        headers.remove(PARTITION);
        headers.remove(OFFSET);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
