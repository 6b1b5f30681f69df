import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.train.ModelTrainer;
import dev.vigil.train.RetrainConfig;
import dev.vigil.train.TrainingOutcome;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

public class RetrainWall {
    public static void main(String[] args) {
        int warm = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        RetrainConfig config = RetrainConfig.defaults();
        int p = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        ModelTrainer trainer;
        try {
            trainer = p == 1 ? new ModelTrainer(LstmConfig.defaults(), config)
                    : ModelTrainer.class.getConstructor(LstmConfig.class, RetrainConfig.class, int.class).newInstance(LstmConfig.defaults(), config, p);
        } catch (ReflectiveOperationException e) { throw new IllegalStateException(e); }
        HistoryWindow history = new HistoryWindow(config.historySize(), 1);
        SplittableRandom random = new SplittableRandom(5);
        for (int t = 0; t < config.historySize(); t++) {
            double x = 100 + 20 * Math.sin(2 * Math.PI * t / 288.0) + 5 * Math.sin(2 * Math.PI * t / 37.0)
                    + 2 * (2 * random.nextDouble() - 1);
            history.append(t * 300_000L, new double[] {x});
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        TrainingOutcome o = null;
        for (int i = 0; i < warm; i++) o = trainer.train("bench", history, null);
        double[] cpu = new double[n];
        double[] wall = new double[n];
        for (int i = 0; i < n; i++) {
            long c0 = mx.getCurrentThreadCpuTime(); long w0 = System.nanoTime();
            o = trainer.train("bench", history, null);
            cpu[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6; wall[i] = (System.nanoTime() - w0) / 1e6;
        }
        Arrays.sort(cpu); Arrays.sort(wall);
        System.out.printf("cpu ms min %.1f med %.1f | wall ms min %.1f med %.1f | loss %s %s%n", cpu[0], cpu[n/2], wall[0], wall[n/2],
            o.candidateLoss(), o.model() == null ? "-" : Long.toHexString(java.util.Arrays.hashCode(dev.vigil.lstm.ModelCodec.encode(o.model()))));
    }
}
