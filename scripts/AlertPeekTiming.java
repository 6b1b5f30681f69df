import dev.vigil.detect.*;
import java.util.*;

/**
 * What {@code vigil_alerts_open} costs a scrape per 100,000 keys in Vigil's own code: one default state (700 readings,
 * a history head of 181 bytes) decoded whole against {@code DetectorStateCodec.alertOpen}'s peek, five rounds.
 * <pre>
 * javac -cp target/vigil.jar -d /tmp/apt scripts/AlertPeekTiming.java
 * java -cp target/vigil.jar:/tmp/apt AlertPeekTiming
 * </pre>
 */
public class AlertPeekTiming {
    public static void main(String[] a) {
        Detector d = new Detector(DetectorConfig.defaults());
        int keys = 100_000;
        byte[][] states = new byte[keys][];
        DetectorState s = d.newState();
        Random r = new Random(1);
        for (int i = 0; i < 700; i++) {
            double v = 10 + Math.sin(i / 9.0) + r.nextGaussian() * 0.1;
            d.step(null, s, new Event(1_767_225_600_000L + i * 60_000L, new double[] {v}));
        }
        byte[] one = DetectorStateCodec.encode(s, new byte[181]);
        for (int i = 0; i < keys; i++) states[i] = one.clone();
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime(); int open = 0;
            for (byte[] b : states) open += DetectorStateCodec.decode(b).score().alertOpen() ? 1 : 0;
            long t1 = System.nanoTime(); int open2 = 0;
            for (byte[] b : states) open2 += DetectorStateCodec.alertOpen(b) ? 1 : 0;
            long t2 = System.nanoTime();
            System.out.printf("%d states of %d bytes: decode %.1f ms, peek %.1f ms (%d/%d open)%n", keys, one.length,
                    (t1 - t0) / 1e6, (t2 - t1) / 1e6, open, open2);
        }
    }
}
