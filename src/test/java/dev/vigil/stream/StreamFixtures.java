package dev.vigil.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.Event;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.Normalisation;
import dev.vigil.lstm.TrainingConfig;
import dev.vigil.lstm.TrainingInfo;
import dev.vigil.score.ScoringConfig;
import dev.vigil.score.ScoringConfigs;
import dev.vigil.train.RetrainConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small, fast settings, topologies, models and event JSON shared by the stream tests. */
final class StreamFixtures {
    /**
     * The defaults but a short warm-up, quick alert closing, a faster drift signal and longer patterns, so that short
     * series exercise every path.
     */
    static final ScoringConfig SCORING = ScoringConfigs.with(ScoringConfig.defaults(), "warmupEvents", 20,
            "quietEvents", 5, "patternLength", 3, "driftHalfLife", 60);
    static final DetectorConfig DETECTOR = new DetectorConfig(new LstmConfig(1, 8, 1, 1.0, true), SCORING);
    /** The smallest history, so that test series wrap the ring. */
    static final RetrainConfig RETRAIN = new RetrainConfig(64, 32, 1000, true, 42L, TrainingConfig.defaults());
    static final int MAX_RECORD_BYTES = 512;

    private StreamFixtures() {
    }

    /** A test topology; without the future check, as the tests pipe most records with record timestamp 0. */
    static TopologyConfig topology(String name, String keyField, List<String> channels, long latenessMs) {
        TopologyConfig d = TopologyConfig.defaults();
        return new TopologyConfig(name, d.inputTopic(), keyField, channels, d.timestampField(), latenessMs,
                MAX_RECORD_BYTES, d.scoresTopic(), d.alertsTopic(), d.dlqTopic(), d.modelsTopic(), Map.of(), 0,
                d.minEventTimeMs());
    }

    /** {@code t} with {@code maxFutureMs} set, everything else as it was. */
    static TopologyConfig withMaxFutureMs(TopologyConfig t, long maxFutureMs) {
        return new TopologyConfig(t.name(), t.inputTopic(), t.keyField(), t.channels(), t.timestampField(),
                t.allowedLatenessMs(), t.maxRecordBytes(), t.scoresTopic(), t.alertsTopic(), t.dlqTopic(),
                t.modelsTopic(), t.detector(), maxFutureMs, t.minEventTimeMs());
    }

    static TopologyConfig singleValue() {
        return topology("sensors", null, List.of(), 0);
    }

    /** A seeded, untrained model for {@code key} with the given version, shaped for {@code detector}. */
    static LstmModel model(DetectorConfig detector, String key, long version, long seed) {
        int d = detector.channels();
        double[] center = new double[d];
        double[] scale = new double[d];
        Arrays.fill(center, 10);
        Arrays.fill(scale, 2);
        return LstmModel.initialise(detector.lstm(), new Normalisation(center, scale), seed)
                .withInfo(new TrainingInfo(key, version, seed, 3, 0.5, 0.6, 100));
    }

    static byte[] payload(DetectorConfig detector, String key, long version, long seed) {
        return ModelCodec.encode(model(detector, key, version, seed));
    }

    /** {@code {"ts": millis, "value": v}} with the value's exact digits. */
    static String single(long ts, double value) {
        return "{\"ts\":" + ts + ",\"value\":" + value + "}";
    }

    /** {@code {"ts": millis, "values": {...}}} with the fields in the given order of {@code names}. */
    static String multi(long ts, List<String> names, double[] values) {
        StringBuilder json = new StringBuilder("{\"ts\":").append(ts).append(",\"values\":{");
        for (int c = 0; c < names.size(); c++) {
            json.append(c == 0 ? "" : ",").append('"').append(names.get(c)).append("\":").append(values[c]);
        }
        return json.append("}}").toString();
    }

    static JsonNode json(byte[] bytes) {
        try {
            return VigilJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that a score record carries exactly {@code expected}'s numbers (raw bits) and flags. */
    static void assertScoreRecord(String key, DetectorResult expected, JsonNode actual, List<String> channels) {
        assertEquals(key, actual.get("key").asText());
        assertEquals(expected.timestamp(), actual.get("ts").asLong());
        if (channels.isEmpty()) {
            assertBits(expected.values(), actual.get("value"), channels);
        } else {
            assertBits(expected.values(), actual.get("values"), channels);
        }
        assertBits(expected.prediction(), actual.get("prediction"), channels);
        assertBits(expected.residual(), actual.get("residual"), channels);
        assertBits(expected.rawScore(), actual.get("rawScore"));
        assertBits(expected.likelihoodScore(), actual.get("likelihoodScore"));
        assertBits(expected.anomalyScore(), actual.get("score"));
        assertEquals(expected.warmup(), actual.get("warmup").asBoolean());
        assertEquals(expected.modelVersion(), actual.get("modelVersion").asLong());
        assertEquals(expected.alertOpen(), actual.get("alertOpen").asBoolean());
        assertEquals(expected.outsideRange(), actual.get("outsideRange").asBoolean());
        assertEquals(expected.stateReset(), actual.get("stateReset").asBoolean());
    }

    static void assertBits(double expected, JsonNode actual) {
        assertTrue(actual.isNumber(), "not a number: " + actual);
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual.doubleValue()),
                () -> "expected " + expected + ", got " + actual);
    }

    private static void assertBits(double[] expected, JsonNode actual, List<String> channels) {
        if (expected == null) {
            assertTrue(actual.isNull(), "expected null, got " + actual);
        } else if (channels.isEmpty()) {
            assertBits(expected[0], actual);
        } else {
            assertEquals(channels.size(), actual.size(), actual::toString);
            for (int c = 0; c < channels.size(); c++) {
                assertBits(expected[c], actual.get(channels.get(c)));
            }
        }
    }

    /** The events' JSON in order, single-value form. */
    static String[] singleJson(List<Event> events) {
        return events.stream().map(e -> single(e.timestamp(), e.values()[0])).toArray(String[]::new);
    }
}
