package dev.vigil.app;

import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.config.AppConfig;
import dev.vigil.testutil.KafkaTestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash test: {@code vigil run} as a child JVM against the embedded broker, a paced multi-key workload whose
 * keys train and swap several models, and SIGKILLs at seeded moments (at a transaction commit, just after a model
 * reached the store and before its key swaps to it, during the restore of a restarted child, at random), the child
 * restarted after each, half the time on an emptied state directory. Every event has exactly one score, and every
 * score, model version and alert transition is bit for bit the uninterrupted run's.
 *
 * <p>{@code mvn verify} runs 4 kills. The long run: {@code mvn -B verify -Pchaos} (12 kills; {@code
 * -Dvigil.chaos.kills=N}, {@code -Dvigil.chaos.seed=S}, {@code -Dvigil.chaos.instanceId=none} for dynamic group
 * membership, {@code -Dvigil.chaos.groupProtocol=streams} for the Streams rebalance protocol of KIP-1071), which prints the figures (docs/operations.md "Crash test").
 */
class CrashRecoveryIT {
    private static final int KEYS = 6;
    private static final int RATE_PER_KEY = 25;
    private static final Duration READY_LIMIT = Duration.ofMinutes(2);

    /** Where a kill is aimed. */
    enum Moment {
        /** Just after a transaction commit began. */
        COMMIT,
        /** Just after the background trainer delivered a model, before its key's swap point. */
        TRAINED,
        /** A restarted child, on an emptied state directory, while it restores (before it is ready). */
        RESTORE,
        /** Just after a key put a model in force and published it, before the event's transaction commits. */
        SWAP,
        /** At a random moment. */
        RANDOM
    }

    /**
     * One kill: where it was aimed, whether the aimed line was seen, whether it hit before the child was ready, the
     * state kept or emptied, the time from the kill to the next child's readiness ({@code RUNNING}) and to its first
     * commit, i.e. processing resumed (-1: killed again before). With the Streams protocol, a member is RUNNING as
     * soon as it joins, before the dead member's tasks are handed to it, so only the second tells.
     */
    record Kill(Moment moment, boolean hit, boolean beforeReady, boolean stateEmptied, long readyMs,
                long resumedMs) {
    }

    @TempDir
    Path tmp;

    @Test
    void shouldScoreEveryEventOnceAndAsTheUninterruptedRunAcrossSigkills() throws Exception {
        int kills = Integer.getInteger("vigil.chaos.kills", 4);
        long seed = Long.getLong("vigil.chaos.seed", 14L);
        String instanceId = System.getProperty("vigil.chaos.instanceId", "crash-1");
        String protocol = System.getProperty("vigil.chaos.groupProtocol", "classic");
        EmbeddedKafkaBroker broker = KafkaTestBroker.shared();
        Random random = new Random(seed);
        String name = "crash-" + kills + "-" + seed + "-" + instanceId.replace('.', '_') + "-" + protocol;
        int eventsPerKey = RATE_PER_KEY * (15 + 9 * kills);
        CrashWorkload w = new CrashWorkload(name, KEYS, eventsPerKey, RATE_PER_KEY, seed, tmp);
        Path stateDir = tmp.resolve("state");
        Path config = w.writeConfig(tmp, broker.bootstrapServers(), stateDir, freePort(), instanceId,
                protocol.equals("classic") ? Map.of() : Map.of("kafka.group.protocol", protocol,
                        // the dashboard's plain consumer refuses group.protocol=streams
                        "http.enabled", "false"));
        Path logback = tmp.resolve("logback.xml");
        CrashChild.writeLogback(logback);
        Path log = Path.of("target", name + ".log");
        Files.deleteIfExists(log);
        TopicSetup.createMissing(new AppConfig(broker.bootstrapServers(), name, stateDir, true, 2, 1, Map.of()),
                List.of(w.topology));

        CrashChild child = CrashChild.start(config, w.topologyFile, logback, log);
        long firstReady = child.await(CrashChild.READY, child.startedNanos(), READY_LIMIT);
        assertTrue(firstReady > 0, "the child should become ready; its log: " + log);
        long firstReadyMs = (firstReady - child.startedNanos()) / 1_000_000;
        Thread producing = new Thread(() -> w.produce(broker.bootstrapServers()), "crash-it-producer");
        producing.start();
        List<Kill> done = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < kills; i++) {
            Moment moment = Moment.values()[i % Moment.values().length];
            Moment next = Moment.values()[(i + 1) % Moment.values().length];
            boolean hit = aim(child, moment, random);
            long killed = System.nanoTime();
            child.kill();
            boolean beforeReady = !child.saw(CrashChild.READY, child.startedNanos());
            // the restore that the next kill interrupts is a full one
            boolean empty = (next == Moment.RESTORE && i + 1 < kills) || random.nextBoolean();
            if (empty) {
                deleteTree(stateDir);
            }
            child = CrashChild.start(config, w.topologyFile, logback, log);
            long readyMs = -1;
            long resumedMs = -1;
            if (next != Moment.RESTORE || i + 1 == kills) {
                long ready = child.await(CrashChild.READY, child.startedNanos(), READY_LIMIT);
                assertTrue(ready > 0, "restart " + (i + 1) + " should become ready; log: " + log);
                readyMs = (ready - killed) / 1_000_000;
                long resumed = child.await(CrashChild.COMMIT, child.startedNanos(), READY_LIMIT);
                resumedMs = resumed > 0 ? (resumed - killed) / 1_000_000 : -1;
            }
            done.add(new Kill(moment, hit, beforeReady, empty, readyMs, resumedMs));
        }
        producing.join();
        CrashOutcome o = CrashOutcome.read(broker.bootstrapServers(), w, Duration.ofMinutes(3));
        child.stop();
        print(w, o, done, firstReadyMs, (System.nanoTime() - started) / 1_000_000_000);

