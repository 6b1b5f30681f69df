package dev.vigil.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.detect.DetectorResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * the range seen so far. {@code stateReset}: the hidden state went non-finite and was reset at this event.
 * Doubles are written as the shortest text that reads back to the same bits. Stateless, thread-safe.
 */
public final class ScoreRecordWriter {
    private final List<String> channels;

    /** @param channels the topology's channel names; empty for single-value events */
    public ScoreRecordWriter(List<String> channels) {
        this.channels = List.copyOf(channels);
    }

    public byte[] write(String key, DetectorResult result) {
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
            g.writeNumber(values[0]);
        } else {
            g.writeStartObject();
            for (int c = 0; c < channels.size(); c++) {
                g.writeNumberField(channels.get(c), values[c]);
            }
            g.writeEndObject();
        }
    }
}
