package dev.vigil.config;

import dev.vigil.BadConfigException;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One stream topology: where events come from, how they are keyed and read, where scores, alerts,
 * dead letters and models go, and the detector's parameters. Immutable; loaded from
 * {@code topologies/<name>.yaml} by {@link TopologyConfigLoader}.
 *
 * @param name              topology name (letters, digits, '-', '_'); names its processors, stores and
 *                          internal topics; default "sensors"
 * @param inputTopic        topic of JSON sensor events; default "sensor-events"
 * @param keyField          value field to key by (then the stream is repartitioned), or null to key by the
 *                          record key (the sensor id); default null
 * @param channels          channel names of multichannel events ({@code "values": {...}}); empty for
 *                          single-value events ({@code "value": x}); default empty
 * @param timestampField    field holding the event time (ISO-8601 instant or epoch millis); when absent in
 *                          an event the record timestamp is used; default "ts"
 * @param allowedLatenessMs how far, in ms, an event may go back before its key's latest event and still be
 *                          scored; further back goes to the dead-letter topic; 0..86,400,000, default 0
 * @param maxRecordBytes    larger record values go to the dead-letter topic; 64..10,485,760, default 65,536
 * @param scoresTopic       one score record per accepted event; default "vigil.scores"
 * @param alertsTopic       alert opened/closed records; default "vigil.alerts"
 * @param dlqTopic          refused records with the reason in headers; default "vigil.dlq"
 * @param modelsTopic       compacted topic of model payloads keyed by model id; default "vigil.models"
 * @param detector          detector parameters as "section.key" → value (sections lstm, training, retrain,
 *                          scoring; see config/detector.properties), validated when the topology is built
 * @param maxFutureMs       how far, in ms, an event's time may lie ahead of its record's timestamp; further ahead
 *                          goes to the dead-letter topic ({@code FUTURE}), so that one reading from a clock gone
 *                          wrong cannot make every later event of its key late; 0 turns the check off;
 *                          0..315,360,000,000 (ten years), default 86,400,000 (a day)
 * @param minEventTimeMs    an event time (read from {@code timestampField}) before this instant, in epoch ms, goes to
 *                          the dead-letter topic ({@code TOO_EARLY}): most often epoch seconds sent as if they were
 *                          milliseconds, which would read as January 1970 and spoil the time of day the network
 *                          reads and the key's young range; 0 turns the check off (event times relative to a
 *                          device's start); 0..4,102,444,800,000 (2100-01-01), default 100,000,000,000
 *                          (1973-03-03T09:46:40Z: as seconds, the year 5138)
 * @param counters          the channels that are cumulative counters (a meter's total, a request counter): each is
 *                          scored by its increase since the key's previous reading, a reading below the previous one
 *                          counting as a restart from zero; names from {@code channels}, or {@code value} for
 *                          single-value events; needs {@code allowedLatenessMs} 0; default empty
 * @param keyIdleExpiryMs   a key whose latest event time falls this far behind the newest of its task's keys (a
 *                          silent partition's moving on with the wall clock) is forgotten: its detector state and
 *                          history deleted, its own model retracted from the models topic, an alert it had open
 *                          closed (reason {@code expired}); the key starts afresh if it sends again. For fleets
 *                          whose keys come and go (containers, replaced devices), so that stores follow the keys
 *                          that are alive. 0 (the default) keeps every key; else 60,000..315,360,000,000
 */
public record TopologyConfig(
        String name,
        String inputTopic,
        String keyField,
        List<String> channels,
        String timestampField,
        long allowedLatenessMs,
        int maxRecordBytes,
        String scoresTopic,
        String alertsTopic,
        String dlqTopic,
        String modelsTopic,
        Map<String, String> detector,
        long maxFutureMs,
        long minEventTimeMs,
        List<String> counters,
        long keyIdleExpiryMs) {

    /** Largest {@link #maxFutureMs}: ten years. */
    public static final long MAX_FUTURE_MS = 315_360_000_000L;
    /** Default {@link #maxFutureMs}: a day. */
    public static final long DEFAULT_MAX_FUTURE_MS = 86_400_000L;
    /** Default {@link #minEventTimeMs}: 1973-03-03T09:46:40Z, an event time that as seconds would be the year 5138. */
    public static final long DEFAULT_MIN_EVENT_TIME_MS = 100_000_000_000L;
    /** Shortest {@link #keyIdleExpiryMs} other than 0: a minute. */
    public static final long MIN_KEY_IDLE_EXPIRY_MS = 60_000L;
    /** Latest {@link #minEventTimeMs}: 2100-01-01T00:00:00Z. */
    public static final long MAX_MIN_EVENT_TIME_MS = 4_102_444_800_000L;

    /** The name {@link #counters} gives the one channel of single-value events. */
    public static final String SINGLE_VALUE = "value";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The one place defaults live. */
    public static TopologyConfig defaults() {
        return new TopologyConfig("sensors", "sensor-events", null, List.of(), "ts", 0, 65_536,
                "vigil.scores", "vigil.alerts", "vigil.dlq", "vigil.models", Map.of(), DEFAULT_MAX_FUTURE_MS,
                DEFAULT_MIN_EVENT_TIME_MS, List.of(), 0);
    }

    /** A topology whose keys never expire ({@link #keyIdleExpiryMs} 0). */
    public TopologyConfig(String name, String inputTopic, String keyField, List<String> channels, String timestampField,
                          long allowedLatenessMs, int maxRecordBytes, String scoresTopic, String alertsTopic,
                          String dlqTopic, String modelsTopic, Map<String, String> detector, long maxFutureMs,
                          long minEventTimeMs, List<String> counters) {
        this(name, inputTopic, keyField, channels, timestampField, allowedLatenessMs, maxRecordBytes, scoresTopic,
                alertsTopic, dlqTopic, modelsTopic, detector, maxFutureMs, minEventTimeMs, counters, 0);
    }

    /** A topology without counter channels. */
    public TopologyConfig(String name, String inputTopic, String keyField, List<String> channels, String timestampField,
                          long allowedLatenessMs, int maxRecordBytes, String scoresTopic, String alertsTopic,
                          String dlqTopic, String modelsTopic, Map<String, String> detector, long maxFutureMs,
                          long minEventTimeMs) {
        this(name, inputTopic, keyField, channels, timestampField, allowedLatenessMs, maxRecordBytes, scoresTopic,
                alertsTopic, dlqTopic, modelsTopic, detector, maxFutureMs, minEventTimeMs, List.of());
    }

    /** A topology with the default {@link #maxFutureMs} and {@link #minEventTimeMs}. */
    public TopologyConfig(String name, String inputTopic, String keyField, List<String> channels, String timestampField,
                          long allowedLatenessMs, int maxRecordBytes, String scoresTopic, String alertsTopic,
                          String dlqTopic, String modelsTopic, Map<String, String> detector) {
        this(name, inputTopic, keyField, channels, timestampField, allowedLatenessMs, maxRecordBytes, scoresTopic,
                alertsTopic, dlqTopic, modelsTopic, detector, DEFAULT_MAX_FUTURE_MS, DEFAULT_MIN_EVENT_TIME_MS);
    }

    public TopologyConfig {
        require("name", name, NAME);
        require("inputTopic", inputTopic, TOPIC);
        require("scoresTopic", scoresTopic, TOPIC);
        require("alertsTopic", alertsTopic, TOPIC);
        require("dlqTopic", dlqTopic, TOPIC);
        require("modelsTopic", modelsTopic, TOPIC);
        if (keyField != null && keyField.isBlank()) {
            throw new BadConfigException("keyField must be a field name or absent, got ''");
        }
        if (timestampField == null || timestampField.isBlank()) {
            throw new BadConfigException("timestampField must be a field name, got '" + timestampField + "'");
        }
        channels = List.copyOf(channels == null ? List.of() : channels);
        for (String c : channels) {
            require("channels", c, CHANNEL);
        }
        if (channels.size() > 64) {
            throw new BadConfigException("channels must list at most 64 names, got " + channels.size());
        }
        if (channels.stream().distinct().count() != channels.size()) {
            throw new BadConfigException("channels must be distinct, got " + channels);
        }
        if (allowedLatenessMs < 0 || allowedLatenessMs > 86_400_000L) {
            throw new BadConfigException("allowedLatenessMs must be in [0, 86400000], got " + allowedLatenessMs);
        }
        if (maxFutureMs < 0 || maxFutureMs > MAX_FUTURE_MS) {
            throw new BadConfigException("maxFutureMs must be in [0, " + MAX_FUTURE_MS + "], got " + maxFutureMs);
        }
        if (minEventTimeMs < 0 || minEventTimeMs > MAX_MIN_EVENT_TIME_MS) {
            throw new BadConfigException("minEventTimeMs must be in [0, " + MAX_MIN_EVENT_TIME_MS + "], got "
                    + minEventTimeMs);
        }
        if (keyIdleExpiryMs != 0 && (keyIdleExpiryMs < MIN_KEY_IDLE_EXPIRY_MS || keyIdleExpiryMs > MAX_FUTURE_MS)) {
            throw new BadConfigException("keyIdleExpiryMs must be 0 or in [" + MIN_KEY_IDLE_EXPIRY_MS + ", "
                    + MAX_FUTURE_MS + "], got " + keyIdleExpiryMs);
        }
        if (maxRecordBytes < 64 || maxRecordBytes > 10_485_760) {
            throw new BadConfigException("maxRecordBytes must be in [64, 10485760], got " + maxRecordBytes);
        }
        List<String> outputs = List.of(scoresTopic, alertsTopic, dlqTopic, modelsTopic);
        if (outputs.contains(inputTopic) || outputs.stream().distinct().count() != outputs.size()) {
            throw new BadConfigException("inputTopic, scoresTopic, alertsTopic, dlqTopic and modelsTopic must all differ, got "
                    + inputTopic + ", " + outputs);
        }
        detector = Map.copyOf(detector == null ? Map.of() : detector);
        counters = List.copyOf(counters == null ? List.of() : counters);
        List<String> named = channelNames(channels);
        for (String c : counters) {
            if (!named.contains(c)) {
                throw new BadConfigException("counters must name channels of " + named + ", got '" + c + "'");
            }
        }
        if (counters.stream().distinct().count() != counters.size()) {
            throw new BadConfigException("counters must be distinct, got " + counters);
        }
        if (!counters.isEmpty() && allowedLatenessMs != 0) {
            throw new BadConfigException("counters need allowedLatenessMs 0 (a late reading of a counter has no "
                    + "increase to score), got " + allowedLatenessMs);
        }
    }

    /** The {@link #counters} as a mask of channel indices, bit c for channel c (the detector's {@code counters}). */
    public long counterMask() {
        List<String> named = channelNames();
        long mask = 0;
        for (String c : counters) {
            mask |= 1L << named.indexOf(c);
        }
        return mask;
    }

    /** The names the detector's channels go by: the named channels, or {@value #SINGLE_VALUE} for single values. */
    public List<String> channelNames() {
        return channelNames(channels);
    }

    private static List<String> channelNames(List<String> channels) {
        return channels.isEmpty() ? List.of(SINGLE_VALUE) : channels;
    }

    /** Number of channels the detector sees: the named channels, or 1 for single-value events. */
    public int channelCount() {
        return channels.isEmpty() ? 1 : channels.size();
    }

    private static void require(String key, String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new BadConfigException(key + " must match " + pattern.pattern() + ", got '" + value + "'");
        }
    }
}
