package dev.vigil.app.bench;

import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.Normalisation;
import dev.vigil.lstm.TrainingInfo;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap bytes per decoded model, as a fleet holds them ({@code ModelCache}): decodes {@link #MODELS} payloads of
 * distinct keys, keeps them, and divides the growth of the heap used after a full GC by their number. Also the
 * payload size. Printed by {@code bench lstm} before the JMH benchmarks.
 */
public final class ModelFootprint {

    /** Models decoded and kept for one measurement. */
    static final int MODELS = 2_000;

    private ModelFootprint() {
    }

    /** Measures at {@code config}'s shape and prints one line. */
    public static void print(LstmConfig config, PrintWriter out) {
        // rounded to half precision as training leaves a model (16-bit rows where the JDK widens them in vectors)
        LstmModel model = LstmModel.initialise(config, Normalisation.identity(config.inputSize()), 1)
                .roundedToHalfPrecision();
        byte[][] payloads = new byte[MODELS][];
        for (int k = 0; k < MODELS; k++) {
            payloads[k] = ModelCodec.encode(model.withInfo(new TrainingInfo("sensor-" + k, 1, 1, 0, 0, 0, 0)));
        }
        LstmModel[] kept = new LstmModel[MODELS];
        long before = usedAfterGc();
        for (int k = 0; k < MODELS; k++) {
            kept[k] = ModelCodec.decode(payloads[k]);
        }
        long after = usedAfterGc();
        out.printf("decoded model: %,d bytes of heap at %s (%,d models kept, heap used after GC); payload: %,d bytes%n",
                (after - before) / kept.length, config.shapeText(), kept.length, payloads[0].length);
        out.flush();
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int k = 0; k < 3; k++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
