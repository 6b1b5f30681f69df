package dev.vigil.stream;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * Headers of a dead-letter record (topic {@code dlqTopic}). A dead-letter record carries the refused record's
 * original key and value bytes and timestamp, its original headers, and these, as UTF-8 text:
 * <ul>
 *   <li>{@value #REASON}: the {@link RejectReason} name, e.g. {@code NOT_JSON}</li>
 *   <li>{@value #DETAIL}: one line saying what was wrong</li>
 *   <li>{@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION}, {@value #SOURCE_OFFSET}: where the record was read
 *       (the input topic, also when the topology re-keys through a repartition topic)</li>
 * </ul>
 * Headers starting with {@value #PREFIX} already on the record (a dead letter fed back in) are replaced, so each
 * name appears once; Vigil's internal {@code vigil.origin.*} headers are dropped.
 */
public final class DeadLetterHeaders {
    public static final String PREFIX = "vigil.dlq.";
    public static final String REASON = PREFIX + "reason";
    public static final String DETAIL = PREFIX + "detail";
    public static final String SOURCE_TOPIC = PREFIX + "source.topic";
    public static final String SOURCE_PARTITION = PREFIX + "source.partition";
    public static final String SOURCE_OFFSET = PREFIX + "source.offset";

    private DeadLetterHeaders() {
    }

    /**
     * The original headers (copied; {@code original} is not modified) plus the dead-letter headers.
     *
     * @param partition -1 and offset -1 when unknown
     */
    public static Headers of(Headers original, RejectReason reason, String detail, String topic, int partition,
                             long offset) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (Header h : original) {
                if (!h.key().startsWith(PREFIX) && !h.key().startsWith(RecordOrigin.PREFIX)) {
                    headers.add(h.key(), h.value());
                }
            }
        }
        headers.add(REASON, utf8(reason.name()));
        headers.add(DETAIL, utf8(detail));
        headers.add(SOURCE_TOPIC, utf8(topic == null ? "" : topic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
        return headers;
    }

    /** The text of the last header named {@code key}, or null. */
    public static String text(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
