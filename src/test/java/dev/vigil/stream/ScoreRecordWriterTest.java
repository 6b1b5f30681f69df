package dev.vigil.stream;

import dev.vigil.detect.DetectorResult;
import dev.vigil.score.AlertTransition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The direct score record writer against the Jackson generator it replaced, byte for byte. */
class ScoreRecordWriterTest {
    private static final double[] SPECIAL = {0.0, -0.0, 1.0, -1.0, 0.1, 1e-5, 1e7, 123456789.0, 1.0E-300,
        Double.MIN_VALUE, -Double.MIN_NORMAL, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 0.30000000000000004, 2.2250738585072014E-308};
    private static final String[] KEYS = {"pump-7", "", "a b", "quote\"d", "back\\slash", "tab\there", "new\nline",
        "\u0001ctl", "del\u007f", "caf\u00e9", "\u6e29\u5ea6", "emoji\ud83d\ude00", "sensor-" + "x".repeat(500)};

    private static double number(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> SPECIAL[random.nextInt(SPECIAL.length)];
            case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
            case 2 -> Double.longBitsToDouble(random.nextLong());
            default -> random.nextInt(2000) / 8.0;
        };
    }

    private static double[] reading(Random random, int channels) {
        if (random.nextInt(5) == 0) {
            return null;
        }
        double[] values = new double[channels];
        for (int c = 0; c < channels; c++) {
            values[c] = number(random);
        }
        return values;
    }

    private static DetectorResult result(Random random, int channels) {
        long ts = random.nextInt(10) == 0 ? (random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE) : random.nextLong();
        return new DetectorResult(ts, reading(random, channels), reading(random, channels), reading(random, channels),
                number(random), number(random), number(random), number(random), random.nextBoolean(),
                random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(100), random.nextBoolean(),
                AlertTransition.NONE, random.nextBoolean(), new int[0], random.nextBoolean(), null, null, -1, null);
    }

    @Test
    void shouldWriteTheSameBytesAsTheGeneratorForEveryKeyChannelAndNumber() {
        List<List<String>> topologies = List.of(List.of(), List.of("temp", "vibration"),
                List.of("qu\"ote", "caf\u00e9", "\u6e29\u5ea6", "c\\d", "tab\t"));
        Random random = new Random(11);
        for (List<String> channels : topologies) {
            ScoreRecordWriter writer = new ScoreRecordWriter(channels);
            for (int i = 0; i < 20_000; i++) {
                String key = i % 3 == 0 ? KEYS[random.nextInt(KEYS.length)] : "sensor-" + random.nextInt(100_000);
                DetectorResult r = result(random, Math.max(channels.size(), 1));
                byte[] direct = writer.write(key, r);
                assertArrayEquals(writer.writeWithGenerator(key, r), direct,
                        () -> new String(direct, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void shouldWriteANumberThatRepeatsInARecordAsTheGeneratorDoes() {
        // as in real records: the score is one of the signals' scores, a warm-up record's are all 0
        List<String> channels = List.of("temp", "vibration", "rpm", "flow", "load");
        ScoreRecordWriter writer = new ScoreRecordWriter(channels);
        Random random = new Random(5);
        double[] pool = {0.0, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, 0.30000000000000004, 0.7364289473628471};
        for (int i = 0; i < 5_000; i++) {
            double[][] readings = new double[3][channels.size()];
            for (double[] reading : readings) {
                for (int c = 0; c < reading.length; c++) {
                    reading[c] = random.nextBoolean() ? pool[random.nextInt(pool.length)] : number(random);
                }
            }
            double likelihood = pool[random.nextInt(pool.length)];
            double pattern = random.nextBoolean() ? likelihood : number(random);
            DetectorResult r = new DetectorResult(i, readings[0], readings[1], readings[2], pattern, likelihood,
                    pattern, random.nextBoolean() ? likelihood : pattern, false, 1, false, AlertTransition.NONE,
                    false, new int[0], false, null, null, -1, null);
            // now and then a fresh writer whose buffer grows in the middle of the numbers
            ScoreRecordWriter w = i % 50 == 0 ? new ScoreRecordWriter(channels) : writer;
            String key = i % 50 == 0 ? "sensor-" + "z".repeat(200 + i % 7) : "sensor-" + i;
            byte[] direct = w.write(key, r);
            assertArrayEquals(w.writeWithGenerator(key, r), direct,
                    () -> new String(direct, StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldReturnAFreshArrayForEachRecord() {
        ScoreRecordWriter writer = new ScoreRecordWriter(List.of());
        Random random = new Random(3);
        byte[] first = writer.write("k", result(random, 1));
        String before = new String(first, StandardCharsets.UTF_8);
        writer.write("another-key-" + "y".repeat(2_000), result(random, 1));
        assertEquals(before, new String(first, StandardCharsets.UTF_8), "a later record does not overwrite it");
    }

    @Test
    void shouldWriteAReadingWithoutAValueAsNull() {
        // a counter channel's first reading has no increase: NaN in the result, null in the record
        DetectorResult first = new DetectorResult(5, new double[] {21.5, Double.NaN}, null, null, 0, 0, 0, 0, true, 0,
                false, AlertTransition.NONE, false, new int[0], false, null, null, -1, null);
        ScoreRecordWriter writer = new ScoreRecordWriter(List.of("temp", "energy"));
        String record = new String(writer.write("meter-1", first), StandardCharsets.UTF_8);
        assertEquals("{\"key\":\"meter-1\",\"ts\":5,\"values\":{\"temp\":21.5,\"energy\":null},\"prediction\":null,"
                + "\"residual\":null,\"rawScore\":0.0,\"likelihoodScore\":0.0,\"patternScore\":0.0,\"score\":0.0,"
                + "\"warmup\":true,\"modelVersion\":0,\"alertOpen\":false,\"outsideRange\":false,\"stateReset\":false}",
                record);
        DetectorResult single = new DetectorResult(5, new double[] {Double.NaN}, null, null, 0, 0, 0, 0, true, 0,
                false, AlertTransition.NONE, false, new int[0], false, null, null, -1, null);
        ScoreRecordWriter plain = new ScoreRecordWriter(List.of());
        assertEquals(new String(plain.writeWithGenerator("m", single), StandardCharsets.UTF_8),
                new String(plain.write("m", single), StandardCharsets.UTF_8));
        assertTrue(new String(new ScoreRecordWriter(List.of()).write("m", single), StandardCharsets.UTF_8)
                .contains("\"value\":null,"));
    }
}
