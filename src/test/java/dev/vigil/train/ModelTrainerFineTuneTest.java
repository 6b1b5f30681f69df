package dev.vigil.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.Normalisation;
import dev.vigil.lstm.TrainingConfig;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A retraining starts from the model in force ({@link TrainingConfig#fineTuneEpochs} epochs, its normalisation kept)
 * while the window still fits that model, and afresh, in the window's own units, once it does not.
 */
class ModelTrainerFineTuneTest {
    private static final int POINTS = 600;
    private static final LstmConfig SHAPE = new LstmConfig(1, 8, 1, 1.0, false);
    private static final TrainingConfig TRAINING = new TrainingConfig(15, 8, 32, 0.01, 1.0, 0.2, 5, 2);

    /** A one-minute sine with noise, {@code level + scale · (sin + noise)}; 600 minutes hold no calendar input. */
    private static HistoryWindow window(long seed, double level, double scale) {
        Random rnd = new Random(seed);
        HistoryWindow w = new HistoryWindow(POINTS, 1);
        for (int t = 0; t < POINTS; t++) {
            double x = Math.sin(2 * Math.PI * t / 40) + 0.1 * rnd.nextGaussian();
            w.append(1_767_225_600_000L + 60_000L * t, new double[] {level + scale * x});
        }
        return w;
    }

    private static ModelTrainer trainer(TrainingConfig training) {
        return new ModelTrainer(SHAPE, new RetrainConfig(POINTS, 100, 100, false, 7L, training));
    }

    private static LstmModel first(ModelTrainer trainer) {
        TrainingOutcome outcome = trainer.train("k", window(1, 10, 2), null);
        assertTrue(outcome.accepted(), outcome.reason());
        return outcome.model();
    }

    private static Normalisation fitted(HistoryWindow w) {
        return Normalisation.fit(w.lastReadings(w.size()), 1);
    }

    @Test
    void shouldFineTuneTheModelInForceWhileTheWindowFitsIt() {
        ModelTrainer trainer = trainer(TRAINING);
        LstmModel current = first(trainer);
        HistoryWindow next = window(2, 10.5, 2.5);
        assertTrue(trainer.fineTunes(current, 0, 1, fitted(next)));

        TrainingOutcome outcome = trainer.train("k", next, current);

        assertTrue(outcome.accepted(), outcome.reason());
        LstmModel tuned = outcome.model();
        assertEquals(2, tuned.info().version());
        assertTrue(tuned.info().epochs() <= TRAINING.fineTuneEpochs(), "epochs " + tuned.info().epochs());
        assertEquals(current.normalisation(), tuned.normalisation(), "the model in force's units are kept");
        assertNotEquals(fitted(next), tuned.normalisation());
        assertFalse(Arrays.equals(ModelCodec.encode(current.withInfo(tuned.info())), ModelCodec.encode(tuned)),
                "it trained");
        assertArrayEquals(ModelCodec.encode(tuned), ModelCodec.encode(trainer(TRAINING).train("k", next, current)
                .model()), "the same inputs give the same bits");
    }

    @Test
    void shouldTrainAfreshInTheWindowsUnitsOnceItMovedAwayFromTheModel() {
        ModelTrainer trainer = trainer(TRAINING);
        LstmModel current = first(trainer);
        HistoryWindow shifted = window(2, 10 + 3 * current.normalisation().scale()[0], 2);
        HistoryWindow louder = window(2, 10, 2 * 2.5);
        HistoryWindow quieter = window(2, 10, 2 / 2.5);
        for (HistoryWindow moved : new HistoryWindow[] {shifted, louder, quieter}) {
            assertFalse(trainer.fineTunes(current, 0, 1, fitted(moved)));
            LstmModel fresh = trainer.train("k", moved, current).model();
            assertEquals(fitted(moved), fresh.normalisation());
            assertTrue(fresh.info().epochs() > TRAINING.fineTuneEpochs(), "epochs " + fresh.info().epochs());
        }
    }

    @Test
    void shouldTrainAfreshWithoutAModelOfTheWindowsShapeOrWithFineTuningOff() {
        ModelTrainer trainer = trainer(TRAINING);
        LstmModel current = first(trainer);
        Normalisation same = fitted(window(2, 10, 2));
        assertTrue(trainer.fineTunes(current, 0, 1, same));
        assertFalse(trainer.fineTunes(null, 0, 1, same));
        assertFalse(trainer.fineTunes(current, 2, 1, same), "a window that now covers the calendar wants its inputs");
        ModelTrainer wider = new ModelTrainer(new LstmConfig(1, 12, 1, 1.0, false),
                new RetrainConfig(POINTS, 100, 100, false, 7L, TRAINING));
        assertFalse(wider.fineTunes(current, 0, 1, same));
        ModelTrainer off = trainer(new TrainingConfig(15, 8, 32, 0.01, 1.0, 0.2, 5, 0));
        assertFalse(off.fineTunes(current, 0, 1, same));
        assertEquals(same, off.train("k", window(2, 10, 2), current).model().normalisation());
    }
}
