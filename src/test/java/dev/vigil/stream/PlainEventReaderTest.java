package dev.vigil.stream;

import dev.vigil.config.TopologyConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EventParser} with its {@link PlainEventReader} against its Jackson pass alone: the same outcome, bit for bit. */
class PlainEventReaderTest {
    private static final long RECORD_TS = 1_767_225_600_000L;
    private static final String[] NUMBERS = {"0", "-0", "1", "-1", "3.2", "-0.0", "0.1", "1e5", "1E-5", "1.5e+3",
        "123456789012345678", "1234567890123456789", "-9223372036854775808", "99999999999999999999999",
        "0.30000000000000004", "4.9E-324", "1.7976931348623157E308", "1e999", "-1e999", "2.2250738585072014E-308",
        "01", "1.", ".5", "+1", "1e", "1e+", "-", "--1", "0x10", "NaN", "Infinity", "-Infinity", "1.0d", "\"3\"",
        "null", "true", "[1]", "{}", "1_000", "1 2", "12345678901234567890123456789012345678901.5"};
    private static final String[] SPACES = {"", " ", "\t", "\n", "\r\n", "  "};

    private static String space(Random random) {
        return random.nextInt(3) == 0 ? SPACES[random.nextInt(SPACES.length)] : "";
    }

    private static String number(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> NUMBERS[random.nextInt(NUMBERS.length)];
            case 1 -> Double.toString(Double.longBitsToDouble(random.nextLong()));
            default -> Long.toString(random.nextLong() >> random.nextInt(64));
        };
    }

    private static String event(Random random, String tsField) {
        StringBuilder json = new StringBuilder(space(random)).append('{').append(space(random));
        String[] names = {tsField, "value", random.nextBoolean() ? "value" : "other", "values", "t\\u0073", "valu\u00e9"};
        int fields = random.nextInt(4);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                json.append(space(random)).append(random.nextInt(40) == 0 ? ";" : ",").append(space(random));
            }
            String name = random.nextInt(4) == 0 ? names[random.nextInt(names.length)] : f % 2 == 0 ? "value" : tsField;
            json.append('"').append(name).append('"').append(space(random)).append(':').append(space(random))
                    .append(number(random));
        }
        json.append(space(random)).append(random.nextInt(40) == 0 ? "" : "}").append(space(random));
        return random.nextInt(30) == 0 ? json + "x" : json.toString();
    }

    private static void assertSameOutcome(EventParser parser, byte[] value) {
        ParsedRecord plain = parser.parse("k", value, RECORD_TS);
        ParsedRecord jackson = parser.parseWithJackson("k", value, RECORD_TS);
        String text = new String(value, StandardCharsets.UTF_8);
        assertEquals(jackson.reason(), plain.reason(), text);
        assertEquals(jackson.detail(), plain.detail(), text);
        if (jackson.isAccepted()) {
            assertEquals(jackson.key(), plain.key(), text);
            assertEquals(jackson.event().timestamp(), plain.event().timestamp(), text);
            assertEquals(Double.doubleToRawLongBits(jackson.event().values()[0]),
                    Double.doubleToRawLongBits(plain.event().values()[0]), text);
        }
    }

    @Test
    void shouldDecideEveryEventAsTheJacksonPassDoes() {
        Random random = new Random(5);
        int accepted = 0;
        for (String tsField : new String[] {"ts", "time"}) {
            EventParser parser = new EventParser(null, tsField, List.of(), 256, 86_400_000L,
                    TopologyConfig.DEFAULT_MIN_EVENT_TIME_MS);
            for (int i = 0; i < 50_000; i++) {
                byte[] value = event(random, tsField).getBytes(StandardCharsets.UTF_8);
                assertSameOutcome(parser, value);
                accepted += parser.parseWithJackson("k", value, RECORD_TS).isAccepted() ? 1 : 0;
            }
        }
        assertTrue(accepted > 10_000, accepted + " accepted: the plain shape was exercised");
    }

    @Test
    void shouldReadTheCommonShapeWithoutJacksonAndLeaveTheRest() {
        PlainEventReader reader = PlainEventReader.forTimestampField("ts");
        double[] reading = new double[1];
        long[] timestamp = new long[1];
        assertEquals(1, reader.read(bytes("{\"ts\":1767225600000,\"value\":3.2}"), reading, timestamp));
        assertEquals(3.2, reading[0]);
        assertEquals(1_767_225_600_000L, timestamp[0]);
        assertEquals(0, reader.read(bytes(" { \"value\" : -0 } "), reading, timestamp));
        assertEquals(0L, Double.doubleToRawLongBits(reading[0]), "-0 is the integer 0, as Jackson reads it");
        for (String other : new String[] {"{\"ts\":\"2026-01-01T00:00:00Z\",\"value\":1}", "{\"value\":1,\"x\":2}",
            "{\"value\":1,\"value\":2}", "{\"ts\":1.5,\"value\":1}", "{\"value\":1e999}", "{}", "[1]", "{\"value\":1}x"}) {
            assertEquals(-1, reader.read(bytes(other), reading, timestamp), other);
        }
        assertNull(PlainEventReader.forTimestampField("va\"l"));
        assertNull(PlainEventReader.forTimestampField("value"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
