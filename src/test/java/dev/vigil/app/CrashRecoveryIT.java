package dev.vigil.app;

import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.testutil.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash test: {@code vigil run} as a child JVM against the embedded broker, a paced multi-key workload whose
 * keys train and swap several models, and SIGKILLs at seeded moments ({@link CrashLoop.Moment}: at a transaction
 * commit, between a model's delivery and its key's swap point, during a restore, just after a swap, at random), the
 * child restarted after each, half the time on an emptied state directory. Every event has exactly one score, and
 * every score, model version and alert transition is bit for bit the uninterrupted run's.
 *
 * <p>{@code mvn verify} runs 4 kills. The long run: {@code mvn -B verify -Pchaos} (12 kills;
 * {@code -Dvigil.chaos.kills=N}, {@code -Dvigil.chaos.seed=S}, {@code -Dvigil.chaos.instanceId=none} for dynamic
 * group membership, {@code -Dvigil.chaos.groupProtocol=streams} for the Streams rebalance protocol of KIP-1071),
 * which prints the figures (docs/operations.md "Crash test").
 */
class CrashRecoveryIT {
    private static final int KEYS = 6;
    private static final int RATE_PER_KEY = 25;

    @TempDir
    Path tmp;

    @Test
    void shouldScoreEveryEventOnceAndAsTheUninterruptedRunAcrossSigkills() throws Exception {
        int kills = Integer.getInteger("vigil.chaos.kills", 4);
        long seed = Long.getLong("vigil.chaos.seed", 14L);
        String instanceId = System.getProperty("vigil.chaos.instanceId", "crash-1");
        String protocol = System.getProperty("vigil.chaos.groupProtocol", "classic");
        // a broker of its own: the SIGKILLed children leave open transactions and fenced producers behind, which the
        // other tests' shared broker need not carry
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            // every event writes its key's state (the run below writes them behind, the default)
            run(broker, kills, seed, instanceId, protocol, Map.of("states.replayEvents", "0"));
        }
    }

    /**
     * The same with states written behind their events ({@code states.replayEvents} 200: at 75 events a second per
     * partition a key's state is written every 2.7 s), so that every restart reads its input back from the replay
     * offset and runs the events its keys' written states do not hold; a kill just after a swap finds it written.
     */
    @Test
    void shouldScoreAsTheUninterruptedRunWithStatesWrittenBehindAcrossSigkills() throws Exception {
        int kills = Integer.getInteger("vigil.chaos.kills", 4);
        long seed = Long.getLong("vigil.chaos.seed", 14L);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            run(broker, kills, seed, "crash-2", "classic", Map.of("states.replayEvents", "200"));
        }
    }

    private void run(EmbeddedKafkaBroker broker, int kills, long seed, String instanceId, String protocol,
                     Map<String, String> settings) throws Exception {
        Random random = new Random(seed);
        String name = "crash-" + kills + "-" + seed + "-" + instanceId.replace('.', '_') + "-" + protocol
                + (behind(settings) ? "-behind" : "");
        int eventsPerKey = RATE_PER_KEY * (15 + 9 * kills);
        CrashWorkload w = new CrashWorkload(name, KEYS, eventsPerKey, RATE_PER_KEY, seed, tmp);
        Path stateDir = tmp.resolve("state");
        Map<String, String> extra = new java.util.HashMap<>(settings);
        if (!protocol.equals("classic")) {
            extra.put("kafka.group.protocol", protocol);
            // the dashboard's plain consumer refuses group.protocol=streams
            extra.put("http.enabled", "false");
        }
        int httpPort = FreePorts.one();
        Path config = w.writeConfig(tmp, broker.bootstrapServers(), stateDir, httpPort, instanceId, extra);
        Path logback = tmp.resolve("logback.xml");
        Path log = w.prepareChild(broker.bootstrapServers(), stateDir, logback);

        CrashLoop loop = new CrashLoop(config, w.topologyFile, logback, log, stateDir, random);
        long firstReadyMs = loop.startFirst();
        Thread producing = new Thread(() -> w.produce(broker.bootstrapServers()), "crash-it-producer");
        producing.start();
        long started = System.nanoTime();
        List<CrashLoop.Kill> done = loop.killAndRestart(kills);
        producing.join();
        CrashOutcome o = CrashOutcome.read(broker.bootstrapServers(), w, Duration.ofMinutes(3));
        // every event is scored, so the last child's tasks have all replayed: its counter against its own log lines
        // (read once it stopped, which flushes them)
        double replayedCounted = behind(settings) ? counted(httpPort, "vigil_events_replayed_total") : 0;
        loop.stop();
        long replayedLogged = behind(settings) ? replayedByLastChild(log) : 0;
        print(w, o, done, firstReadyMs, (System.nanoTime() - started) / 1_000_000_000);

        assertEquals(0, o.duplicates, "events scored twice");
        assertEquals(0, o.losses, "events never scored");
        assertEquals(w.total(), o.scoreRecords, "score records");
        assertEquals(w.expectedAlerts(), o.alerts, "alerts open and close as in the uninterrupted run");
        assertEquals(w.expectedLastVersions(), o.lastVersions, "every key reaches the uninterrupted run's models");
        assertTrue(w.expectedLastVersions().values().stream().allMatch(v -> v >= 2),
                "every key should be retrained at least once: " + w.expectedLastVersions());
        assertTrue(w.expectedAlerts().stream().anyMatch(a -> a.endsWith("closed")), "alerts should close too");
        assertTrue(done.stream().anyMatch(k -> k.moment() == CrashLoop.Moment.TRAINED && k.hit()),
                "a kill between a model's delivery and its swap: " + done);
        assertEquals(List.of(), o.firstMismatches, "scores and model versions bit for bit as in the uninterrupted"
                + " run (" + o.scoreMismatches + " scores and " + o.versionMismatches + " versions differ)");
        if (behind(settings)) {
            List<String> replays = java.nio.file.Files.readAllLines(log).stream()
                    .filter(l -> l.contains("TaskReplay") && l.contains("replayed")).toList();
            replays.forEach(l -> System.out.println("  " + l));
            assertTrue(replays.stream().anyMatch(l -> !l.contains("replayed 0 event")),
                    "restarts should have run events their keys' written states did not hold: " + replays);
            System.out.printf("  the last child: %d replayed event(s) logged, %.0f counted%n", replayedLogged,
                    replayedCounted);
            assertEquals(replayedLogged, replayedCounted, 0.0,
                    "vigil_events_replayed_total of the last child counts the events its tasks logged as replayed");
        }
    }

    /** The events the tasks of the log's last child said they replayed ({@code replayed N event(s)}). */
    private static long replayedByLastChild(Path log) throws IOException {
        List<String> lines = java.nio.file.Files.readAllLines(log);
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("=== child ") && lines.get(i).endsWith(" started")) {
                start = i;
            }
        }
        java.util.regex.Pattern said = java.util.regex.Pattern.compile(
                "TaskReplay - task \\S+: replayed (\\d+) event");
        long sum = 0;
        for (String line : lines.subList(start, lines.size())) {
            java.util.regex.Matcher m = said.matcher(line);
            if (m.find()) {
                sum += Long.parseLong(m.group(1));
            }
        }
        return sum;
    }

    /** The sum of every series of counter {@code family} in the instance's {@code /metrics}. */
    private static double counted(int port, String family) {
        double sum = 0;
        boolean found = false;
        for (String line : HttpProbe.get(port, "/metrics").body().split("\n")) {
            if (line.startsWith(family + "{") || line.startsWith(family + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        assertTrue(found, "no " + family + " in /metrics of port " + port);
        return sum;
    }

    /** Whether the child writes states behind their events. */
    private static boolean behind(Map<String, String> settings) {
        return !settings.getOrDefault("states.replayEvents", "0").equals("0");
    }

    private static void print(CrashWorkload w, CrashOutcome o, List<CrashLoop.Kill> kills, long firstReadyMs,
                              long seconds) {
        Map<CrashLoop.Moment, Integer> byMoment = new EnumMap<>(CrashLoop.Moment.class);
        kills.forEach(k -> byMoment.merge(k.moment(), 1, Integer::sum));
        List<Long> ready = kills.stream().map(CrashLoop.Kill::readyMs).filter(ms -> ms >= 0).sorted().toList();
        StringBuilder s = new StringBuilder();
        s.append(String.format("crash test %s: %d kills %s (%d before ready, %d on an emptied state directory)"
                        + " in %d s%n",
                w.name, kills.size(), byMoment, kills.stream().filter(CrashLoop.Kill::beforeReady).count(),
                kills.stream().filter(CrashLoop.Kill::stateEmptied).count(), seconds));
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
                ready.isEmpty() ? -1 : ready.get(ready.size() / 2),
                ready.isEmpty() ? -1 : ready.get(ready.size() - 1)));
        o.firstMismatches.forEach(m -> s.append("  mismatch: ").append(m).append('\n'));
        System.out.print(s);
    }
}
