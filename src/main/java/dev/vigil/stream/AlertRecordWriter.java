package dev.vigil.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.detect.DetectorResult;
import dev.vigil.score.AlertTransition;
import dev.vigil.score.Scorer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Writes the alert record of an event that opened or closed its key's alert (topic {@code alertsTopic}, key =
 * sensor key, UTF-8 JSON):
 * <pre>
 * {"key": "pump-7", "ts": 1767225600000, "type": "opened", "score": 0.93,
 *  "channels": ["vibration", "temp"], "modelVersion": 3}
 * </pre>
 * {@code ts}: event time, epoch ms. {@code type}: {@code "opened"} or {@code "closed"}. {@code score}: the
 * event's anomaly score. {@code channels}: the channels with the largest scaled residuals at this event, most
 * first (at most 3; empty when the event had no prediction); single-value topologies name their one channel
 * {@code "value"}. {@code modelVersion}: as in the score record. Stateless, thread-safe.
 */
public final class AlertRecordWriter {
    private final List<String> channels;

    /** @param channels the topology's channel names; empty for single-value events */
    public AlertRecordWriter(List<String> channels) {
        this.channels = channels.isEmpty() ? List.of(EventParser.VALUE_FIELD) : List.copyOf(channels);
    }

    /** The alert record for {@code result}, whose transition must be OPENED or CLOSED. */
    public byte[] write(String key, DetectorResult result) {
        if (result.transition() == AlertTransition.NONE) {
            throw new IllegalArgumentException("an alert record needs an OPENED or CLOSED transition");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(192);
        try (JsonGenerator g = VigilJson.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("key", key);
            g.writeNumberField("ts", result.timestamp());
            g.writeStringField("type", result.transition().name().toLowerCase(Locale.ROOT));
            g.writeNumberField("score", result.anomalyScore());
            g.writeStringField("reason", result.alertReason() == null ? null : result.alertReason().label());
            g.writeStringField("detail", named(result.alertDetail()));
            g.writeArrayFieldStart("channels");
            for (int c : result.topChannels()) {
                g.writeString(channels.get(c));
            }
            g.writeEndArray();
            g.writeNumberField("modelVersion", result.modelVersion());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a byte array cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * The detail with a leading channel index ({@link Scorer#CHANNEL_TAG}, "channel 1: ...") replaced by the
     * topology's name for that channel ("vibration: ..."); any other detail as it is.
     */
    String named(String detail) {
        if (detail == null || !detail.startsWith(Scorer.CHANNEL_TAG)) {
            return detail;
        }
        int colon = detail.indexOf(": ", Scorer.CHANNEL_TAG.length());
        try {
            int c = colon < 0 ? -1 : Integer.parseInt(detail.substring(Scorer.CHANNEL_TAG.length(), colon));
            return c >= 0 && c < channels.size() ? channels.get(c) + detail.substring(colon) : detail;
        } catch (NumberFormatException e) {
            return detail;
        }
    }
}