        assertEquals(0, o.duplicates, "events scored twice");
        assertEquals(0, o.losses, "events never scored");
        assertEquals(w.total(), o.scoreRecords, "score records");
        assertEquals(List.of(), o.firstMismatches, "scores and model versions as in the uninterrupted run");
        assertEquals(w.expectedAlerts(), o.alerts, "alerts open and close as in the uninterrupted run");
        assertEquals(w.expectedLastVersions(), o.lastVersions, "every key reaches the uninterrupted run's models");
        assertTrue(w.expectedLastVersions().values().stream().allMatch(v -> v >= 2),
                "every key should be retrained at least once: " + w.expectedLastVersions());
        assertTrue(w.expectedAlerts().stream().anyMatch(a -> a.endsWith("closed")), "alerts should close too");
        assertTrue(done.stream().anyMatch(k -> k.moment() == Moment.TRAINED && k.hit()),
                "a kill between a model's delivery and its swap: " + done);
    }

    /**
     * Waits for the moment (after 1 to 3 s of work when the child is ready); returns whether its line was seen
     * (else the kill falls at the end of the wait).
     */
    private static boolean aim(CrashChild child, Moment moment, Random random) throws InterruptedException {
        if (moment != Moment.RESTORE) {
            Thread.sleep(1_000 + random.nextInt(2_000));
        }
        long now = System.nanoTime();
        return switch (moment) {
            case COMMIT -> child.await(CrashChild.COMMIT, now, Duration.ofSeconds(10)) > 0;
            // the key swaps 16 (swapDelayEvents) of its events after the training point: 0.64 s at 25 a second
            case TRAINED -> child.await(CrashChild.TRAINED, now, Duration.ofSeconds(30)) > 0;
            case SWAP -> child.await(CrashChild.SWAP, now, Duration.ofSeconds(30)) > 0;
            case RESTORE -> {
                boolean seen = child.await(CrashChild.REBALANCING, child.startedNanos(), Duration.ofSeconds(30)) > 0;
                Thread.sleep(random.nextInt(300));
                yield seen;
            }
            case RANDOM -> {
                Thread.sleep(random.nextInt(1_000));
                yield true;
            }
        };
    }

    private static void print(CrashWorkload w, CrashOutcome o, List<Kill> kills, long firstReadyMs, long seconds) {
        Map<Moment, Integer> byMoment = new EnumMap<>(Moment.class);
        kills.forEach(k -> byMoment.merge(k.moment(), 1, Integer::sum));
        List<Long> ready = kills.stream().map(Kill::readyMs).filter(ms -> ms >= 0).sorted().toList();
        StringBuilder s = new StringBuilder();
        s.append(String.format("crash test %s: %d kills %s (%d before ready, %d on an emptied state directory) in %d s%n",
                w.name, kills.size(), byMoment, kills.stream().filter(Kill::beforeReady).count(),
                kills.stream().filter(Kill::stateEmptied).count(), seconds));
        s.append(String.format("  events %d, score records %d, duplicates %d, losses %d, score mismatches %d,"
                        + " model version mismatches %d%n", w.total(), o.scoreRecords, o.duplicates, o.losses,
                o.scoreMismatches, o.versionMismatches));
        s.append(String.format("  alert transitions %d (expected %d), model records published %d, last versions %s"
                + " (expected %s)%n", o.alerts.size(), w.expectedAlerts().size(), o.modelRecords, o.lastVersions,
                w.expectedLastVersions()));
        s.append(String.format("  first start ready in %d ms; after SIGKILL, ms to ready/to processing: %s;"
                        + " ready median %d, max %d%n",
                firstReadyMs, kills.stream()
                        .map(k -> k.moment() + (k.hit() ? "" : "(missed)") + (k.beforeReady() ? "(before ready)" : "")
                                + (k.stateEmptied() ? "/empty" : "/kept") + "=" + k.readyMs() + "/" + k.resumedMs())
                        .toList(),
                ready.isEmpty() ? -1 : ready.get(ready.size() / 2), ready.isEmpty() ? -1 : ready.get(ready.size() - 1)));
        o.firstMismatches.forEach(m -> s.append("  mismatch: ").append(m).append('\n'));
        System.out.print(s);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
