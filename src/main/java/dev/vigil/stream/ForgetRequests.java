package dev.vigil.stream;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * A request to forget a key, on the input topic: a record keyed by the sensor key whose value is null and whose
 * headers hold {@value #HEADER} ({@code vigil forget} writes one). It travels with the key's events, so the task
 * holding the key forgets it in order, in its transaction, as {@code keyIdleExpiryMs} would. A null value without
 * the header is still a bad event ({@link RejectReason#MISSING_VALUE}): a producer's slip never deletes a key.
 */
public final class ForgetRequests {
    /** The header that makes a null-valued record a request to forget its key. */
    public static final String HEADER = "vigil.forget";

    private ForgetRequests() {
    }

    /** Whether the record with this value and these headers asks to forget its key. */
    static boolean isRequest(byte[] value, Headers headers) {
        return value == null && headers != null && headers.lastHeader(HEADER) != null;
    }

    /** The headers of a request ({@code by}: who asked, kept in the header's value for the log). */
    public static Headers headers(String by) {
        RecordHeaders h = new RecordHeaders();
        h.add(HEADER, by.getBytes(StandardCharsets.UTF_8));
        return h;
    }
}
