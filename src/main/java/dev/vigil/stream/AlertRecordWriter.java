package dev.vigil.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.detect.DetectorResult;
import dev.vigil.score.AlertTransition;

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
            g.writeStringField("detail", named(result.alertDetail(), result.alertDetailChannel()));
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
     * The detail, when it is about one channel ({@code channel} >= 0), led by the topology's name for that channel
     * ("vibration: a reading of ..."), or by its index when the topology names fewer channels; else as it is.
     */
    String named(String detail, int channel) {
        if (detail == null || channel < 0) {
            return detail;
        }
        return (channel < channels.size() ? channels.get(channel) : "channel " + channel) + ": " + detail;
    }
}
