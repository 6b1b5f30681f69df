import dev.vigil.detect.Detector;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.detect.DetectorResult;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.DetectorStateCodec;
import dev.vigil.detect.Event;
import dev.vigil.stream.ScoreRecordWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Per-event parts of the detector's stream thread, timed alone against any jar (best of 25 rounds): encoding and
 * decoding 1,000 keys' states, and writing score records.
 * The hashes show that two jars give the same bytes.
 * {@code javac -cp JAR -d /tmp/spt scripts/StreamPartsTiming.java && java -cp JAR:/tmp/spt StreamPartsTiming}
 */
public class StreamPartsTiming {
    public static void main(String[] args) {
        int keys = 1000;
        Detector detector = new Detector(DetectorConfig.defaults());
        DetectorState[] states = new DetectorState[keys];
        Random random = new Random(1);
        byte[] head = new byte[181];
        random.nextBytes(head);
        List<DetectorResult> results = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            states[k] = detector.newState();
            double phase = random.nextDouble() * 6;
            for (int i = 0; i < 400; i++) {
                DetectorResult result = detector.step(null, states[k],
                        Event.of(1000L * i, 100 + 20 * Math.sin(phase + i / 40.0) + 2 * random.nextDouble()));
                if (k == 0 && i >= 200) {
                    results.add(result);
                }
            }
        }
        byte[][] bytes = new byte[keys][];
        long hash = 0;
        for (int k = 0; k < keys; k++) {
            bytes[k] = DetectorStateCodec.encode(states[k], head);
            hash = hash * 31 + Arrays.hashCode(bytes[k]);
        }
        ScoreRecordWriter writer = new ScoreRecordWriter(List.of());
        long recordHash = 0;
        for (DetectorResult result : results) {
            recordHash = recordHash * 31 + Arrays.hashCode(writer.write("sensor-7", result));
        }
        long encode = Long.MAX_VALUE;
        long decode = Long.MAX_VALUE;
        long write = Long.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < 25; round++) {
            long t0 = System.nanoTime();
            for (int rep = 0; rep < 200; rep++) {
                for (int k = 0; k < keys; k++) {
                    sink += DetectorStateCodec.encode(states[k], head).length;
                }
            }
            long t1 = System.nanoTime();
            for (int rep = 0; rep < 200; rep++) {
                for (int k = 0; k < keys; k++) {
                    sink += DetectorStateCodec.decode(bytes[k]).events();
                }
            }
            long t3 = System.nanoTime();
            for (int rep = 0; rep < 1000; rep++) {
                for (DetectorResult result : results) {
                    sink += writer.write("sensor-7", result).length;
                }
            }
            long t4 = System.nanoTime();
            encode = Math.min(encode, t1 - t0);
            decode = Math.min(decode, t3 - t1);
            write = Math.min(write, t4 - t3);
        }
        double ops = 200.0 * keys;
        System.out.printf("state %d bytes, hash %x; records hash %x%n", bytes[0].length, hash, recordHash);
        System.out.printf("ns per call: encode %.0f, decode %.0f, score record %.0f (%d)%n",
                encode / ops, decode / ops, write / (1000.0 * results.size()), sink & 1);
    }
}
