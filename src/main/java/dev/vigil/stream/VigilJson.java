package dev.vigil.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON setup the stream reads events and writes records with. Reading: {@code NaN}, {@code Infinity}
 * and {@code -Infinity} are accepted as number tokens (so that such events are classified as
 * {@link RejectReason#NON_FINITE} rather than {@link RejectReason#NOT_JSON}), and a field repeated in one
 * object is a syntax error (which of two {@code "value"}s would be meant is undecidable). Writing and reading
 * doubles use the Schubfach / FastDoubleParser algorithms: the shortest text that reads back to the same
 * bits, identical on every JDK. Thread-safe.
 */
public final class VigilJson {
    /** Shared streaming factory (parsers and generators). */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();
    /** Shared mapper on {@link #FACTORY}, for callers that want trees (tools, tests). */
    public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private VigilJson() {
    }
}
