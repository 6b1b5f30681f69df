package dev.vigil.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code vigil run} as a child JVM (this JVM's class path, main class {@code dev.vigil.app.Main}), its log (stderr)
 * appended to a file and watched line by line, so that a test can wait for a moment of the child's work (ready, a
 * transaction commit, a model accepted, a restore) and kill it there with SIGKILL ({@link #kill()}).
 */
final class CrashChild {
    /** The state listener's line when the Streams application is ready. */
    static final Pattern READY = Pattern.compile("-> RUNNING");
    /** The start of a transaction commit: the consumed offsets are added to the transaction (producer DEBUG). */
    static final Pattern COMMIT = Pattern.compile("Begin adding offsets .* to transaction");
    /**
     * The background trainer delivered a model (trainer DEBUG): its key swaps to it swapDelayEvents events after
     * the training point; until then the delivery lives in this process only.
     */
    static final Pattern TRAINED = Pattern.compile("version \\d+ trained through");
    /** A key put a model in force and published it (trainer DEBUG); the event's transaction commits soon after. */
    static final Pattern SWAP = Pattern.compile("version \\d+ published");
    /** The Streams application starts (re)joining the group: restoration follows. */
    static final Pattern REBALANCING = Pattern.compile("CREATED -> REBALANCING|Transiting to restore active tasks");

    private final Process process;
    private final long startedNanos;
    private final List<Line> lines = new ArrayList<>();
    private final Thread reader;

    /** One log line and when this JVM read it. */
    record Line(long nanos, String text) {
    }

    private CrashChild(Process process, long startedNanos, Path log) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.reader = new Thread(() -> read(log), "crash-child-log-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code vigil run --config config --topology topology}; the child logs through {@code logback}, which
     * must show Vigil at INFO and the producer's transaction manager and the trainer at DEBUG
     * ({@link #writeLogback}).
     */
    static CrashChild start(Path config, Path topology, Path logback, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + logback, "-cp", System.getProperty("java.class.path"),
                "dev.vigil.app.Main", "run", "--config", config.toString(), "--topology", topology.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long started = System.nanoTime();
        return new CrashChild(builder.start(), started, log);
    }

    /** Writes the child's logging configuration: Vigil at INFO, Kafka at WARN but for the watched loggers. */
    static void writeLogback(Path file) throws IOException {
        Files.writeString(file, """
                <configuration>
                  <appender name="E" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%d{HH:mm:ss.SSS} [%thread] %level %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.apache.kafka" level="WARN"/>
                  <logger name="kafka" level="WARN"/>
                  <logger name="org.apache.kafka.clients.producer.internals.TransactionManager" level="DEBUG"/>
                  <logger name="org.apache.kafka.streams.processor.internals.StoreChangelogReader" level="INFO"/>
                  <logger name="dev.vigil.stream.TopologyTrainer" level="DEBUG"/>
                  <root level="INFO"><appender-ref ref="E"/></root>
                </configuration>
                """);
    }

    private void read(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            out.println("=== child " + process.pid() + " started");
            for (String s; (s = in.readLine()) != null; ) {
                if (s.contains("Begin adding new partition") || s.contains("ProducerId set to")) {
                    continue; // the transaction manager's other DEBUG lines: many, and not watched
                }
                synchronized (lines) {
                    lines.add(new Line(System.nanoTime(), s));
                    lines.notifyAll();
                }
                out.println(s);
            }
            out.println("=== child " + process.pid() + " ended");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for a line matching {@code pattern} read at or after {@code sinceNanos}; returns when it was read, or
     * -1 after {@code limit} or when the child ended.
     */
    long await(Pattern pattern, long sinceNanos, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        int from = 0;
        synchronized (lines) {
            while (true) {
                for (; from < lines.size(); from++) {
                    Line l = lines.get(from);
                    if (l.nanos() >= sinceNanos && pattern.matcher(l.text()).find()) {
                        return l.nanos();
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    return -1;
                }
                lines.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    /** Whether a line matching {@code pattern} was read at or after {@code sinceNanos}. */
    boolean saw(Pattern pattern, long sinceNanos) {
        synchronized (lines) {
            return lines.stream().anyMatch(l -> l.nanos() >= sinceNanos && pattern.matcher(l.text()).find());
        }
    }

    long startedNanos() {
        return startedNanos;
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * The child's threads as {@code jcmd <pid> Thread.print} prints them (the JDK's own tool, beside this JVM's
     * {@code java}), for a failure that needs to say what the child was doing; the tool's error if it could not.
     */
    String threadDump() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            return new String(out, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "no thread dump (" + jcmd + "): " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump: interrupted";
        }
    }

    /** SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook, no commit, no leave-group. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(5_000);
    }

    /** SIGTERM and wait: the clean stop. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            kill();
        }
        reader.join(5_000);
    }
}
