package dev.vigil.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import dev.vigil.detect.DetectorResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the score record of one accepted event (topic {@code scoresTopic}, key = sensor key, UTF-8 JSON):
 * <pre>
 * {"key": "pump-7", "ts": 1767225600000,
 *  "value": 3.2, "prediction": 3.1, "residual": 0.1,
 *  "rawScore": 0.21, "likelihoodScore": 0.05, "patternScore": 0.02, "score": 0.05, "warmup": false,
 *  "modelVersion": 3, "alertOpen": false, "outsideRange": false, "stateReset": false}
 * </pre>
 * With named channels, {@code "values"}, {@code "prediction"} and {@code "residual"} are objects keyed by
 * channel name in the topology's order ({@code {"temp": 21.5, "vibration": 0.02}}) and {@code "value"} is absent.
 * {@code ts}: event time, epoch ms. {@code prediction}: what was predicted for this reading (the model's output
 * or, before the first model, the previous reading), null for a key's first event; {@code residual}: reading
 * minus prediction, null with it. {@code rawScore} ∈ [0, 1), {@code likelihoodScore}, {@code patternScore} (the
 * pattern signal's calibrated score) and {@code score} ∈ [0, 1]
 * (README "What Vigil does"); {@code score} is the anomaly score to threshold. {@code warmup}: the key is still
 * warming up (score 0). {@code modelVersion}: version of the model whose hidden state made the prediction, 0
 * before the first. {@code alertOpen}: an alert is open after this event. {@code outsideRange}: the reading left
 * the range seen so far by more than the range rule's tolerance (a wider one in a key's first day,
 * {@code scoring.youngRangeMs}) and, once the key's jumps are learnt, leapt there ({@code scoring.jumpHalfLife}): the
 * range rule fired. {@code stateReset}: the hidden state went non-finite and was reset at this event. A counter
 * channel's value is its increase since the key's previous reading, null at the key's first (which is in warm-up).
 * Doubles are written as the shortest text that reads back to the same bits.
 *
 * <p>The record is written straight into a reused buffer, byte for byte what {@link VigilJson}'s generator writes
 * (numbers by Jackson's own {@link NumberOutput}, field names and channel names as that generator wrote them once at
 * construction); a key that JSON would escape (a quote, a backslash, a control or non-ASCII character) is written
 * by the generator itself. Not thread-safe: one per processor.
 */
