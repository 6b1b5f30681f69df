package dev.vigil.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash test's kills: a child {@code vigil run} ({@link CrashChild}) killed with SIGKILL at seeded moments and
 * started again after each, half the time on an emptied state directory; records when each restart was ready.
 */
final class CrashLoop {
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

    private final Path config;
    private final Path topology;
    private final Path logback;
    private final Path log;
    private final Path stateDir;
    private final Random random;
    private CrashChild child;

    CrashLoop(Path config, Path topology, Path logback, Path log, Path stateDir, Random random) {
        this.config = config;
        this.topology = topology;
        this.logback = logback;
        this.log = log;
        this.stateDir = stateDir;
        this.random = random;
    }

    /** Starts the first child; returns how long it took to be ready, in ms. */
    long startFirst() throws IOException, InterruptedException {
        child = CrashChild.start(config, topology, logback, log);
        long ready = child.await(CrashChild.READY, child.startedNanos(), READY_LIMIT);
        assertTrue(ready > 0, "the child should become ready; its log: " + log);
        return (ready - child.startedNanos()) / 1_000_000;
    }

    /** Kills the child {@code kills} times, at the moments in turn, and starts it again after each. */
    List<Kill> killAndRestart(int kills) throws IOException, InterruptedException {
        List<Kill> done = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            Moment moment = Moment.values()[i % Moment.values().length];
            boolean nextRestores = Moment.values()[(i + 1) % Moment.values().length] == Moment.RESTORE
                    && i + 1 < kills;
            boolean hit = aim(child, moment, random);
            long killed = System.nanoTime();
            child.kill();
            boolean beforeReady = !child.saw(CrashChild.READY, child.startedNanos());
            // the restore that the next kill interrupts is a full one
            boolean empty = nextRestores || random.nextBoolean();
            if (empty) {
                deleteTree(stateDir);
            }
            child = CrashChild.start(config, topology, logback, log);
            long readyMs = -1;
            long resumedMs = -1;
            if (!nextRestores) {
                long ready = child.await(CrashChild.READY, child.startedNanos(), READY_LIMIT);
                assertTrue(ready > 0, "restart " + (i + 1) + " should become ready; log: " + log);
                readyMs = (ready - killed) / 1_000_000;
                long resumed = child.await(CrashChild.COMMIT, child.startedNanos(), READY_LIMIT);
                resumedMs = resumed > 0 ? (resumed - killed) / 1_000_000 : -1;
            }
            done.add(new Kill(moment, hit, beforeReady, empty, readyMs, resumedMs));
        }
        return done;
    }

    /** Stops the last child cleanly. */
    void stop() throws InterruptedException {
        child.stop();
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
