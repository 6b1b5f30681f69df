package dev.vigil.testutil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded stream of input records for the hostile-input test: good events of a few keys (each key's event times
 * increasing) mixed with bad records of many kinds, each bad one with the dead-letter reasons it may be refused
 * with. Bad records never change a key's state when refused, so the good events of every key are scored in order
 * whatever comes between them. Deterministic for a seed.
 */
public final class HostileRecords {
    /** Event time of every good key's first reading (2026-01-01T00:00:00Z). */
    public static final long START = 1_767_225_600_000L;
    /** Simulated time between two readings of a good key. */
    public static final long STEP_MS = 60_000L;

    /**
     * One input record.
     *
     * @param kind     what it is (a name for messages and counts)
     * @param key      record key bytes (null: no key)
     * @param value    record value bytes (null: a tombstone)
     * @param reasons  the dead-letter reasons it may get; empty for a good record, which must be scored
     * @param scoreKey for a good record, the key its score carries; null for a bad one
     * @param ts       for a good record, its event time
     */
    public record Input(String kind, byte[] key, byte[] value, Set<String> reasons, String scoreKey, long ts) {
        public boolean good() {
            return reasons.isEmpty();
        }
    }

    private final SplittableRandom random;
    private final int keys;
    private final Map<Integer, Long> next = new HashMap<>();
    private final int maxRecordBytes;
    private int longKeys;

    /**
     * @param seed           the seed
     * @param keys           good keys
     * @param maxRecordBytes the topology's {@code maxRecordBytes} (oversized records are made just above it)
     */
    public HostileRecords(long seed, int keys, int maxRecordBytes) {
        this.random = new SplittableRandom(seed);
        this.keys = keys;
        this.maxRecordBytes = maxRecordBytes;
    }

    public static String goodKey(int k) {
        return "sensor-" + k;
    }

    /** {@code n} records, about {@code goodShare} of them good. */
    public List<Input> generate(int n, double goodShare) {
        List<Input> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(random.nextDouble() < goodShare ? good() : bad());
        }
        return out;
    }

    private Input good() {
        int k = random.nextInt(keys);
        long ts = next.merge(k, START, (a, b) -> a + STEP_MS);
        double v = reading(k, ts);
        String json = "{\"ts\":" + ts + ",\"value\":" + (random.nextInt(50) == 0 ? "-0.0" : Double.toString(v)) + "}";
        return new Input("good", utf8(goodKey(k)), utf8(json), Set.of(), goodKey(k), ts);
    }

    private double reading(int k, long ts) {
        double day = (ts - START) / 86_400_000.0;
        return 10 * (k + 1) + 3 * Math.sin(2 * Math.PI * day) + random.nextGaussian();
    }

    /** A key that already has a good event (so that an older event time is late for it), or null if none has. */
    private Integer seenKey() {
        if (next.isEmpty()) {
            return null;
        }
        Integer[] seen = next.keySet().toArray(new Integer[0]);
        return seen[random.nextInt(seen.length)];
    }

    private Input bad() {
        int k = random.nextInt(keys);
        byte[] key = utf8(goodKey(k));
        long ts = next.getOrDefault(k, START) + STEP_MS;
        String ok = "{\"ts\":" + ts + ",\"value\":1.5}";
        switch (random.nextInt(21)) {
            case 0: {
                byte[] bytes = new byte[1 + random.nextInt(200)];
                random.nextBytes(bytes);
                // bytes that happen to be a JSON scalar are not an event object
                return bad("random-bytes", key, bytes, "NOT_JSON", "WRONG_TYPE");
            }
            case 1: {
                byte[] bytes = utf8("{\"ts\":" + ts + ",\"value\":1.5,\"note\":\"xx\"}");
                bytes[bytes.length - 4] = (byte) 0xC3;
                bytes[bytes.length - 3] = (byte) 0x28;
                return bad("invalid-utf8-in-value", key, bytes, "NOT_JSON");
            }
            case 2:
                return bad("truncated-json", key, utf8(ok.substring(0, 1 + random.nextInt(ok.length() - 1))), "NOT_JSON");
            case 3:
                return bad("deeply-nested", key, utf8("{\"ts\":" + ts + ",\"value\":1.5,\"x\":" + "[".repeat(3000)
                        + "]".repeat(3000) + "}"), "NOT_JSON");
            case 4:
                return bad("number-1e400", key, utf8("{\"ts\":" + ts + ",\"value\":1e400}"), "NON_FINITE");
            case 5:
                return bad("duplicate-field", key, utf8("{\"ts\":" + ts + ",\"value\":1.5,\"value\":2.5}"), "NOT_JSON");
            case 6:
                return bad("huge-string", key, utf8("{\"ts\":" + ts + ",\"value\":1.5,\"s\":\""
                        + "x".repeat(maxRecordBytes + random.nextInt(1000)) + "\"}"), "OVERSIZED");
            case 7:
                return bad("array-event", key, utf8("[" + ts + ",1.5]"), "WRONG_TYPE");
            case 8:
                return bad("array-value", key, utf8("{\"ts\":" + ts + ",\"value\":[1.5]}"), "WRONG_TYPE");
            case 9:
                return bad("tombstone", key, null, "MISSING_VALUE");
            case 10:
                return bad("json-null", key, utf8("null"), "WRONG_TYPE");
            case 11:
                return bad("empty-key", new byte[0], utf8(ok), "MISSING_KEY");
            case 12:
                return bad("no-key", null, utf8(ok), "MISSING_KEY");
            case 13:
                return bad("invalid-utf8-key", new byte[] {(byte) 0xC3, (byte) 0x28, 'k'}, utf8(ok), "UNDESERIALIZABLE");
            case 14: {
                Integer seen = seenKey();
                if (seen == null) {
                    return bad("number-nan", key, utf8("{\"ts\":" + ts + ",\"value\":NaN}"), "NON_FINITE");
                }
                // ten years back, or up to 11 days back
                long past = next.get(seen)
                        - (random.nextBoolean() ? 315_360_000_000L : random.nextLong(1, 1_000_000_000L));
                return bad("far-past", utf8(goodKey(seen)), utf8("{\"ts\":" + past + ",\"value\":1.5}"), "LATE");
            }
            case 15:
                return bad("far-future", key, utf8("{\"ts\":\"2999-01-01T00:00:00Z\",\"value\":1.5}"), "FUTURE");
            case 16:
                return bad("string-value", key, utf8("{\"ts\":" + ts + ",\"value\":\"1.5\"}"), "WRONG_TYPE");
            case 17:
                return bad("no-value", key, utf8("{\"ts\":" + ts + ",\"reading\":1.5}"), "MISSING_VALUE");
            case 18:
                return bad("bad-timestamp", key, utf8("{\"ts\":\"yesterday\",\"value\":1.5}"), "WRONG_TYPE");
            case 19:
                // the event time in epoch seconds, or 0: January 1970 as milliseconds
                return bad("epoch-seconds", key, utf8("{\"ts\":" + (random.nextBoolean() ? ts / 1000 : 0)
                        + ",\"value\":1.5}"), "TOO_EARLY");
            default: {
                // a valid event under a 10,000-byte key of its own: good, scored under that key
                String longKey = "long-" + (longKeys++) + "-" + "k".repeat(10_000);
                return new Input("long-key", utf8(longKey), utf8("{\"ts\":" + START + ",\"value\":1.5}"), Set.of(),
                        longKey, START);
            }
        }
    }

    private static Input bad(String kind, byte[] key, byte[] value, String... reasons) {
        return new Input(kind, key, value, Set.of(reasons), null, 0);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