public final class ScoreRecordWriter {
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] KEY = ascii("{\"key\":\"");
    private static final byte[] TS = ascii("\",\"ts\":");
    private static final byte[] VALUE = ascii(",\"" + EventParser.VALUE_FIELD + "\":");
    private static final byte[] VALUES = ascii(",\"" + EventParser.VALUES_FIELD + "\":");
    private static final byte[] PREDICTION = ascii(",\"prediction\":");
    private static final byte[] RESIDUAL = ascii(",\"residual\":");
    private static final byte[] RAW_SCORE = ascii(",\"rawScore\":");
    private static final byte[] LIKELIHOOD_SCORE = ascii(",\"likelihoodScore\":");
    private static final byte[] PATTERN_SCORE = ascii(",\"patternScore\":");
    private static final byte[] SCORE = ascii(",\"score\":");
    private static final byte[] WARMUP = ascii(",\"warmup\":");
    private static final byte[] MODEL_VERSION = ascii(",\"modelVersion\":");
    private static final byte[] ALERT_OPEN = ascii(",\"alertOpen\":");
    private static final byte[] OUTSIDE_RANGE = ascii(",\"outsideRange\":");
    private static final byte[] STATE_RESET = ascii(",\"stateReset\":");
    /** Room for one number: a long (20 bytes) or a double (at most 24, {@code -2.2250738585072014E-308}) and quotes. */
    private static final int NUMBER_ROOM = 32;

    private final List<String> channels;
    /** Per channel, {@code "name":} as the generator writes it (escaped, UTF-8). */
    private final byte[][] channelFields;
    private byte[] buffer;
    private int length;

    /** @param channels the topology's channel names; empty for single-value events */
    public ScoreRecordWriter(List<String> channels) {
        this.channels = List.copyOf(channels);
        this.channelFields = new byte[this.channels.size()][];
        for (int c = 0; c < channelFields.length; c++) {
            channelFields[c] = fieldName(this.channels.get(c));
        }
        this.buffer = new byte[320 + 96 * Math.max(this.channels.size(), 1)];
    }

    public byte[] write(String key, DetectorResult result) {
        if (!plain(key)) {
            return writeWithGenerator(key, result);
        }
        length = 0;
        append(KEY);
        for (int i = 0; i < key.length(); i++) {
            room(1);
            buffer[length++] = (byte) key.charAt(i);
        }
        append(TS);
        room(NUMBER_ROOM);
        length = NumberOutput.outputLong(result.timestamp(), buffer, length);
        append(channels.isEmpty() ? VALUE : VALUES);
        appendReading(result.values());
        append(PREDICTION);
        appendReading(result.prediction());
        append(RESIDUAL);
        appendReading(result.residual());
        append(RAW_SCORE);
        appendDouble(result.rawScore());
        append(LIKELIHOOD_SCORE);
        appendDouble(result.likelihoodScore());
        append(PATTERN_SCORE);
        appendDouble(result.patternScore());
        append(SCORE);
        appendDouble(result.anomalyScore());
        append(WARMUP);
        append(result.warmup() ? TRUE : FALSE);
        append(MODEL_VERSION);
        room(NUMBER_ROOM);
        length = NumberOutput.outputLong(result.modelVersion(), buffer, length);
        append(ALERT_OPEN);
        append(result.alertOpen() ? TRUE : FALSE);
        append(OUTSIDE_RANGE);
        append(result.outsideRange() ? TRUE : FALSE);
        append(STATE_RESET);
        append(result.stateReset() ? TRUE : FALSE);
        room(1);
        buffer[length++] = '}';
        return Arrays.copyOf(buffer, length);
    }

    /** Whether {@code key} is written as it is between quotes: printable ASCII without a quote or backslash. */
    private static boolean plain(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private void appendReading(double[] values) {
        if (values == null) {
            append(NULL);
        } else if (channels.isEmpty()) {
            appendValue(values[0]);
        } else {
            room(1);
            buffer[length++] = '{';
            for (int c = 0; c < channelFields.length; c++) {
                if (c > 0) {
                    room(1);
                    buffer[length++] = ',';
                }
                append(channelFields[c]);
                appendValue(values[c]);
            }
            room(1);
            buffer[length++] = '}';
        }
    }

    /** A reading's value: null for NaN (a counter's first reading, which has no increase), else the number. */
    private void appendValue(double v) {
        if (Double.isNaN(v)) {
            append(NULL);
        } else {
            appendDouble(v);
        }
    }

    /** As the generator: the shortest text that reads back to the same bits, NaN and the infinities quoted. */
    private void appendDouble(double v) {
        String text = NumberOutput.toString(v, true);
        boolean quoted = NumberOutput.notFinite(v);
        room(text.length() + 2);
        if (quoted) {
            buffer[length++] = '"';
        }
        // the text is ASCII: each char is its byte (copied, not encoded into an array of its own: seven doubles an
        // event made that copy a sixth of what a stream thread allocated)
        for (int i = 0; i < text.length(); i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
        if (quoted) {
            buffer[length++] = '"';
        }
    }

    private void append(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void room(int bytes) {
        if (length + bytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, length + bytes));
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code "name":} as the generator writes a field name. */
    private static byte[] fieldName(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = VigilJson.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName(name);
            g.writeNull();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a byte array cannot fail", e);
        }
        byte[] object = out.toByteArray();
        return Arrays.copyOfRange(object, 1, object.length - NULL.length - 1);
    }

    /** The same record through the Jackson generator (keys the direct writer leaves to it; the tests' reference). */
    byte[] writeWithGenerator(String key, DetectorResult result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320 + 96 * Math.max(channels.size(), 1));
        try (JsonGenerator g = VigilJson.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("key", key);
            g.writeNumberField("ts", result.timestamp());
            writeReading(g, channels.isEmpty() ? EventParser.VALUE_FIELD : EventParser.VALUES_FIELD, result.values());
            writeReading(g, "prediction", result.prediction());
            writeReading(g, "residual", result.residual());
            g.writeNumberField("rawScore", result.rawScore());
            g.writeNumberField("likelihoodScore", result.likelihoodScore());
            g.writeNumberField("patternScore", result.patternScore());
            g.writeNumberField("score", result.anomalyScore());
            g.writeBooleanField("warmup", result.warmup());
            g.writeNumberField("modelVersion", result.modelVersion());
            g.writeBooleanField("alertOpen", result.alertOpen());
            g.writeBooleanField("outsideRange", result.outsideRange());
            g.writeBooleanField("stateReset", result.stateReset());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a byte array cannot fail", e);
        }
        return out.toByteArray();
    }

    private void writeReading(JsonGenerator g, String field, double[] values) throws IOException {
        g.writeFieldName(field);
        if (values == null) {
            g.writeNull();
        } else if (channels.isEmpty()) {
            writeValue(g, values[0]);
        } else {
            g.writeStartObject();
            for (int c = 0; c < channels.size(); c++) {
                g.writeFieldName(channels.get(c));
                writeValue(g, values[c]);
            }
            g.writeEndObject();
        }
    }

    private static void writeValue(JsonGenerator g, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNull();
        } else {
            g.writeNumber(v);
        }
    }
}
