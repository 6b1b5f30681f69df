package dev.vigil.app.bench;

import dev.vigil.testutil.KafkaTestBroker;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny run of {@code vigil bench trainer} against the shared test broker: it completes and reports sane numbers. */
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
}
