package dev.vigil.app.bench;

import dev.vigil.testutil.KafkaTestBroker;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tiny runs of {@code vigil bench trainer} and {@code bench trainer --first-models} against the shared test broker:
 * they complete and report sane numbers.
 */
class TrainerBenchmarkIT {
    @Test
    void shouldCompleteATinyRunWithTheTrainerAtWork() throws Exception {
        StringWriter text = new StringWriter();
        TrainerBenchmark.Settings settings = new TrainerBenchmark.Settings(4_000, 4, 1, 100, 200, 2,
                KafkaTestBroker.shared().bootstrapServers(), 1_000);
        TrainerBenchmark.Result result = new TrainerBenchmark(settings, new PrintWriter(text)).run();

        assertTrue(result.idleRate() > 0 && result.busyRate() > 0, text.toString());
        assertTrue(result.meanTrainingMs() > 0, "the busy phase trains: " + text);
        assertTrue(result.busyTrainings() > 0 && result.busyTrainingsPerMinute() > 0, text.toString());
        assertTrue(result.busyInLine() <= result.busyTrainings(), text.toString());
        // models published are the models keys put in force, trained by the trainer or, when it was late, in line
        assertTrue(result.steadyTrainings() >= 0 && result.steadyModels() >= 0, text.toString());
        assertTrue(text.toString().contains("trainings per minute"), text.toString());
        assertTrue(text.toString().contains("warm-up: 1000 events in"), text.toString());
    }

    @Test
    void shouldGiveEveryKeyOfAFleetWithoutModelsItsFirstModel() throws Exception {
        StringWriter text = new StringWriter();
        // six keys, a queue of one: most first trainings find the queue full when their keys come due together (over
        // four of their events: retrain.firstSpreadEvents)
        FirstModelsBenchmark.Result result = new FirstModelsBenchmark(6, 2, 1, 4, 300,
                KafkaTestBroker.shared().bootstrapServers(), new PrintWriter(text)).run();

        assertEquals(6 * (317 + 4), result.events(), text.toString());
        assertEquals(result.events(), result.idle().outputs(), text.toString());
        assertEquals(result.events(), result.first().outputs(), text.toString());
        for (FirstModelsBenchmark.Trainings t : new FirstModelsBenchmark.Trainings[] {result.firstTrainings(),
                result.steadyTrainings()}) {
            // one first training a key, each run once: by the background trainer or in line at its swap point
            assertEquals(6, t.requested(), text.toString());
            assertEquals(6, t.background() + t.inLine(), text.toString());
            assertTrue(t.maxQueue() <= 1, text.toString());
        }
        assertTrue(result.steady().sortedNanos().length >= 6 * (18 + 4), "every steady event scored: " + text);
        assertTrue(text.toString().contains("first trainings spread over 4 events"), text.toString());
        assertTrue(text.toString().contains("every key's first model in force after"), text.toString());
    }
}
