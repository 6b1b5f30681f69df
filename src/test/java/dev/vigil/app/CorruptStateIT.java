package dev.vigil.app;

import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.stream.StateDirectoryCheck;
import dev.vigil.stream.TopologyNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A damaged state directory: the service scores half a workload whose keys train and swap models, stops cleanly
 * (its stores checkpointed, so a restart would open them as they are), and a store of each task holding keys is then
 * damaged in another way: table files truncated; CURRENT and MANIFEST overwritten; table files overwritten in the
 * middle, their length kept; CURRENT deleted. (Kafka Streams alone fails {@code KafkaStreams#start} on each of them,
 * on every start.) Started again on that directory, the service finds
 * exactly those tasks damaged ({@link StateDirectoryCheck}), restores them from their changelogs and scores the rest:
 * every event once, every score, model version and alert bit for bit the uninterrupted run's
 * ({@link CrashWorkload#expected}).
 */
class CorruptStateIT {
    private static final int KEYS = 6;
    private static final int EVENTS_PER_KEY = 900;

    @TempDir
    Path tmp;

    @Test
    void shouldRestoreDamagedStoresFromTheChangelogAndScoreAsTheUninterruptedRun() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            CrashWorkload w = new CrashWorkload("corrupt-state", KEYS, EVENTS_PER_KEY, 0, 14L, tmp);
            Path stateDir = tmp.resolve("state");
            AppConfig app = new AppConfig(broker.bootstrapServers(), w.name, stateDir, true, 5, 1,
                    Map.of("commit.interval.ms", "100"));
            TopicSetup.createMissing(app, List.of(w.topology));
            int half = EVENTS_PER_KEY / 2;
            w.expected.forEach((key, results) -> assertTrue(results.get(half - 1).modelVersion() >= 1,
                    key + " has a model in its stores when the service stops"));
            try (VigilService first = VigilService.start(app, List.of(w.topology), ServiceScenario.LIMIT)) {
                assertTrue(first.awaitRunning(ServiceScenario.LIMIT), "the first start is ready");
                w.produce(broker.bootstrapServers(), 0, half);
                awaitScores(broker, w, KEYS * half);
            }
            Path appDir = stateDir.resolve(VigilService.applicationId(app, w.topology));
            List<String> damaged = damage(appDir, new TopologyNames(w.topology.name()));
            try (VigilService second = VigilService.start(app, List.of(w.topology), ServiceScenario.LIMIT)) {
                StateDirectoryCheck.Result check = second.stateChecks().get(0);
                assertEquals(List.of("0_0", "0_1", "0_3", "0_4"), check.damaged().stream()
                        .map(StateDirectoryCheck.DamagedTask::task).toList(), "tasks found damaged, having " + damaged);
                assertTrue(second.awaitRunning(ServiceScenario.LIMIT), "the restart on damaged state is ready");
                w.produce(broker.bootstrapServers(), half, EVENTS_PER_KEY);
                CrashOutcome o = CrashOutcome.read(broker.bootstrapServers(), w, ServiceScenario.LIMIT);
                assertEquals(0, o.duplicates, "events scored twice");
                assertEquals(0, o.losses, "events never scored");
                assertEquals(w.total(), o.scoreRecords, "score records");
                assertEquals(w.expectedAlerts(), o.alerts, "alerts open and close as in the uninterrupted run");
                assertEquals(List.of(), o.firstMismatches, "scores and model versions as in the uninterrupted run ("
                        + o.scoreMismatches + " scores and " + o.versionMismatches + " versions differ)");
                assertEquals(w.expectedLastVersions(), o.lastVersions, "every key reaches the uninterrupted run's models");
                assertTrue(second.running(), "still running");
            }
        }
    }

    private static void awaitScores(EmbeddedKafkaBroker broker, CrashWorkload w, int count) {
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> scores = new ArrayList<>();
        try (var c = ServiceScenario.consumer(broker.bootstrapServers(), w.topology.scoresTopic(),
                w.name + "-await-" + count)) {
            ServiceScenario.collect(c, scores, count, ServiceScenario.LIMIT);
        }
        assertEquals(count, scores.size(), "scored before the stop");
    }

    /**
     * Damages one store in each task that holds keys (with 5 partitions, unit-2 and unit-3 are in partition 0, unit-1
     * and unit-5 in 1, unit-4 in 3, unit-0 in 4; partition 2 has none and is left alone), each in another way;
     * returns the files touched.
     */
    private static List<String> damage(Path appDir, TopologyNames names) throws IOException {
        List<String> touched = new ArrayList<>();
        // task 0_0: the detector state's table files cut to half their length
        for (Path sst : files(store(appDir, "0_0", names.stateStore()), ".sst")) {
            byte[] bytes = Files.readAllBytes(sst);
            Files.write(sst, Arrays.copyOf(bytes, bytes.length / 2));
            touched.add(appDir.relativize(sst) + " truncated");
        }
        // task 0_1: the history store's CURRENT and MANIFEST overwritten with text
        for (Path f : files(store(appDir, "0_1", names.historyStore()), "")) {
            String n = f.getFileName().toString();
            if (n.equals("CURRENT") || n.startsWith("MANIFEST")) {
                Files.write(f, "not a rocksdb file\n".getBytes(StandardCharsets.US_ASCII));
                touched.add(appDir.relativize(f) + " overwritten");
            }
        }
        // task 0_3: the middle of the detector state's and history's table files overwritten, their length kept
        for (String name : List.of(names.stateStore(), names.historyStore())) {
            for (Path sst : files(store(appDir, "0_3", name), ".sst")) {
                byte[] bytes = Files.readAllBytes(sst);
                for (int i = bytes.length / 4; i < bytes.length / 2; i++) {
                    bytes[i] = (byte) (i * 31);
                }
                Files.write(sst, bytes);
                touched.add(appDir.relativize(sst) + " overwritten in the middle");
            }
        }
        // task 0_4: the model store's CURRENT deleted
        Path current = store(appDir, "0_4", names.modelStore()).resolve("CURRENT");
        if (Files.deleteIfExists(current)) {
            touched.add(appDir.relativize(current) + " deleted");
        }
        for (String task : List.of("0_0", "0_1", "0_3", "0_4")) {
            assertTrue(touched.stream().anyMatch(t -> t.startsWith(task + "/")), "task " + task + " damaged: " + touched);
        }
        return touched;
    }

    private static Path store(Path appDir, String task, String store) {
        return appDir.resolve(task).resolve("rocksdb").resolve(store);
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

}
